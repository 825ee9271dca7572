"""GET /api/v1/notifications/: the decisions on the token owner's own comments."""

import pytest
from rest_framework.test import APIClient

from commentary.accounts.tokens import token_create
from commentary.models import Comment
from commentary.moderation.decisions import comment_moderate, comments_moderate, flag_create
from tests.commentary.builders import bulk_roots, make_user, make_work, post, set_status
from tests.commentary.moderation_people import make_flaggers, make_moderator

# Decisions tell their authors once they commit (``commentary.events``): real commits.
pytestmark = pytest.mark.django_db(transaction=True)

NOTIFICATIONS = "/api/v1/notifications/"
Status = Comment.Status


@pytest.fixture
def people():
    return make_user("alice", "Alice Liddell"), make_user("bob"), make_moderator()


@pytest.fixture
def work():
    return make_work()


def token_client(user) -> APIClient:
    client = APIClient()
    _token, key = token_create(user=user, name="script", scopes=["read", "write"])
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_it_lists_the_decisions_on_the_token_owners_comments(people, work):
    alice, bob, mona = people
    comment = set_status(post(alice, work, body="Lenin *wrote* it."), Status.PENDING)
    comment_moderate(action="reject", comment=comment, moderator=mona, reason="Cite a source.")

    response = token_client(alice).get(NOTIFICATIONS)

    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert item["decision"] == "reject"
    assert item["by_flags"] is False
    assert item["summary"] == "Rejected by a moderator."
    assert item["reason"] == "Cite a source."
    assert (item["from_status"], item["to_status"]) == ("pending", "rejected")
    assert item["read"] is False
    assert item["created"]
    assert item["comment"] == {
        "id": comment.pk,
        "url": f"http://testserver/api/v1/comments/{comment.pk}/",
        "html_url": f"http://testserver/comments/{comment.pk}/",
        "work": "october-1917",
        "paragraph": "p3",
        "passage": "¶ 1",
        "excerpt": "Lenin wrote it.",
    }


def test_it_says_when_flags_hid_the_comment(people, work):
    alice, _bob, _mona = people
    comment = post(alice, work)
    for flagger in make_flaggers(3):
        flag_create(comment=comment, user=flagger, reason="spam")

    (item,) = token_client(alice).get(NOTIFICATIONS).json()["results"]

    assert (item["decision"], item["by_flags"]) == ("hide", True)
    assert item["summary"] == "Hidden after members flagged it, awaiting a moderator."


def test_each_member_gets_only_their_own(people, work):
    alice, bob, mona = people
    comment = set_status(post(alice, work), Status.PENDING)
    comment_moderate(action="reject", comment=comment, moderator=mona, reason="Private to alice.")

    for user in (bob, mona):
        response = token_client(user).get(NOTIFICATIONS)
        assert response.status_code == 200
        assert response.json()["results"] == []


def test_an_anonymous_client_gets_401(people, work):
    response = APIClient().get(NOTIFICATIONS)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_it_pages_by_cursor_newest_first_in_a_fixed_number_of_queries(
    people, work, django_assert_max_num_queries
):
    alice, _bob, mona = people
    client = token_client(alice)
    few = [set_status(c, Status.PENDING) for c in bulk_roots(alice, work, 2)]
    comments_moderate(comments=few, moderator=mona, action="approve")
    with django_assert_max_num_queries(10) as counted:
        client.get(NOTIFICATIONS, {"page_size": 5})
    many = [set_status(c, Status.PENDING) for c in bulk_roots(alice, work, 30, key="p4")]
    comments_moderate(comments=many, moderator=mona, action="approve")

    with django_assert_max_num_queries(len(counted.captured_queries)):
        first = client.get(NOTIFICATIONS, {"page_size": 5}).json()

    assert [item["comment"]["id"] for item in first["results"]] == [
        c.pk for c in reversed(many[-5:])
    ]
    second = client.get(first["next"]).json()
    assert [item["comment"]["id"] for item in second["results"]] == [
        c.pk for c in reversed(many[-10:-5])
    ]
    assert client.get(NOTIFICATIONS, {"page_size": 0}).status_code == 400
