"""The sanctions API with a reading group: `"group": "<slug>"` makes a sanction that group's,
given by its leaders and applying in it only; everyone else gets 404, as for an address
that does not exist. Personas: olga owns the seminar, gus and una are members, mona
moderates the site outside it, alice is an outsider."""

from datetime import timedelta

import pytest
from django.utils import timezone

from commentary.groups.services import group_create
from commentary.models import Comment
from commentary.moderation.models import Flag, ModerationEvent, Sanction
from tests.api.comment_fixtures import COMMENTS, client_for, comment_url
from tests.commentary.builders import make_user
from tests.commentary.group_people import group_post, join, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db

REASON = "Spoilers for the next chapter."
EVENTS = "/api/v1/moderation/events/"


def sanction_url(username: str, action: str) -> str:
    return f"/api/v1/users/{username}/{action}/"


def until() -> str:
    return (timezone.now() + timedelta(days=7)).replace(microsecond=0).isoformat()


@pytest.fixture
def seminar(october):
    group, olga, gus = make_seminar(october)
    una = make_user("una", "Una")
    join(group, una)
    return group, olga, gus, una


def test_a_leader_suspends_a_member_in_the_group_and_every_api_write_there_is_refused(
    october, seminar
):
    group, olga, gus, una = seminar
    his = group_post(gus, october, group, key="p2", body="His words.")
    hers = group_post(una, october, group, key="p2", body="Her words.")

    response = client_for(olga).post(
        sanction_url("gus", "suspend"),
        {"until": until(), "reason": REASON, "group": group.slug},
        format="json",
    )

    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["group"]) == ("suspend", group.slug)
    client = client_for(gus)
    for refused in (
        client.post(
            COMMENTS,
            {"work": "october-1917", "paragraph": "p2", "body": "Hi.", "group": group.slug},
            format="json",
        ),
        client.post(COMMENTS, {"parent": hers.pk, "body": "Hi."}, format="json"),
        client.patch(comment_url(his.pk), {"body": "Changed."}, format="json"),
        client.post(comment_url(hers.pk, "flags/"), {"reason": "spam"}, format="json"),
    ):
        assert refused.status_code == 403
        detail = refused.json()["detail"]
        assert "suspended from writing in the group Tuesday seminar until" in detail
        assert REASON in detail
    assert Comment.objects.get(pk=his.pk).body == "His words."
    assert not Flag.objects.exists()
    public = client.post(
        COMMENTS, {"work": "october-1917", "paragraph": "p2", "body": "Hi."}, format="json"
    )
    assert public.status_code == 201


def test_a_leader_bans_and_reinstates_in_the_group(seminar):
    group, olga, gus, una = seminar
    client = client_for(olga)

    banned = client.post(
        sanction_url("gus", "ban"), {"reason": REASON, "group": group.slug}, format="json"
    )
    lifted = client.post(
        sanction_url("gus", "reinstate"), {"group": group.slug, "reason": "Ok."}, format="json"
    )
    again = client.post(sanction_url("gus", "reinstate"), {"group": group.slug}, format="json")

    assert (banned.status_code, lifted.status_code, again.status_code) == (201, 200, 409)
    assert lifted.json()["lifted"] is not None
    assert list(ModerationEvent.objects.values_list("action", "group")) == [
        ("reinstate", group.pk),
        ("ban", group.pk),
    ]


@pytest.mark.parametrize("action", ["suspend", "ban", "reinstate"])
def test_the_sanction_endpoints_answer_404_outside_the_callers_scope(seminar, action):
    group, olga, gus, una = seminar
    mona = make_moderator()
    other_group = group_create(owner=make_user("otto"), name="Thursday circle", works=[])
    body = {
        "suspend": {"until": until(), "reason": REASON},
        "ban": {"reason": REASON},
        "reinstate": {},
    }[action]

    for caller, scope in (
        (una, group.slug),  # a member who does not lead
        (make_user("alice"), group.slug),  # an outsider
        (mona, group.slug),  # a site moderator outside the group
        (olga, None),  # a leader asking for a site sanction
        (olga, other_group.slug),  # a group she does not lead
        (olga, "no-such-group"),
    ):
        data = dict(body, group=scope) if scope else body
        response = client_for(caller).post(sanction_url("gus", action), data, format="json")
        assert response.status_code == 404, (caller, scope)
    assert not Sanction.objects.exists()
    assert not ModerationEvent.objects.exists()


def test_a_leader_is_told_why_a_group_sanction_is_refused(seminar):
    group, olga, gus, una = seminar
    alice = make_user("alice")
    client = client_for(olga)

    outsider = client.post(
        sanction_url("alice", "ban"), {"reason": REASON, "group": group.slug}, format="json"
    )
    no_reason = client.post(
        sanction_url("gus", "ban"), {"reason": " ", "group": group.slug}, format="json"
    )
    past = client.post(
        sanction_url("gus", "suspend"),
        {"until": "2001-01-01T00:00:00Z", "reason": REASON, "group": group.slug},
        format="json",
    )

    assert outsider.status_code == 400
    assert outsider.json()["errors"] == {"user": ["That person is not in this group."]}
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    assert past.status_code == 400
    assert past.json()["errors"] == {"until": ["A suspension ends in the future."]}
    assert not Sanction.objects.filter(user=alice).exists()


def test_a_groups_sanction_events_reach_its_leaders_only_through_the_api(seminar):
    group, olga, gus, una = seminar
    mona = make_moderator()
    client_for(olga).post(
        sanction_url("gus", "ban"), {"reason": REASON, "group": group.slug}, format="json"
    )

    leaders = client_for(olga).get(EVENTS).json()["results"]
    site = client_for(mona).get(EVENTS, {"user": "gus"}).json()["results"]

    assert [(e["action"], e["group"], e["reason"]) for e in leaders] == [
        ("ban", group.slug, REASON)
    ]
    assert site == []
    assert client_for(una).get(EVENTS).status_code == 404
