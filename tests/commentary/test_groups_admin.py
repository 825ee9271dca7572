"""The admin keeps to the visibility rule: a site moderator with the admin's view
permission finds no reading group's comment there until a member flags it."""

import pytest
from django.contrib.auth.models import Permission

from commentary.groups.models import Membership
from commentary.moderation.decisions import comment_moderate, flag_create
from commentary.services import comment_edit
from tests.commentary.builders import client_for
from tests.commentary.group_people import CANARY, group_post, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/commentary/comment/"


@pytest.fixture
def admin_moderator():
    user = make_moderator("sam")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="commentary", codename__startswith="view_"
        )
    )
    return user


def test_a_group_comment_reaches_the_admin_only_once_flagged(work, admin_moderator):
    group, olga, gus = make_seminar(work)
    canary = group_post(gus, work, group)
    comment_edit(comment=canary, editor=gus, body=CANARY + " Edited.")
    comment_moderate(action="hide", comment=canary, moderator=olga)
    client = client_for(admin_moderator)

    listed = client.get(CHANGELIST).content.decode()
    opened = client.get(f"{CHANGELIST}{canary.pk}/change/")
    searched = client.get(CHANGELIST, {"q": "Canary"}).content.decode()
    revisions = client.get("/admin/commentary/commentrevision/").content.decode()
    events = client.get("/admin/commentary/moderationevent/").content.decode()

    assert f"Comment {canary.pk} by" not in listed
    assert opened.status_code == 302
    assert f"Comment {canary.pk} by" not in searched
    assert f"of comment {canary.pk}" not in revisions
    assert "0 moderation events" in events

    flagged = group_post(gus, work, group, body="Flagged for the site.")
    flag_create(comment=flagged, user=olga, reason="offensive")

    listed = client.get(CHANGELIST).content.decode()
    assert f"Comment {flagged.pk} by" in listed
    assert f"Comment {canary.pk} by" not in listed


def test_bulk_decisions_skip_comments_the_moderator_may_not_decide_on(work, admin_moderator):
    group, _olga, _gus = make_seminar(work)
    Membership.objects.create(group=group, user=admin_moderator)
    own = group_post(admin_moderator, work, group, body="Sam's own, in the group.")

    response = client_for(admin_moderator).post(
        CHANGELIST, {"action": "hide", "_selected_action": [own.pk]}, follow=True
    )

    assert response.status_code == 200
    own.refresh_from_db()
    assert own.status == "published"
