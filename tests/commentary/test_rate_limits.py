"""A flood of comments from one person is refused the same way on every surface: a clear
message, 429 with Retry-After in the API, and nothing written."""

import pytest
from django.core.cache import caches
from django.test import Client

from commentary.models import Comment
from commentary.services import CommentError, CommentRateLimited, comment_edit
from edition.checks import counters_apart_from_pages
from tests.commentary.builders import client_for, htmx_headers, make_user, post

pytestmark = pytest.mark.django_db

CREATE = "/works/october-1917/p/p3/comments/"


@pytest.fixture(autouse=True)
def _three_a_minute(settings):
    settings.SCHOLIA_COMMENT_RATE = "3/60"


def test_it_refuses_the_comment_past_the_limit_and_says_when_to_try_again(alice, work):
    for _ in range(3):
        post(alice, work)
    with pytest.raises(CommentRateLimited) as refused:
        post(alice, work, body="One too many.")
    assert 1 <= refused.value.retry_after <= 60
    assert "Try again in" in refused.value.messages[0]
    assert not Comment.objects.filter(body="One too many.").exists()


def test_it_counts_each_person_apart(alice, bob, work):
    for _ in range(3):
        post(alice, work)
    assert post(bob, work, body="Bob is not limited by Alice.").pk


def test_it_does_not_count_a_comment_that_was_refused_for_its_content(alice, work):
    for _ in range(3):
        with pytest.raises(CommentError):  # an empty body, refused before it is counted
            post(alice, work, body="   ")
    assert post(alice, work, body="Still allowed.").pk


def test_it_lets_staff_post_past_the_limit(work):
    editor = make_user("editor")
    editor.is_staff = True
    editor.save()
    for _ in range(5):
        post(editor, work)
    assert Comment.objects.filter(author=editor).count() == 5


def test_it_answers_the_api_with_429_and_retry_after(alice, work):
    client = Client()
    client.force_login(alice)
    for _ in range(3):
        post(alice, work)
    response = client.post(
        "/api/v1/comments/",
        {"work": "october-1917", "paragraph": "p3", "body": "Flood."},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["status"] == 429 and body["code"] == "throttled"
    assert "Try again in" in body["detail"]
    assert not Comment.objects.filter(body="Flood.").exists()


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_it_answers_the_page_with_429_and_the_message_in_the_form(alice, work, htmx):
    client = client_for(alice)
    for _ in range(3):
        post(alice, work)
    headers = htmx_headers() if htmx else {}
    response = client.post(CREATE, {"body": "Flood."}, headers=headers)
    assert response.status_code == 429
    assert "You are posting too fast" in response.content.decode()
    assert not Comment.objects.filter(body="Flood.").exists()


def test_it_refuses_a_reply_flood_in_the_page_too(alice, bob, work):
    root = post(bob, work)
    for _ in range(3):
        post(alice, work)
    response = client_for(alice).post(f"/comments/{root.pk}/reply/", {"body": "Flood."})
    assert response.status_code == 429
    assert "You are posting too fast" in response.content.decode()


# Edits are limited like posts (SCHOLIA_COMMENT_EDIT_RATE).


@pytest.fixture
def _three_edits_a_minute(settings):
    settings.SCHOLIA_COMMENT_EDIT_RATE = "3/60"


@pytest.mark.usefixtures("_three_edits_a_minute")
def test_it_refuses_the_edit_past_the_limit_and_stores_no_revision(alice, work):
    comment = post(alice, work)
    for number in range(3):
        comment_edit(comment=comment, editor=alice, body=f"Edit {number}.")
    with pytest.raises(CommentRateLimited) as refused:
        comment_edit(comment=comment, editor=alice, body="One edit too many.")
    assert 1 <= refused.value.retry_after <= 60
    assert "editing too fast" in refused.value.messages[0]
    comment.refresh_from_db()
    assert comment.body == "Edit 2."
    assert comment.revisions.count() == 3


@pytest.mark.usefixtures("_three_edits_a_minute")
def test_it_does_not_count_an_edit_that_changes_nothing(alice, work):
    comment = post(alice, work, body="Same.")
    for _ in range(5):
        comment_edit(comment=comment, editor=alice, body="Same.")
    assert comment_edit(comment=comment, editor=alice, body="Changed.").body == "Changed."


@pytest.mark.usefixtures("_three_edits_a_minute")
def test_it_answers_an_api_edit_flood_with_429_and_retry_after(alice, work):
    comment = post(alice, work)
    client = client_for(alice)
    statuses = [
        client.patch(
            f"/api/v1/comments/{comment.pk}/",
            {"body": f"Edit {number}."},
            content_type="application/json",
        ).status_code
        for number in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    refused = client.patch(
        f"/api/v1/comments/{comment.pk}/", {"body": "Flood."}, content_type="application/json"
    )
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["code"] == "throttled"
    assert comment.revisions.count() == 3


@pytest.mark.usefixtures("_three_edits_a_minute")
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_it_answers_an_edit_flood_in_the_page_with_429_and_the_message(alice, work, htmx):
    comment = post(alice, work)
    client = client_for(alice)
    headers = htmx_headers() if htmx else {}
    for number in range(3):
        client.post(f"/comments/{comment.pk}/edit/", {"body": f"Edit {number}."}, headers=headers)
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "Flood."}, headers=headers)
    assert response.status_code == 429
    assert "You are editing too fast" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Edit 2."


def test_it_keeps_counting_when_every_cached_page_is_evicted(alice, work):
    if counters_apart_from_pages(None):
        pytest.skip("counters share a Redis server with pages here: set REDIS_COUNTERS_URL")
    for _ in range(3):
        post(alice, work)
    caches["default"].clear()  # the page cache filled up and let everything go
    with pytest.raises(CommentRateLimited):
        post(alice, work, body="One too many.")
