"""A thread as most signed-in readers see it: rendered once for everybody, each reader's
controls filled in (``commentary.pages.shared_threads``). Nobody gets another's controls,
and a reader who sees more than everybody gets the thread rendered for them.

alice started the thread, bob replied; charlie's reply waits for a moderator. olga leads
the Tuesday seminar, gus wrote the canary in it, nina is outside it.
"""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.cache import caches

from commentary.models import Comment
from commentary.moderation.decisions import comment_moderate, flag_create
from commentary.pages import shared_threads
from commentary.services import comment_delete, comment_edit
from commentary.threads import sees_only_public
from config.site.caching import edition_changed
from edition.models import ModerationPolicy
from tests.commentary.builders import bulk_thread, client_for, make_user, post, set_status
from tests.commentary.group_people import CANARY, group_post, make_seminar

pytestmark = pytest.mark.django_db

HELD = "Charlie's reply, held for the moderators."


@pytest.fixture
def thread(work, alice, bob):
    root = post(alice, work, body="Alice starts the thread.")
    reply = post(bob, work, parent=root, body="Bob answers.")
    return root, reply


@pytest.fixture
def renders(monkeypatch):
    """How many times a thread was rendered for everybody (not served from the cache)."""
    made = []
    real = shared_threads.remembered

    def counted(name, topics, compute, **kwargs):
        def computed():
            made.append(name)
            return compute()

        return real(name, topics, computed, **kwargs)

    monkeypatch.setattr(shared_threads, "remembered", counted)
    return made


def controls(html: str, pk: int) -> str:
    """The controls under comment ``pk``."""
    article = re.search(rf'<article[^>]*id="c{pk}".*?</article>', html, re.S)[0]
    found = re.search(r'<p class="comment-actions">.*?</p>', article, re.S)
    return found[0] if found else ""


def page(user, comment) -> str:
    response = client_for(user).get(f"/comments/{comment.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_each_reader_gets_their_own_controls_on_the_thread_rendered_once(
    thread, alice, bob, renders
):
    root, reply = thread
    flag_create(comment=root, user=bob, reason="off_topic")

    alices, bobs = page(alice, root), page(bob, root)

    assert "Edit" in controls(alices, root.pk) and "Flag" in controls(alices, reply.pk)
    assert "Edit" in controls(bobs, reply.pk) and "Edit" not in controls(bobs, root.pk)
    assert "Flagged" in controls(bobs, root.pk)
    assert "Flagged" not in alices
    assert len(renders) == 1
    assert page(None, root).count('class="comment-actions"') == 0
    assert "Edit" in controls(page(bob, reply), reply.pk)  # a reply's address: for bob alone
    assert len(renders) == 1


def test_a_reader_with_a_held_reply_gets_the_thread_rendered_for_them(thread, work, bob, renders):
    root, reply = thread
    charlie = make_user("charlie")
    set_status(post(charlie, work, parent=root, body=HELD), Comment.Status.PENDING)

    assert HELD in page(charlie, root)
    assert HELD not in page(bob, root)
    assert len(renders) == 1  # bob's, shared; charlie's was rendered for him alone
    for name in renders:
        assert HELD not in caches["default"].get(name)[1].html.decode()


def test_an_edit_shows_at_once_on_the_shared_thread(
    thread, alice, bob, django_capture_on_commit_callbacks
):
    root, _reply = thread
    page(bob, root)

    with django_capture_on_commit_callbacks(execute=True):
        comment_edit(comment=root, editor=alice, body="Alice, reworded.")

    assert "Alice, reworded." in page(bob, root)


def test_a_group_thread_is_never_shared_and_an_outsider_sees_nothing_of_it(work, renders):
    group, olga, gus = make_seminar(work)
    canary = group_post(gus, work, group)
    nina = make_user("nina")

    assert CANARY in page(olga, canary)
    assert client_for(nina).get(f"/comments/{canary.pk}/").status_code == 404
    assert renders == []


def make_moderator(username: str = "mona"):
    moderator = make_user(username)
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    return moderator


