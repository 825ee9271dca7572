"""The reading groups API, and a group's privacy on every API surface.

Personas: olga owns the seminar, gus and una are members; nina is a signed-in outsider and
mona a site moderator outside the group. The canary is gus's comment in the group.
"""

import pytest
from django.core.cache import cache

from commentary.groups.models import Membership, ReadingGroup
from commentary.groups.services import group_update, member_remove
from commentary.moderation.decisions import comment_moderate
from commentary.services import comment_create, comment_edit
from tests.api.comment_fixtures import COMMENTS, client_for, comment_url, post
from tests.commentary.builders import make_user
from tests.commentary.group_people import CANARY, group_post, join, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db

GROUPS = "/api/v1/groups/"
REPLY = "A reply that stays in the seminar."


def group_url(slug: str, suffix: str = "") -> str:
    return f"{GROUPS}{slug}/{suffix}"


@pytest.fixture
def seminar(october):
    group, olga, gus = make_seminar(october)
    una = make_user("una", "Una")
    join(group, una)
    return group, olga, gus, una


# Groups -----------------------------------------------------------------------------------


def test_it_founds_a_group_and_shows_its_owner_the_invitation_code(october):
    olga = make_user("olga")

    response = client_for(olga).post(
        GROUPS, {"name": "Tuesday seminar", "works": ["october-1917"]}, format="json"
    )

    assert response.status_code == 201
    data = response.json()
    group = ReadingGroup.objects.get()
    assert data["slug"] == group.slug == "tuesday-seminar"
    assert data["invite_code"] == group.invite_code
    assert (data["role"], data["works"], data["members"]) == ("owner", ["october-1917"], 1)
    assert response["Location"].endswith("/api/v1/groups/tuesday-seminar/")


def test_founding_a_group_needs_a_signed_in_caller_and_a_work_that_exists(october):
    olga = client_for(make_user("olga"))

    anonymous = client_for().post(GROUPS, {"name": "S", "works": ["october-1917"]}, format="json")
    unknown = olga.post(GROUPS, {"name": "S", "works": ["no-such-work"]}, format="json")
    extra = olga.post(
        GROUPS, {"name": "S", "works": ["october-1917"], "owner": "gus"}, format="json"
    )

    assert anonymous.status_code == 401
    assert unknown.status_code == 400 and "works" in unknown.json()["errors"]
    assert extra.status_code == 400 and "owner" in extra.json()["errors"]
    assert not ReadingGroup.objects.exists()


def test_it_lists_the_callers_groups_with_the_code_for_owners_only(seminar, october):
    group, olga, gus, _una = seminar
    elsewhere = ReadingGroup.objects.create(name="Other", slug="other")
    Membership.objects.create(group=elsewhere, user=make_user("oscar"), role="owner")

    owners = client_for(olga).get(GROUPS).json()
    members = client_for(gus).get(GROUPS).json()

    assert [g["slug"] for g in owners] == [g["slug"] for g in members] == [group.slug]
    assert owners[0]["invite_code"] == group.invite_code
    assert members[0]["invite_code"] is None and members[0]["role"] == "member"
    assert client_for(make_user("nina")).get(GROUPS).json() == []
    assert client_for().get(GROUPS).status_code == 401


def test_a_group_exists_for_its_members_only(seminar):
    group, _olga, gus, _una = seminar

    member = client_for(gus).get(group_url(group.slug))
    outsiders = [client_for(user).get(group_url(group.slug)) for user in (None, make_user("n"))]
    missing = client_for(gus).get(group_url("no-such-group"))

    assert member.status_code == 200 and member.json()["name"] == "Tuesday seminar"
    for response in outsiders:
        assert response.status_code == 404
        assert response.json() == missing.json()


def test_a_discoverable_group_shows_outsiders_its_name_and_description_only(seminar):
    group, olga, _gus, _una = seminar
    group_update(group=group, by=olga, discoverable=True, description="We read chapter one.")

    for user in (None, make_user("nina")):
        response = client_for(user).get(group_url(group.slug))
        assert response.status_code == 200
        assert response.json() == {
            "slug": group.slug,
            "name": "Tuesday seminar",
            "description": "We read chapter one.",
        }


def test_joining_with_the_code_makes_a_member(seminar):
    group, _olga, _gus, _una = seminar
    ted = make_user("ted")

    response = client_for(ted).post(
        group_url(group.slug, "join/"), {"code": group.invite_code}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["role"], response.json()["invite_code"]) == ("member", None)
    assert Membership.objects.filter(group=group, user=ted).exists()


