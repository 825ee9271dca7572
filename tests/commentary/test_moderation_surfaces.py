"""The moderation invariants on every page: the text of a pending, rejected or hidden
comment reaches its author and moderators only; a hidden comment with visible replies
leaves a placeholder; a suspended member is refused on every page that writes; moderators
cost the reading page no more queries than anybody."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commentary.models import Comment
from commentary.moderation.decisions import comment_moderate, flag_create
from commentary.moderation.sanctions import user_suspend
from commentary.services import comment_create
from tests.commentary.builders import bulk_roots, client_for, htmx_headers, post, set_status
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db

READING = "/works/october-1917/"
PARAGRAPH = "/works/october-1917/p/p3/"
DISCUSSION = "/works/october-1917/p/p3/discussion/"
SECRET = "Words only the author and moderators may read."


@pytest.fixture
def mona():
    return make_moderator()


def margin_count(client, key: str = "p3") -> str:
    cache.clear()
    html = client.get(READING).content.decode()
    start = html.index(f'data-discussion-toggle="{key}"')
    label = html.index('class="comment-toggle-label"', start)
    return html[html.index(">", label) + 1 : html.index("</span>", label)]


def surfaces(client, comment: Comment) -> dict[str, str]:
    cache.clear()
    return {
        "discussion": client.get(DISCUSSION, headers=htmx_headers()).content.decode(),
        "paragraph page": client.get(PARAGRAPH).content.decode(),
        "profile page": client.get("/users/alice/").content.decode(),
        "permalink": client.get(f"/comments/{comment.pk}/").content.decode(),
    }


@pytest.mark.parametrize("status", ["pending", "rejected", "hidden"])
def test_unpublished_text_reaches_only_its_author_and_moderators_on_every_page(
    alice, bob, work, mona, status
):
    comment = set_status(post(alice, work, body=SECRET), status)

    for viewer, sees in ((alice, True), (mona, True), (bob, False), (None, False)):
        client = client_for(viewer)
        assert margin_count(client) == ("1 comment" if sees else "Comment"), viewer
        for surface, html in surfaces(client, comment).items():
            assert (SECRET in html) is sees, (viewer, surface)


def test_a_moderator_sees_the_status_of_what_they_read(alice, work, mona):
    comment = set_status(post(alice, work, body=SECRET), Comment.Status.PENDING)

    html = client_for(mona).get(f"/comments/{comment.pk}/").content.decode()

    assert "awaiting moderation" in html


def test_a_hidden_comment_with_replies_leaves_a_placeholder_on_every_thread(alice, bob, work, mona):
    root = post(bob, work, body="The root.")
    hidden = comment_create(author=alice, parent=root, body=SECRET)
    reply = comment_create(author=bob, parent=hidden, body="An answer to it.")
    set_status(hidden, Comment.Status.HIDDEN)

    for client in (client_for(bob), client_for()):
        cache.clear()
        for html in (
            client.get(DISCUSSION, headers=htmx_headers()).content.decode(),
            client.get(PARAGRAPH).content.decode(),
            client.get(f"/comments/{reply.pk}/").content.decode(),
        ):
            assert SECRET not in html
            assert "An answer to it." in html
            assert "This comment is not available." in html
    assert SECRET in client_for(mona).get(f"/comments/{reply.pk}/").content.decode()


def test_a_suspended_member_is_refused_on_every_page_that_writes(alice, bob, work, mona):
    theirs = post(alice, work)
    mine = post(bob, work, body="Mine.")
    user_suspend(
        user=bob, moderator=mona, until=timezone.now() + timedelta(days=1), reason="Cool off."
    )
    client = client_for(bob)

    for url, data in (
        ("/works/october-1917/p/p3/comments/", {"body": "New."}),
        (f"/comments/{theirs.pk}/reply/", {"body": "A reply."}),
        (f"/comments/{mine.pk}/edit/", {"body": "Changed."}),
    ):
        for headers in ({}, htmx_headers()):
            response = client.post(url, data, headers=headers)
            assert response.status_code == 400, url
            html = response.content.decode()
            assert "suspended until" in html
            assert "Cool off." in html
    assert Comment.objects.filter(author=bob).count() == 1
    assert Comment.objects.get(pk=mine.pk).body == "Mine."


def reading_queries(client) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(READING).status_code == 200
    return len(captured)


def test_a_moderator_reads_the_page_in_as_many_queries_as_any_member(alice, bob, work, mona):
    member, moderator = client_for(bob), client_for(mona)
    empty = reading_queries(moderator)

    held = [comment.pk for comment in bulk_roots(alice, work, 500)][::2]
    Comment.objects.filter(pk__in=held).update(status=Comment.Status.PENDING)

    assert reading_queries(moderator) == empty == reading_queries(member)


def test_decisions_and_flags_reach_the_cached_pages_at_once(
    alice, bob, work, mona, settings, django_capture_on_commit_callbacks
):
    settings.SCHOLIA_FLAGS_TO_HIDE = 1
    held = set_status(post(alice, work, body=SECRET), Comment.Status.PENDING)
    anonymous = client_for()
    cache.clear()

    def count() -> str:
        # Through the page cache, unlike margin_count, which empties it first.
        html = anonymous.get(READING).content.decode()
        start = html.index('data-discussion-toggle="p3"')
        label = html.index('class="comment-toggle-label"', start)
        return html[html.index(">", label) + 1 : html.index("</span>", label)]

    assert count() == "Comment"
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(action="approve", comment=held, moderator=mona)
    assert count() == "1 comment"
    with django_capture_on_commit_callbacks(execute=True):
        flag_create(comment=held, user=bob, reason="spam")
    assert count() == "Comment"
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(action="keep", comment=held, moderator=mona)
    assert count() == "1 comment"
    assert SECRET in anonymous.get(f"/comments/{held.pk}/").content.decode()
