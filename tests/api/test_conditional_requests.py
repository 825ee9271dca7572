"""ETags on the comments API: 304 without reading a comment, 412 on a stale If-Match.

alice writes a comment; bob reads it; gus's canary stays in the seminar.
"""

import pytest
from rest_framework.test import APIClient

from commentary.accounts.tokens import token_create
from commentary.services import comment_edit
from tests.api.comment_fixtures import COMMENTS, client_for, comment_url, post
from tests.commentary.builders import make_user
from tests.commentary.group_people import group_post, make_seminar

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(october, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return post(make_user("alice"), october, "p2", "A comment.")


def with_key(user, *scopes) -> APIClient:
    client = APIClient()
    key = token_create(user=user, name="t", scopes=scopes or ["read", "write"])[1]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.mark.parametrize("suffix", ["", "thread/", "revisions/"])
def test_a_matching_if_none_match_answers_304_without_reading_comments(
    comment, suffix, django_assert_num_queries
):
    client = client_for()
    first = client.get(comment_url(comment.pk, suffix))
    tag = first["ETag"]
    assert tag.startswith('"') and not tag.startswith("W/")

    with django_assert_num_queries(0):
        again = client.get(comment_url(comment.pk, suffix), HTTP_IF_NONE_MATCH=tag)

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == tag


def test_a_token_reader_gets_304_with_only_the_token_and_roles_read(
    comment, django_assert_max_num_queries
):
    client = with_key(make_user("bob"), "read")
    tag = client.get(COMMENTS)["ETag"]
    with django_assert_max_num_queries(2):
        response = client.get(COMMENTS, HTTP_IF_NONE_MATCH=tag)
    assert response.status_code == 304


def test_the_tag_changes_when_the_comment_does(comment, django_capture_on_commit_callbacks):
    client = client_for()
    tag = client.get(comment_url(comment.pk))["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        comment_edit(comment=comment, editor=comment.author, body="Edited.")

    response = client.get(comment_url(comment.pk), HTTP_IF_NONE_MATCH=tag)

    assert response.status_code == 200
    assert response.json()["body"] == "Edited."
    assert response["ETag"] != tag


def test_a_tag_is_one_readers_own(october):
    group, _olga, gus = make_seminar(october)
    group_post(gus, october, group)
    member = client_for(gus)
    tag = member.get(COMMENTS)["ETag"]

    outsider = client_for(make_user("nina")).get(COMMENTS, HTTP_IF_NONE_MATCH=tag)

    assert outsider.status_code == 200
    assert outsider["ETag"] != tag
    assert outsider.json()["results"] == []


def test_a_stale_if_match_answers_412_and_changes_nothing(
    comment, django_capture_on_commit_callbacks
):
    alice = comment.author
    client = with_key(alice)
    tag = client.get(comment_url(comment.pk))["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        post(make_user("bob"), comment.work, "p3", "Somebody else wrote meanwhile.")

    stale = client.patch(
        comment_url(comment.pk), {"body": "Mine."}, format="json", HTTP_IF_MATCH=tag
    )
    stale_delete = client.delete(comment_url(comment.pk), HTTP_IF_MATCH=tag)

    assert stale.status_code == stale_delete.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    comment.refresh_from_db()
    assert (comment.body, comment.deleted_at) == ("A comment.", None)


def test_a_current_if_match_writes_and_none_is_required(comment):
    client = with_key(comment.author)
    tag = client.get(comment_url(comment.pk))["ETag"]

    current = client.patch(
        comment_url(comment.pk), {"body": "Once."}, format="json", HTTP_IF_MATCH=tag
    )
    without = client.patch(comment_url(comment.pk), {"body": "Twice."}, format="json")

    assert current.status_code == without.status_code == 200


def test_somebody_elses_comment_is_404_whatever_the_if_match(comment):
    response = with_key(make_user("bob")).patch(
        comment_url(comment.pk), {"body": "x"}, format="json", HTTP_IF_MATCH='"nothing"'
    )
    assert response.status_code == 404
