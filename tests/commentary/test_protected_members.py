"""Who is out of a site moderator's reach: staff and editors (whoever may publish versions),
like moderators, are sanctioned by a superuser only, on the member page, in the API and
through the service the admin would call.

Personas: mona moderates the site; ed is the staff editor; max moderates too; root is a
superuser.
"""

import pytest
from django.contrib.auth import get_user_model

from commentary.errors import CommentError
from commentary.moderation.models import ModerationEvent, Sanction
from commentary.moderation.sanctions import user_ban
from tests.api.comment_fixtures import client_for as api_client_for
from tests.commentary.builders import client_for, make_user
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def mona():
    return make_moderator()


@pytest.fixture
def ed():
    user = make_user("ed", "Ed the Editor")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def root():
    return get_user_model().objects.create_superuser("root", "root@example.org")


def test_a_site_moderator_cannot_ban_the_staff_editor_on_the_member_page(mona, ed):
    client = client_for(mona)

    page = client.get("/moderation/members/ed/").content.decode()
    refused = client.post("/moderation/members/ed/ban/", {"reason": "Disagreed."})

    assert "Only a superuser sanctions staff and editors." in page
    assert "/moderation/members/ed/ban/" not in page
    assert refused.status_code == 400
    assert "Only a superuser sanctions staff and editors." in refused.content.decode()
    assert not Sanction.objects.exists() and not ModerationEvent.objects.exists()


def test_a_site_moderator_cannot_suspend_or_ban_the_staff_editor_in_the_api(mona, ed):
    client = api_client_for(mona)

    banned = client.post("/api/v1/users/ed/ban/", {"reason": "Spam."}, format="json")
    suspended = client.post(
        "/api/v1/users/ed/suspend/",
        {"until": "2099-01-01T00:00:00Z", "reason": "Spam."},
        format="json",
    )

    for refused in (banned, suspended):
        assert refused.status_code == 400
        assert "Only a superuser sanctions staff and editors." in str(refused.json())
    assert not Sanction.objects.exists()


def test_the_service_refuses_it_too(mona, ed):
    with pytest.raises(CommentError):
        user_ban(user=ed, moderator=mona, reason="Spam.")
    assert not Sanction.objects.exists()


def test_a_superuser_sanctions_the_staff_editor_and_a_moderator(root, ed):
    max_ = make_moderator("max")
    client = client_for(root)

    assert "/moderation/members/ed/ban/" in client.get("/moderation/members/ed/").content.decode()
    assert client.post("/moderation/members/ed/ban/", {"reason": "Vandalism."}).status_code == 302
    assert user_ban(user=max_, moderator=root, reason="Abuse.").kind == Sanction.Kind.BAN
    assert sorted(Sanction.objects.values_list("user__username", flat=True)) == ["ed", "max"]


def test_the_admin_offers_no_way_round_it(mona, ed):
    mona.is_staff = True
    mona.save(update_fields=["is_staff"])

    assert client_for(mona).get("/admin/commentary/sanction/add/").status_code == 403