def test_a_moderator_sees_the_held_reply_and_the_shared_thread_never_holds_it(
    thread, work, bob, renders
):
    root, _reply = thread
    charlie = make_user("charlie")
    set_status(post(charlie, work, parent=root, body=HELD), Comment.Status.PENDING)

    assert HELD not in page(bob, root)
    assert HELD in page(make_moderator(), root)
    assert HELD not in page(None, root)
    assert HELD not in page(bob, root)
    assert len(renders) == 1  # the moderator's thread was rendered for them alone
    assert HELD not in caches["default"].get(renders[0])[1].html.decode()


def test_a_hidden_or_deleted_comment_leaves_the_shared_thread_on_the_next_request(
    thread, work, alice, bob, django_capture_on_commit_callbacks
):
    root, reply = thread
    other = post(alice, work, parent=root, body="Alice answers Bob, and will think better of it.")
    assert "Bob answers." in page(alice, root)
    assert "think better of it" in page(bob, root)

    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=reply, moderator=make_moderator(), action="hide")
    assert "Bob answers." not in page(alice, root)

    with django_capture_on_commit_callbacks(execute=True):
        comment_delete(comment=other, by=alice)
    assert "think better of it" not in page(bob, root)


def test_a_flag_changes_only_its_readers_controls_and_at_once(
    thread, work, alice, bob, django_capture_on_commit_callbacks
):
    root, reply = thread
    charlie = make_user("charlie")
    assert "Flag" in controls(page(charlie, root), reply.pk)

    with django_capture_on_commit_callbacks(execute=True):
        flag_create(comment=reply, user=charlie, reason="off_topic")

    assert "Flagged" in controls(page(charlie, root), reply.pk)
    assert "Flagged" not in page(alice, root)
    assert "Flag" in controls(page(alice, root), reply.pk)
    assert "Edit" in controls(page(bob, root), reply.pk)
    assert "Edit" not in controls(page(charlie, root), reply.pk)


def test_a_reader_who_may_not_write_gets_the_shared_thread_without_controls(
    thread, work, alice, bob, renders
):
    root, reply = thread
    assert "Edit" in controls(page(bob, root), reply.pk)

    work.moderation_policy = ModerationPolicy.CLOSED
    work.save(update_fields=["moderation_policy"])
    edition_changed()

    closed = page(bob, root)
    assert 'class="comment-actions"' not in closed
    assert "Bob answers." in closed and "Alice starts the thread." in closed
    assert 'class="comment-actions"' not in page(alice, root)


def test_a_member_reading_their_group_thread_leaves_nothing_of_it_for_an_outsider(
    work, thread, renders
):
    root, _reply = thread
    group, olga, gus = make_seminar(work)
    canary = group_post(gus, work, group)
    nina = make_user("nina")

    assert CANARY in page(olga, canary)
    assert CANARY in page(gus, canary)
    for reader in (nina, None, olga):
        assert CANARY not in page(reader, root)
    assert client_for(nina).get(f"/comments/{canary.pk}/").status_code == 404
    for name in renders:
        assert CANARY not in caches["default"].get(name)[1].html.decode()


@pytest.mark.parametrize(("reader", "queries"), [("charlie", 1), (None, 6)])
def test_the_shared_thread_page_costs_a_fixed_number_of_queries(
    work, people_of_a_long_thread, reader, queries, django_assert_num_queries
):
    """Signed in, with the thread, the passage, the public comment and the reader's part
    of the thread (what they see, their flags) kept, and the reader with their roles
    (``session_user``): whether they follow the thread; and the session, where no cache
    holds sessions (SQLite without Redis).
    Anonymous, with nothing kept: the comment, the current version, the passage's labels,
    the version's wordings (two), the thread's rows."""
    root = people_of_a_long_thread
    user = reader and make_user(reader)
    client = client_for(user)
    client.get(f"/comments/{root.pk}/")
    if user is None:
        caches["default"].clear()
    elif settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        queries += 1

    with django_assert_num_queries(queries):
        response = client.get(f"/comments/{root.pk}/")

    assert response.content.count(b'<article class="comment') == 300


