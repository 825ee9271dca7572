"""A thread as most signed-in readers see it: rendered once for everybody, each reader's
controls filled in (``commentary.pages.shared_threads``). Nobody gets another's controls,
and a reader who sees more than everybody gets the thread rendered for them.

alice started the thread, bob replied; charlie's reply waits for a moderator. olga leads
the Tuesday seminar, gus wrote the canary in it, nina is outside it.
"""

import re

import pytest
from django.core.cache import caches

from commentary.models import Comment
from commentary.moderation.decisions import flag_create
from commentary.pages import shared_threads
from commentary.services import comment_edit
from tests.commentary.builders import client_for, make_user, post, set_status
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
        assert HELD not in caches["default"].get(name)[1][0]


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