def test_a_wrong_code_and_a_group_that_does_not_exist_answer_alike(seminar):
    group, _olga, _gus, _una = seminar
    ted = client_for(make_user("ted"))

    wrong = ted.post(group_url(group.slug, "join/"), {"code": "wrong"}, format="json")
    elsewhere = ted.post(group_url("no-such", "join/"), {"code": group.invite_code}, format="json")

    assert wrong.status_code == elsewhere.status_code == 400
    assert wrong.json() == elsewhere.json()
    assert wrong.json()["errors"] == {"code": ["This invitation does not work."]}


def test_the_owner_removes_a_member_and_a_member_leaves(seminar):
    group, olga, gus, una = seminar

    removed = client_for(olga).delete(group_url(group.slug, "members/gus/"))
    left = client_for(una).delete(group_url(group.slug, "members/una/"))

    assert removed.status_code == left.status_code == 204
    assert list(Membership.objects.filter(group=group).values_list("user__username")) == [("olga",)]


def test_who_may_not_remove_is_told_so_and_outsiders_find_nothing(seminar):
    group, olga, gus, una = seminar

    by_member = client_for(gus).delete(group_url(group.slug, "members/una/"))
    by_outsider = client_for(make_user("nina")).delete(group_url(group.slug, "members/una/"))
    not_in_it = client_for(olga).delete(group_url(group.slug, "members/nina/"))
    owner_leaving = client_for(olga).delete(group_url(group.slug, "members/olga/"))

    assert by_member.status_code == 403
    assert by_outsider.status_code == 404
    assert not_in_it.status_code == 404
    assert owner_leaving.status_code == 400
    assert Membership.objects.filter(group=group).count() == 3


# Comments in a group ----------------------------------------------------------------------


def test_a_member_posts_in_the_group_and_a_reply_stays_there(seminar, october):
    group, olga, gus, _una = seminar

    root = client_for(gus).post(
        COMMENTS,
        {"work": "october-1917", "paragraph": "p3", "body": CANARY, "group": group.slug},
        format="json",
    )
    reply = client_for(olga).post(
        COMMENTS, {"parent": root.json()["id"], "body": REPLY}, format="json"
    )

    assert root.status_code == reply.status_code == 201
    assert root.json()["group"] == reply.json()["group"] == group.slug


def test_naming_a_group_one_is_not_in_answers_as_no_such_group(seminar, october):
    group, _olga, gus, _una = seminar
    nina = client_for(make_user("nina"))
    body = {"work": "october-1917", "paragraph": "p3", "body": "Let me in."}

    private = nina.post(COMMENTS, {**body, "group": group.slug}, format="json")
    missing = nina.post(COMMENTS, {**body, "group": "no-such-group"}, format="json")

    assert private.status_code == missing.status_code == 400
    assert private.json() == missing.json()


def test_a_reply_to_a_group_comment_from_outside_answers_as_one_to_nothing(seminar, october):
    group, _olga, gus, _una = seminar
    canary = group_post(gus, october, group)
    nina = client_for(make_user("nina"))

    to_canary = nina.post(COMMENTS, {"parent": canary.pk, "body": "Hello."}, format="json")
    to_nothing = nina.post(COMMENTS, {"parent": 10**9, "body": "Hello."}, format="json")

    assert to_canary.status_code == to_nothing.status_code == 400
    assert to_canary.json() == to_nothing.json()


def test_the_group_filter_gives_a_members_group_comments_only(seminar, october):
    group, olga, gus, _una = seminar
    canary = group_post(gus, october, group)
    post(olga, october, body="A public comment.")

    mine = client_for(gus).get(COMMENTS, {"group": group.slug}).json()["results"]
    everything = client_for(gus).get(COMMENTS).json()["results"]

    assert [c["id"] for c in mine] == [canary.pk]
    assert {c["group"] for c in everything} == {group.slug, None}


# Privacy on every API surface -------------------------------------------------------------


def api_surfaces(client, comment_ids: list[int], group_slug: str) -> dict[str, tuple]:
    urls = {
        "list": COMMENTS,
        "list by group": f"{COMMENTS}?group={group_slug}",
        "list by work": f"{COMMENTS}?work=october-1917&paragraph=p3",
        "version payload": "/api/v1/works/october-1917/versions/2/",
        "paragraph payload": "/api/v1/works/october-1917/paragraphs/p3/",
        "group": group_url(group_slug),
    }
    for number, pk in enumerate(comment_ids):
        urls[f"detail {number}"] = comment_url(pk)
        urls[f"thread {number}"] = comment_url(pk, "thread/")
        urls[f"revisions {number}"] = comment_url(pk, "revisions/")
    seen = {}
    for name, url in urls.items():
        cache.clear()
        response = client.get(url)
        seen[name] = (response.status_code, response.content.decode())
    return seen