@pytest.fixture
def people_of_a_long_thread(work, alice, bob):
    root = post(alice, work, body="The root of a long thread.")
    bulk_thread(root, [alice, bob], 300)
    return root


def test_it_tells_who_sees_only_what_everybody_sees_of_a_thread(thread, work, alice, bob):
    root, reply = thread
    group, olga, gus = make_seminar(work)
    group_root = group_post(gus, work, group)
    group_reply = group_post(olga, work, group, parent=group_root, body="Olga answers.")
    charlie = make_user("charlie")
    held = post(charlie, work, parent=reply, body=HELD)

    assert sees_only_public(AnonymousUser(), root.pk)
    assert sees_only_public(bob, root.pk) and sees_only_public(charlie, root.pk)
    set_status(held, Comment.Status.PENDING)
    assert not sees_only_public(charlie, root.pk)  # their held reply, deep in the thread
    assert sees_only_public(bob, root.pk)
    assert not sees_only_public(make_moderator(), root.pk)
    for reader in (olga, gus, bob):  # a group's thread, whoever reads it
        assert not sees_only_public(reader, group_root.pk)
    assert group_reply.thread_root_id == group_root.pk


# What is kept for each reader (their part of the thread: what they see, their flags) and
# for everybody (a public comment, for its page) goes stale with every write that changes
# it: the next request shows the change.


def test_a_readers_own_held_reply_shows_to_them_on_their_next_visit(
    thread, work, django_capture_on_commit_callbacks
):
    root, _reply = thread
    charlie = make_user("charlie")
    assert HELD not in page(charlie, root)  # his part of the thread is kept now
    work.moderation_policy = ModerationPolicy.PREMODERATED
    work.save()

    with django_capture_on_commit_callbacks(execute=True):
        held = post(charlie, work, parent=root, body=HELD)

    assert held.status == Comment.Status.PENDING
    assert HELD in page(charlie, root)
    assert HELD not in page(make_user("dora"), root)


def test_a_reader_made_a_moderator_sees_the_held_reply_at_once(
    thread, work, bob, django_capture_on_commit_callbacks
):
    root, _reply = thread
    set_status(post(make_user("charlie"), work, parent=root, body=HELD), Comment.Status.PENDING)
    assert HELD not in page(bob, root)  # bob's part of the thread is kept now

    with django_capture_on_commit_callbacks(execute=True):
        bob.user_permissions.add(Permission.objects.get(codename="moderate_comment"))

    assert HELD in page(bob, root)


def test_a_hidden_comments_page_answers_404_to_others_at_once_and_stays_its_authors(
    thread, bob, django_capture_on_commit_callbacks
):
    _root, reply = thread
    charlie = make_user("charlie")
    assert "Bob answers." in page(charlie, reply)  # the public comment is kept now
    assert caches["default"].get(f"public-comment:{reply.pk}") is not None

    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=reply, moderator=make_moderator(), action="hide")

    assert client_for(charlie).get(f"/comments/{reply.pk}/").status_code == 404
    assert client_for(None).get(f"/comments/{reply.pk}/").status_code == 404
    assert "Bob answers." in page(bob, reply)


def test_a_deleted_comments_page_shows_its_tombstone_at_once(
    thread, alice, bob, django_capture_on_commit_callbacks
):
    root, _reply = thread
    assert "Alice starts the thread." in page(bob, root)

    with django_capture_on_commit_callbacks(execute=True):
        comment_delete(comment=root, by=alice)

    deleted = page(bob, root)
    assert "Alice starts the thread." not in deleted
    assert "comment-deleted" in deleted


def test_a_group_comment_is_never_kept_as_a_public_one(work):
    group, olga, gus = make_seminar(work)
    canary = group_post(gus, work, group)

    assert CANARY in page(olga, canary)
    assert CANARY in page(gus, canary)

    assert caches["default"].get(f"public-comment:{canary.pk}") is None
    assert client_for(make_user("nina")).get(f"/comments/{canary.pk}/").status_code == 404
    assert client_for(None).get(f"/comments/{canary.pk}/").status_code == 404
