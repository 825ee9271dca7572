"""One visibility rule on every surface: a comment that is not published reaches its author
only (and, later, the moderators who may act on it)."""

import re

import pytest
from django.core.cache import cache

from commentary.access import paragraph_comment_counts
from commentary.models import Comment
from commentary.services import comment_create
from tests.commentary.builders import (
    client_for,
    htmx_headers,
    paragraph_of,
    post,
    set_status,
)

pytestmark = pytest.mark.django_db

READING = "/works/october-1917/"
PARAGRAPH = "/works/october-1917/p/p3/"
DISCUSSION = "/works/october-1917/p/p3/discussion/"
SECRET = "Held back until a moderator reads it."


@pytest.fixture
def pending(alice, work):
    return set_status(post(alice, work, body=SECRET), Comment.Status.PENDING)


def margin_count(client, key: str = "p3") -> str:
    cache.clear()
    html = client.get(READING).content.decode()
    start = html.index(f'data-discussion-toggle="{key}"')
    label = html.index('class="comment-toggle-label"', start)
    return html[html.index(">", label) + 1 : html.index("</span>", label)]


def discussion(client) -> str:
    response = client.get(DISCUSSION, headers=htmx_headers())
    assert response.status_code == 200
    return response.content.decode()


# The rule itself


@pytest.mark.parametrize("status", ["pending", "rejected", "hidden"])
def test_it_shows_an_unpublished_comment_to_its_author_only(alice, bob, work, status):
    comment = set_status(post(alice, work), status)
    published = post(bob, work)

    assert set(Comment.objects.visible_to(alice)) == {comment, published}
    assert set(Comment.objects.visible_to(bob)) == {published}
    assert set(Comment.objects.visible_to(None)) == {published}
    assert set(Comment.objects.visible_to(client_for().get("/").wsgi_request.user)) == {published}


def test_it_keeps_tombstones_visible_but_out_of_live_counts(alice, bob, work):
    comment = post(alice, work)
    comment.deleted_at = comment.created_at
    comment.save(update_fields=["deleted_at"])

    assert list(Comment.objects.visible_to(bob)) == [comment]
    assert list(Comment.objects.visible_to(bob).live()) == []
    assert paragraph_comment_counts(bob, [comment.paragraph_id]) == {}


# A pending comment on every page


def test_it_leaves_a_pending_comment_out_of_other_readers_counts(alice, bob, pending):
    post(bob, pending.work, key="p4")

    assert margin_count(client_for(bob)) == "Comment"
    assert margin_count(client_for()) == "Comment"
    assert margin_count(client_for(alice)) == "1 comment"
    assert margin_count(client_for(bob), key="p4") == "1 comment"


def test_it_leaves_a_pending_comment_out_of_the_discussion(alice, bob, pending):
    for client in (client_for(bob), client_for()):
        html = discussion(client)
        assert SECRET not in html
        assert f'id="c{pending.pk}"' not in html


def test_it_leaves_a_pending_comment_out_of_the_paragraph_page(bob, pending):
    for client in (client_for(bob), client_for()):
        assert SECRET not in client.get(PARAGRAPH).content.decode()


@pytest.mark.parametrize("page", ["", "history/"])
def test_it_answers_404_for_a_pending_comment_of_someone_else(bob, pending, page):
    url = f"/comments/{pending.pk}/{page}"

    for client in (client_for(bob), client_for()):
        response = client.get(url)
        assert response.status_code == 404
        assert SECRET not in response.content.decode()


def test_it_answers_a_missing_comment_the_same_way(bob, pending):
    client = client_for(bob)
    hidden = client.get(f"/comments/{pending.pk}/")
    missing = client.get(f"/comments/{pending.pk + 1000}/")

    assert hidden.status_code == missing.status_code == 404
    # The same page but for the masked CSRF token of the sign-out form, new on every response.
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", hidden.content) == token.sub(b"", missing.content)


def test_it_refuses_replies_edits_and_deletes_of_a_comment_one_may_not_see(bob, pending):
    client = client_for(bob)
    for action in ("reply", "edit", "delete"):
        assert client.get(f"/comments/{pending.pk}/{action}/").status_code == 404
        assert client.post(f"/comments/{pending.pk}/{action}/", {"body": "Hm."}).status_code == 404
    assert Comment.objects.count() == 1


def test_it_shows_the_author_a_pending_comment_with_its_badge(alice, pending):
    client = client_for(alice)

    for html in (
        discussion(client),
        client.get(PARAGRAPH).content.decode(),
        client.get(f"/comments/{pending.pk}/").content.decode(),
    ):
        assert SECRET in html
        assert "awaiting moderation" in html
    assert client.get(f"/comments/{pending.pk}/history/").status_code == 200


def test_it_shows_a_placeholder_where_a_hidden_comment_holds_replies(alice, bob, work):
    root = post(alice, work, body="The root.")
    hidden = comment_create(author=alice, parent=root, body=SECRET)
    reply = comment_create(author=bob, parent=hidden, body="An answer to it.")
    set_status(hidden, Comment.Status.HIDDEN)

    for client in (client_for(bob), client_for()):
        for html in (discussion(client), client.get(f"/comments/{reply.pk}/").content.decode()):
            assert SECRET not in html
            assert "An answer to it." in html
            assert "This comment is not available." in html


def test_it_counts_in_the_discussion_what_the_margin_counts(alice, bob, pending):
    paragraph = paragraph_of(pending.work)
    post(bob, pending.work)

    assert paragraph_comment_counts(bob, [paragraph.pk]) == {paragraph.pk: 1}
    assert paragraph_comment_counts(alice, [paragraph.pk]) == {paragraph.pk: 2}
    assert paragraph_comment_counts(None, [paragraph.pk]) == {paragraph.pk: 1}


def test_it_splits_what_a_user_sees_into_public_and_personal_without_overlap(alice, bob, work):
    from django.contrib.auth.models import AnonymousUser

    public = post(bob, work, body="Published for all.")
    set_status(post(bob, work, body="Bob's held one."), Comment.Status.PENDING)
    own = set_status(post(alice, work, body="Alice's held one."), Comment.Status.PENDING)
    for viewer in (alice, bob, AnonymousUser()):
        whole = set(Comment.objects.visible_to(viewer).values_list("pk", flat=True))
        anonymous = set(Comment.objects.visible_to(None).values_list("pk", flat=True))
        extra = set(Comment.objects.visible_beyond_public(viewer).values_list("pk", flat=True))
        assert whole == anonymous | extra
        assert not anonymous & extra
    assert set(Comment.objects.visible_beyond_public(alice).values_list("pk", flat=True)) == {
        own.pk
    }
    assert public.pk in set(Comment.objects.visible_to(None).values_list("pk", flat=True))
