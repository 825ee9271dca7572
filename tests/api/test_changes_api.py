"""``GET /api/v1/changes/``: the change log, read through the one visibility rule.

Personas: olga owns the seminar, gus is a member; nina is an outsider; mona moderates the
site. The canary is gus's comment in the seminar. The mirror test keeps a copy of the demo
in step through the log alone and compares it with a fresh read of the whole list.
"""

import pytest
from rest_framework.test import APIClient

from commentary.accounts.tokens import token_create
from commentary.groups.services import member_remove
from commentary.moderation.decisions import comment_moderate
from commentary.services import comment_delete, comment_edit
from tests.api.change_mirror import CHANGES, latest, page_queries, read_all
from tests.api.comment_fixtures import client_for
from tests.commentary.builders import make_user, post
from tests.commentary.group_people import CANARY, group_post, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.SCHOLIA_COMMENT_RATE = "100000/60"
    settings.SCHOLIA_COMMENT_EDIT_RATE = "100000/60"
    settings.SCHOLIA_NEW_MEMBER_COMMENT_RATE = "100000/60"


@pytest.fixture
def seminar(october):
    group, olga, gus = make_seminar(october)
    return group, olga, gus


# What each reader is told ---------------------------------------------------------------


def test_it_tells_a_new_comment_with_the_comment_as_the_list_shows_it(
    october, django_capture_on_commit_callbacks
):
    client = client_for()
    cursor = latest(client)
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(make_user("alice"), october, "p2", "Hello.")

    changes, _ = read_all(client, cursor)

    listed = client.get("/api/v1/comments/").json()["results"][0]
    assert [(c["type"], c["id"]) for c in changes] == [("comment.created", comment.pk)]
    assert changes[0]["object"] == listed


def test_the_group_canary_never_reaches_an_outsider(seminar, django_capture_on_commit_callbacks):
    group, olga, gus = seminar
    nina = client_for(make_user("nina"))
    member = client_for(gus)
    nina_cursor, member_cursor = latest(nina), latest(member)

    with django_capture_on_commit_callbacks(execute=True):
        canary = group_post(gus, group.works.get(), group)
        reply = post(olga, group.works.get(), parent=canary, body="A reply in the seminar.")
        comment_edit(comment=canary, editor=gus, body=CANARY + " Edited.")
        comment_delete(comment=reply, by=olga)

    outsider = nina.get(CHANGES, {"since": nina_cursor}).json()
    told = member.get(CHANGES, {"since": member_cursor}).json()

    assert outsider["changes"] == []
    assert outsider["cursor"] == nina_cursor
    assert CANARY not in str(outsider)
    assert {(c["type"], c["id"]) for c in told["changes"]} == {
        ("comment.updated", canary.pk),
        ("comment.deleted", reply.pk),
    }
    assert client_for().get(CHANGES, {"since": "0"}).json()["changes"] == []


def test_a_token_limited_to_no_group_is_told_nothing_of_the_groups(
    seminar, django_capture_on_commit_callbacks
):
    group, _olga, gus = seminar
    _token, key = token_create(user=gus, name="public mirror", group_slugs=[])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    cursor = latest(client)
    with django_capture_on_commit_callbacks(execute=True):
        group_post(gus, group.works.get(), group)

    assert client.get(CHANGES, {"since": cursor}).json()["changes"] == []


def test_a_hidden_comment_becomes_a_tombstone_for_others_and_stays_for_its_author(
    october, django_capture_on_commit_callbacks
):
    alice, bob = make_user("alice"), make_user("bob")
    comment = post(alice, october, "p2", "Hide me.")
    cursors = {user: latest(client_for(user)) for user in (alice, bob)}

    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=comment, moderator=make_moderator(), action="hide", reason="x")

    for_bob = client_for(bob).get(CHANGES, {"since": cursors[bob]}).json()["changes"]
    for_alice = client_for(alice).get(CHANGES, {"since": cursors[alice]}).json()["changes"]
    assert for_bob == [{"type": "comment.removed", "id": comment.pk, "at": for_bob[0]["at"]}]
    assert for_alice[0]["type"] == "comment.updated"
    assert for_alice[0]["object"]["status"] == "hidden"


def test_leaving_a_group_is_told_to_the_member_with_their_own_comments_after_it(
    seminar, django_capture_on_commit_callbacks
):
    group, olga, gus = seminar
    work = group.works.get()
    own = group_post(gus, work, group)
    group_post(olga, work, group, body="Olga's.")
    client = client_for(gus)
    cursor = latest(client)

    with django_capture_on_commit_callbacks(execute=True):
        member_remove(group=group, by=olga, user=gus)

    changes = client.get(CHANGES, {"since": cursor}).json()["changes"]
    assert [(c["type"], c["id"]) for c in changes] == [
        ("group.left", group.slug),
        ("comment.updated", own.pk),
    ]
    assert client_for(olga).get(CHANGES, {"since": cursor}).json()["changes"] == []


def test_it_pages_through_the_log_with_a_cursor(october, django_capture_on_commit_callbacks):
    alice = make_user("alice")
    client = client_for()
    cursor = latest(client)
    with django_capture_on_commit_callbacks(execute=True):
        comments = [post(alice, october, "p2", f"Comment {n}.") for n in range(5)]

    first = client.get(CHANGES, {"since": cursor, "limit": 2}).json()
    assert first["more"] is True
    assert f"since={first['cursor']}" in first["next"]
    changes, _ = read_all(client, cursor)
    assert [c["id"] for c in changes] == [c.pk for c in comments]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"since": "abc"},
        {"since": "-1"},
        {"since": "1", "limit": "0"},
        {"since": "1", "limit": "501"},
        {"since": "1", "sort": "x"},
    ],
)
def test_it_refuses_bad_parameters_with_a_400(october, query):
    response = client_for().get(CHANGES, query)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_page_costs_a_fixed_number_of_queries(seminar, django_capture_on_commit_callbacks):
    group, olga, gus = seminar
    work = group.works.get()
    client = client_for(gus)
    cursor = latest(client)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(30):
            comment = post(olga, work, "p2", f"Public {number}.")
            group_post(olga, work, group, body=f"Group {number}.")
            if number % 3 == 0:
                comment_delete(comment=comment, by=olga)
        member_remove(group=group, by=olga, user=gus)

    # The user with their roles, the rows, the comments, the deleted ones, own comments in a
    # group left (and the session, where it is in the database).
    with page_queries(5):
        response = client.get(CHANGES, {"since": cursor, "limit": 500})
    assert len(response.json()["changes"]) > 30
