"""The owner's and the leaders' part of the reading groups API: settings, the invitation,
hand-over, a copy for a new term, participation. Outsiders get 404 everywhere, as for a
group that does not exist; members get 403 for what only the owner (or the leaders) may do.

Personas: olga owns the seminar, gus and una are members; nina is outside it.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from commentary.groups.models import Membership, ReadingGroup
from commentary.models import Comment
from tests.api.comment_fixtures import client_for
from tests.commentary.builders import make_user
from tests.commentary.group_people import CANARY, group_post, join, make_seminar

pytestmark = pytest.mark.django_db

GROUPS = "/api/v1/groups/"


def group_url(slug: str, suffix: str = "") -> str:
    return f"{GROUPS}{slug}/{suffix}"


@pytest.fixture
def seminar(october):
    group, olga, gus = make_seminar(october)
    una = make_user("una", "Una")
    join(group, una)
    return group, olga, gus, una


def calls(slug: str) -> list[tuple[str, str, dict]]:
    """Every owner's or leader's call on group ``slug``: (method, address, body)."""
    return [
        ("patch", group_url(slug), {"name": "Taken over"}),
        ("patch", group_url(slug, "invitation/"), {"enabled": False}),
        ("post", group_url(slug, "invitation/rotate/"), {}),
        ("post", group_url(slug, "transfer/"), {"username": "una"}),
        ("post", group_url(slug, "copy/"), {"name": "Stolen copy"}),
        ("get", group_url(slug, "participation/"), {}),
    ]


def send(client, method: str, address: str, body: dict):
    if method == "get":
        return client.get(address)
    return getattr(client, method)(address, body, format="json")


def test_outsiders_get_404_and_members_403_on_every_owners_call(seminar):
    group, _olga, gus, _una = seminar
    code = group.invite_code
    nina = client_for(make_user("nina"))

    for method, address, body in calls(group.slug):
        outside = send(nina, method, address, body)
        missing = send(nina, method, address.replace(group.slug, "no-such-group"), body)
        member = send(client_for(gus), method, address, body)
        anonymous = send(client_for(), method, address, body)
        assert outside.status_code == missing.status_code == 404, address
        assert outside.json() == missing.json()
        assert member.status_code == 403, address
        assert anonymous.status_code == 401, address
    group.refresh_from_db()
    assert (group.name, group.invite_code, group.invite_enabled) == ("Tuesday seminar", code, True)
    assert ReadingGroup.objects.count() == 1
    assert Membership.objects.get(group=group, role="owner").user.username == "olga"


def test_the_owner_changes_the_settings(seminar):
    group, olga, _gus, _una = seminar

    response = client_for(olga).patch(
        group_url(group.slug),
        {
            "name": "Wednesday seminar",
            "description": "Chapter one, slowly.",
            "starts_on": "2027-01-05",
            "ends_on": "2027-03-30",
            "post_first": True,
            "moderation_policy": "premoderated",
        },
        format="json",
    )

    data = response.json()
    assert response.status_code == 200
    assert (data["name"], data["starts_on"], data["post_first"]) == (
        "Wednesday seminar",
        "2027-01-05",
        True,
    )
    assert data["moderation_policy"] == "premoderated" and data["slug"] == group.slug


def test_bad_settings_get_400_with_the_field(seminar):
    group, olga, _gus, _una = seminar
    olga_client = client_for(olga)

    backwards = olga_client.patch(
        group_url(group.slug), {"starts_on": "2027-02-01", "ends_on": "2027-01-01"}, format="json"
    )
    unknown_work = olga_client.patch(group_url(group.slug), {"works": ["nope"]}, format="json")
    unknown_field = olga_client.patch(group_url(group.slug), {"slug": "mine"}, format="json")
    blank = olga_client.patch(group_url(group.slug), {"name": " "}, format="json")

    assert backwards.status_code == 400 and "ends_on" in backwards.json()["errors"]
    assert unknown_work.status_code == 400 and "works" in unknown_work.json()["errors"]
    assert unknown_field.status_code == 400 and "slug" in unknown_field.json()["errors"]
    assert blank.status_code == 400 and "name" in blank.json()["errors"]


def test_the_owner_turns_the_invitation_off_and_on_sets_it_and_rotates_it(seminar):
    group, olga, _gus, _una = seminar
    client = client_for(olga)
    invitation = group_url(group.slug, "invitation/")
    first = group.invite_code
    until = (timezone.now() + timedelta(days=7)).replace(microsecond=0)

    off = client.patch(invitation, {"enabled": False}, format="json").json()
    on = client.patch(
        invitation,
        {"enabled": True, "role": "moderator", "expires_at": until.isoformat()},
        format="json",
    ).json()
    rotated = client.post(group_url(group.slug, "invitation/rotate/"))

    assert off["invite_enabled"] is False and off["invite_code"] == first
    assert on["invite_enabled"] is True and on["invite_role"] == "moderator"
    assert on["invite_expires_at"] is not None
    assert rotated.status_code == 200
    assert rotated.json()["invite_code"] not in (None, first)
    assert rotated.json()["invite_url"] == (
        f"http://testserver/groups/{group.slug}/join/{rotated.json()['invite_code']}/"
    )


def test_the_owner_hands_over_to_a_member_only(seminar):
    group, olga, gus, _una = seminar
    client = client_for(olga)

    stranger = client.post(group_url(group.slug, "transfer/"), {"username": "nina"}, format="json")
    to_self = client.post(group_url(group.slug, "transfer/"), {"username": "olga"}, format="json")
    handed = client.post(group_url(group.slug, "transfer/"), {"username": "gus"}, format="json")

    assert stranger.status_code == to_self.status_code == 400
    assert "username" in stranger.json()["errors"]
    assert handed.status_code == 200 and handed.json()["role"] == "moderator"
    assert handed.json()["invite_code"] is None
    assert Membership.objects.get(group=group, role="owner").user == gus


def test_the_owner_copies_the_group_with_their_comments(seminar, october):
    group, olga, gus, _una = seminar
    group_post(olga, october, group, body="Opening question.")
    group_post(gus, october, group)

    response = client_for(olga).post(
        group_url(group.slug, "copy/"),
        {"name": "Spring seminar", "starts_on": "2027-04-01", "include_my_comments": True},
        format="json",
    )

    data = response.json()
    copy = ReadingGroup.objects.get(slug=data["slug"])
    assert response.status_code == 201 and response["Location"] == data["url"]
    assert (data["name"], data["role"], data["members"]) == ("Spring seminar", "owner", 1)
    assert data["works"] == ["october-1917"] and data["starts_on"] == "2027-04-01"
    assert list(Comment.objects.filter(group=copy).values_list("body", flat=True)) == [
        "Opening question."
    ]


def test_leaders_read_participation(seminar, october):
    group, olga, gus, _una = seminar
    group_post(gus, october, group)
    Membership.objects.filter(group=group, user=gus).update(role="moderator")

    for leader in (olga, gus):
        response = client_for(leader).get(group_url(group.slug, "participation/"))
        assert response.status_code == 200
        rows = {row["username"]: row for row in response.json()}
        assert set(rows) == {"olga", "gus", "una"}
        assert rows["gus"]["comments"] == 1 and rows["gus"]["paragraphs"] == 1
        assert rows["una"]["last_activity"] is None
        assert CANARY not in response.content.decode()
