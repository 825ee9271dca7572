"""A notification reaches its recipient only, on every surface: a decision on a reading
group's canary comment is told to its author, and nobody outside the group (anonymous,
a signed-in member of the site, a site moderator who is not in it) sees a trace of it."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from rest_framework.test import APIClient

from commentary.moderation.decisions import comment_moderate
from commentary.notifications.models import Notification
from commentary.notifications.services import unread_count
from tests.commentary.builders import client_for
from tests.commentary.group_people import CANARY, group_post, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db

REASON = "A canary reason that only gus may read."
OUTSIDERS = ["anonymous", "alice", "mona"]


@pytest.fixture
def seminar(work, alice, django_capture_on_commit_callbacks):
    """The canary, held in a pre-moderated seminar, rejected by olga (the group's leader)."""
    group, olga, gus = make_seminar(work, moderation_policy="premoderated")
    for member in (gus, alice):
        EmailAddress.objects.create(user=member, email=member.email, primary=True, verified=True)
    canary = group_post(gus, work, group)
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=canary, moderator=olga, action="reject", reason=REASON)
    return {"gus": gus, "olga": olga, "alice": alice, "mona": make_moderator(), "canary": canary}


def surfaces(user, gus) -> dict[str, str]:
    """What ``user`` reads on each surface a notification could show on."""
    pages = client_for(user)
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    own = f"/users/{user.get_username()}/" if user is not None else "/"
    return {
        "gus's profile": pages.get(f"/users/{gus.get_username()}/").content.decode(),
        "own profile": pages.get(own).content.decode(),
        "reading page": pages.get("/works/october-1917/").content.decode(),
        "api": api.get("/api/v1/notifications/").content.decode(),
    }


def test_the_author_is_told_on_every_surface(seminar):
    gus = seminar["gus"]

    seen = surfaces(gus, gus)

    assert REASON in seen["own profile"]
    assert CANARY in seen["own profile"]
    assert "1 new decision" in seen["reading page"]
    assert REASON in seen["api"]
    (message,) = mail.outbox
    assert message.to == [gus.email]
    assert REASON in message.body


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_nobody_outside_the_group_sees_anything_of_it(seminar, outsider):
    user = seminar.get(outsider)

    seen = surfaces(user, seminar["gus"])

    for surface, text in seen.items():
        assert CANARY not in text, surface
        assert REASON not in text, surface
        assert "new decision" not in text, surface
        assert "Decisions on your comments" not in text or surface == "own profile", surface
    if user is not None:
        assert '"results":[]' in seen["api"].replace(" ", "")
        assert unread_count(user) == 0
        assert not Notification.objects.for_recipient(user).exists()


def test_the_groups_leader_who_decided_is_not_told(seminar):
    olga = seminar["olga"]

    assert not Notification.objects.filter(recipient=olga).exists()
    assert REASON not in surfaces(olga, seminar["gus"])["own profile"]
    assert [m.to for m in mail.outbox] == [[seminar["gus"].email]]


def test_a_notification_whose_comment_its_recipient_may_no_longer_see_is_not_shown(seminar):
    """Fails closed: the list reads through the one visibility rule."""
    note = Notification.objects.get()
    Notification.objects.filter(pk=note.pk).update(recipient=seminar["alice"])

    assert not Notification.objects.for_recipient(seminar["alice"]).exists()
    assert unread_count(seminar["alice"]) == 0
