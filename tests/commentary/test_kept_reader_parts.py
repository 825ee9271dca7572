"""A signed-in reader's part of the reading page, kept for them between requests
(``edition.pages.shared_page.kept_for_readers``): once kept, a page costs no query (but the
session's, where no cache holds it); it is never served to anyone else, and is
stale at once when what it shows of them changes.

alice holds a comment for the moderators, which only she may count; bob reads signed in
too. olga leads the Tuesday seminar, gus is in it and wrote the canary there; nina is
outside it.
"""

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from commentary.groups.services import group_leave, member_remove
from commentary.models import Comment
from commentary.moderation.sanctions import user_ban, user_suspend
from commentary.notifications.follows import follow_create, follow_delete
from commentary.services import comment_edit
from config.site import caching
from edition.seed import book_import
from tests.commentary.builders import client_for, make_user, make_work, post, set_status
from tests.commentary.group_people import CANARY, group_post, join, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db

READING = "/works/october-1917/"
HELD = "Held back for the moderators."
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def kept_page_queries() -> int:
    """The session, unless the cache holds it (with Redis); the user with their roles is
    kept too (``commentary.accounts.token_users.session_user``)."""
    return 0 if settings.SESSION_ENGINE == "config.sessions" else 1


def toggle(html: str, key: str = "p3") -> str:
    return re.search(rf'<a class="comment-toggle[^>]*data-discussion-toggle="{key}"[^>]*>', html)[0]


def account(html: str) -> str:
    return re.search(r'<nav class="account-nav".*?</nav>', html, re.S)[0]


def follow_form(html: str) -> str:
    form = re.search(r"<form[^>]*follow[^>]*>.*?</form>", html, re.S)[0]
    return TOKEN.sub("", form)


def page(client, url: str = READING) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def held(work, alice):
    return set_status(post(alice, work, body=HELD), Comment.Status.PENDING)


@pytest.fixture
def seminar(work):
    group, olga, gus = make_seminar(work)
    group_post(gus, work, group)
    return group, olga, gus


def test_a_kept_reading_page_costs_the_session_at_most(
    work, alice, held, django_assert_num_queries
):
    client = client_for(alice)
    whole = page(client)

    with django_assert_num_queries(kept_page_queries()):
        kept = page(client)

    assert 'data-count="1"' in toggle(kept)
    assert TOKEN.sub("", kept) == TOKEN.sub("", whole)


def test_a_kept_group_layer_costs_the_session_at_most(seminar, django_assert_num_queries):
    group, _olga, gus = seminar
    client = client_for(gus)
    whole = page(client, f"{READING}?group={group.slug}")

    with django_assert_num_queries(kept_page_queries()):
        kept = page(client, f"{READING}?group={group.slug}")

    assert 'data-layer-count="1"' in toggle(kept)
    assert TOKEN.sub("", kept) == TOKEN.sub("", whole)


def test_a_kept_chapter_costs_the_session_at_most(alice, django_assert_num_queries):
    book_import(chapters=3)
    client = client_for(alice)
    chapter = "/works/october-1917-book/chapter-two/"
    whole = page(client, chapter)

    with django_assert_num_queries(kept_page_queries()):
        kept = page(client, chapter)

    assert TOKEN.sub("", kept) == TOKEN.sub("", whole)
    assert ">alice</a>" in account(kept)


def reads_of_the_caches(monkeypatch) -> dict[str, list[list[str]]]:
    """Each read of several keys (``get_many``) of the counters and of the pages' cache."""
    reads = {"counters": [], "default": []}
    for name, made in reads.items():
        cache = caches[name]
        monkeypatch.setattr(
            cache,
            "get_many",
            lambda keys, *a, _read=cache.get_many, _made=made, **k: (
                _made.append(list(keys)) or _read(keys, *a, **k)
            ),
        )
    return reads