def test_outsiders_get_every_api_answer_as_if_the_group_had_written_nothing(seminar, october):
    group, olga, gus, una = seminar
    post(make_user("alice"), october, key="p3", body="The public discussion.")
    outsiders = {"anonymous": None, "non-member": make_user("nina"), "moderator": make_moderator()}
    missing = [10**9, 10**9 + 1]
    before = {
        name: api_surfaces(client_for(user), missing, group.slug)
        for name, user in outsiders.items()
    }

    canary = group_post(gus, october, group)
    reply = comment_create(author=una, parent=canary, body=REPLY)
    comment_edit(comment=canary, editor=gus, body=CANARY + " Edited.")

    for name, user in outsiders.items():
        after = api_surfaces(client_for(user), [canary.pk, reply.pk], group.slug)
        assert after == before[name], name


def test_members_get_the_canary_on_those_surfaces(seminar, october):
    group, _olga, gus, una = seminar
    canary = group_post(gus, october, group)
    comment_create(author=una, parent=canary, body=REPLY)

    seen = api_surfaces(client_for(una), [canary.pk], group.slug)

    for surface in ("list", "list by group", "detail 0", "thread 0", "revisions 0"):
        assert seen[surface][0] == 200 and CANARY in seen[surface][1], surface


def test_the_site_moderators_queue_and_log_leave_a_group_alone(seminar, october):
    group, olga, gus, _una = seminar
    canary = group_post(gus, october, group)
    group_update(group=group, by=olga, moderation_policy="premoderated")
    held = group_post(gus, october, ReadingGroup.objects.get(pk=group.pk), key="p6")
    comment_moderate(action="hide", comment=canary, moderator=olga)
    mona = client_for(make_moderator())

    queue = mona.get("/api/v1/moderation/queue/").json()["results"]
    log = mona.get("/api/v1/moderation/events/").json()["results"]
    leaders_queue = client_for(olga).get("/api/v1/moderation/queue/").json()["results"]
    leaders_log = client_for(olga).get("/api/v1/moderation/events/").json()["results"]

    assert queue == [] and log == []
    assert [item["comment"]["id"] for item in leaders_queue] == [held.pk]
    assert [event["comment"] for event in leaders_log] == [canary.pk]
    assert client_for(gus).get("/api/v1/moderation/queue/").status_code == 404


def test_a_removed_member_loses_the_api_at_once(seminar, october):
    group, olga, gus, una = seminar
    canary = group_post(gus, october, group)
    client = client_for(una)
    assert client.get(comment_url(canary.pk)).status_code == 200

    member_remove(group=group, by=olga, user=una)

    assert client.get(comment_url(canary.pk)).status_code == 404
    assert client.get(COMMENTS, {"group": group.slug}).json()["results"] == []
    assert client.get(group_url(group.slug)).status_code == 404


def test_a_removal_is_logged_for_the_groups_leaders_only(seminar):
    group, olga, gus, _una = seminar

    client_for(olga).delete(group_url(group.slug, "members/gus/"))

    leaders_log = client_for(olga).get("/api/v1/moderation/events/").json()["results"]
    site_log = client_for(make_moderator()).get("/api/v1/moderation/events/").json()["results"]
    assert [(e["action"], e["actor"], e["user"], e["group"]) for e in leaders_log] == [
        ("remove", "olga", "gus", group.slug)
    ]
    assert site_log == []


def test_a_groups_leader_decides_on_its_comments_through_the_api(seminar, october):
    group, olga, gus, una = seminar
    canary = group_post(gus, october, group)
    public = post(make_user("alice"), october, body="Public.")

    hidden = client_for(olga).post(
        comment_url(canary.pk, "moderate/"), {"action": "hide"}, format="json"
    )
    elsewhere = client_for(olga).post(
        comment_url(public.pk, "moderate/"), {"action": "hide"}, format="json"
    )
    by_member = client_for(una).post(
        comment_url(canary.pk, "moderate/"), {"action": "hide"}, format="json"
    )

    assert hidden.status_code == 200 and hidden.json()["status"] == "hidden"
    assert elsewhere.status_code == 400
    assert by_member.status_code == 404