@pytest.mark.parametrize("layer", [False, True])
def test_a_kept_page_reads_the_counters_once_and_the_pages_cache_once(
    work, seminar, layer, monkeypatch
):
    """The page's generations come with the reader's; the reader's part and the shared
    page's mark come with the reader (the shared page itself is kept in the process)."""
    group, _olga, gus = seminar
    client = client_for(gus)
    url = f"{READING}?group={group.slug}" if layer else READING
    whole = page(client, url)
    page(client, url)
    reads = reads_of_the_caches(monkeypatch)

    kept = page(client, url)

    assert TOKEN.sub("", kept) == TOKEN.sub("", whole)
    [counters], [pages] = reads["counters"], reads["default"]
    assert f"generation:reader:work:{gus.pk}" in counters
    assert f"generation:counts:work:{work.slug}" in counters
    assert f"session-user:{gus.pk}" in pages
    assert any(key.startswith("made:reader-page:") for key in pages)
    assert any(key.endswith(f":reader:{gus.pk}") for key in pages)
    # Not the shared page: only its mark.
    assert not any(
        key.startswith("reader-page:") and key.endswith((":public", ":text")) for key in pages
    )


def test_the_shared_page_kept_here_is_served_only_while_the_pages_cache_marks_it(
    work, alice, monkeypatch
):
    monkeypatch.setattr(caching, "_pages_here", {})
    client = client_for(alice)
    whole = page(client)
    [key] = [key for key in caching._pages_here if key.endswith(":public")]
    generations, public = caches["default"].get(key)
    other = replace(public, pieces=[b"The shared copy.", *public.pieces[1:]])
    caches["default"].set(key, (generations, other))

    # Marked: this process's copy is served, the pages' cache's is not read.
    assert TOKEN.sub("", page(client)) == TOKEN.sub("", whole)
    # Without the mark, the pages' cache's copy is read (and kept here in its place).
    caches["default"].delete(caching.mark_of(key))
    assert page(client).startswith("The shared copy.")
    # Emptied: the page is made again, for everybody.
    caches["default"].clear()
    assert TOKEN.sub("", page(client)) == TOKEN.sub("", whole)
    assert TOKEN.sub("", page(client)) == TOKEN.sub("", whole)


def test_each_reader_gets_their_own_kept_part(work, alice, bob, held):
    alices, bobs = client_for(alice), client_for(bob)
    for _ in range(2):
        alices_page, bobs_page, anonymous = page(alices), page(bobs), page(client_for())

        assert ">alice</a>" in account(alices_page)
        assert 'data-count="1"' in toggle(alices_page)
        for other in (bobs_page, anonymous):
            assert "alice" not in other
            assert 'data-count="0"' in toggle(other)
        assert ">bob</a>" in account(bobs_page)
    tokens = {
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
        for html in (page(alices), page(alices))
    }
    assert len(tokens) == 2  # each request its own token, never a kept one


def test_another_member_gets_their_own_layer_counts(work, seminar, alice):
    group, olga, gus = seminar
    set_status(group_post(olga, work, group, body="Held in the group."), Comment.Status.PENDING)
    join(group, alice)
    layer = f"{READING}?group={group.slug}"
    for _ in range(2):
        olgas, guss, alices = (page(client_for(user), layer) for user in (olga, gus, alice))

        assert 'data-layer-count="2"' in toggle(olgas)  # the owner sees the held one
        assert 'data-layer-count="1"' in toggle(guss)
        assert 'data-layer-count="1"' in toggle(alices)
        assert ">olga</a>" not in guss + alices


def test_outsiders_never_get_a_members_kept_layer(work, seminar):
    group, _olga, gus = seminar
    members = client_for(gus)
    page(members, f"{READING}?group={group.slug}")
    page(members, f"{READING}?group={group.slug}")

    nina = client_for(make_user("nina"))
    assert nina.get(f"{READING}?group={group.slug}").status_code == 404
    assert client_for().get(f"{READING}?group={group.slug}").status_code == 404
    outsiders = page(nina)
    assert group.name not in outsiders
    assert CANARY not in outsiders
    assert "data-layer-count" not in outsiders


@pytest.mark.parametrize("leaving", ["leaves", "is removed"])
def test_a_member_who_goes_loses_the_kept_layer_at_once(
    work, seminar, leaving, django_capture_on_commit_callbacks
):
    group, olga, gus = seminar
    client = client_for(gus)
    layer = f"{READING}?group={group.slug}"
    page(client, layer)
    page(client, layer)
    assert group.name in page(client)

    with django_capture_on_commit_callbacks(execute=True):
        if leaving == "leaves":
            group_leave(group=group, user=gus)
        else:
            member_remove(group=group, by=olga, user=gus)

    assert client.get(layer).status_code == 404
    assert group.name not in page(client)


def test_a_member_who_goes_loses_the_kept_layer_even_unannounced(work, seminar):
    """Without the after-commit bumps, the roles read with the user still refuse it."""
    group, _olga, gus = seminar
    client = client_for(gus)
    layer = f"{READING}?group={group.slug}"
    page(client, layer)
    page(client, layer)

    group.memberships.filter(user=gus).delete()

    assert client.get(layer).status_code == 404
    assert group.name not in page(client)


def test_a_sanction_shows_on_the_next_request(work, alice, django_capture_on_commit_callbacks):
    moderator = make_moderator()
    client = client_for(alice)
    page(client)
    assert "Banned" not in account(page(client))

    with django_capture_on_commit_callbacks(execute=True):
        user_ban(user=alice, moderator=moderator, reason="Spam.")

    assert "Banned" in account(page(client))
    assert "Banned" in account(page(client))


def test_following_and_unfollowing_show_on_the_next_request(
    work, alice, django_capture_on_commit_callbacks
):
    client = client_for(alice)
    page(client)
    before = follow_form(page(client))

    with django_capture_on_commit_callbacks(execute=True):
        follow_create(user=alice, work=work)
    following = follow_form(page(client))
    with django_capture_on_commit_callbacks(execute=True):
        follow_delete(user=alice, work=work)
    after = follow_form(page(client))

    assert following != before
    assert after == before
    assert follow_form(page(client_for(make_user("nina")))) == before


def test_own_comments_show_on_the_next_request(
    work, alice, bob, django_capture_on_commit_callbacks
):
    client = client_for(alice)
    page(client)
    assert 'data-count="0"' in toggle(page(client))

    with django_capture_on_commit_callbacks(execute=True):
        comment = set_status(post(alice, work, body=HELD), Comment.Status.PENDING)
    assert 'data-count="1"' in toggle(page(client))
    assert 'data-count="0"' in toggle(page(client_for(bob)))

    with django_capture_on_commit_callbacks(execute=True):
        comment_edit(comment=comment, editor=alice, body="Reworded, still held.")
    assert 'data-count="1"' in toggle(page(client))


def test_a_post_moves_the_counts_and_its_authors_part_in_one_round_trip(
    work, alice, monkeypatch, django_capture_on_commit_callbacks
):
    moved = []
    bump_keys = caching._bump_counter_keys
    monkeypatch.setattr(
        caching, "_bump_counter_keys", lambda keys: moved.append(keys) or bump_keys(keys)
    )

    with django_capture_on_commit_callbacks(execute=True):
        post(alice, work)

    [keys] = moved
    assert {f"generation:reader:work:{alice.pk}", "generation:counts:work:october-1917"} <= set(
        keys
    )


def test_a_new_notification_shows_on_the_next_request(
    work, alice, bob, django_capture_on_commit_callbacks
):
    # On another work: nothing of this page's counts or discussion changes, only the bell.
    other = make_work(slug="another-work")
    with django_capture_on_commit_callbacks(execute=True):
        first = post(alice, other, body="Alice's reading.")
    client = client_for(alice)
    page(client)
    assert "bell-count" not in account(page(client))

    with django_capture_on_commit_callbacks(execute=True):
        post(bob, other, body="Bob answers.", parent=first)

    assert "bell-count" in account(page(client))
    assert "bell-count" not in account(page(client_for(bob)))


def test_a_suspension_that_ran_out_is_not_shown_from_a_kept_part(
    work, alice, monkeypatch, django_capture_on_commit_callbacks
):
    moderator = make_moderator()
    with django_capture_on_commit_callbacks(execute=True):
        user_suspend(
            user=alice,
            moderator=moderator,
            until=timezone.now() + timedelta(hours=1),
            reason="Spam.",
        )
    client = client_for(alice)
    assert "Suspended until" in account(page(client))
    assert "Suspended until" in account(page(client))

    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)  # no write marks the end

    assert "Suspended until" not in account(page(client))
