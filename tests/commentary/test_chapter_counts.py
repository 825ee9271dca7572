"""The title page's contents count each chapter's comments for the reader: the one
visibility rule (``visible_to``), and a reading group's layer apart when ``?group=`` names
it; at a fixed number of queries, and a comment expires its own chapter's count only."""

from unittest import mock

import pytest
from django.core.cache import caches
from django.test import Client

from commentary import access
from commentary.models import Comment
from edition.parts import version_parts
from edition.seed import book_import
from tests.commentary.annotations.test_chapter_exports import chapter_key
from tests.commentary.builders import client_for, make_user, post, set_status
from tests.commentary.group_people import CANARY, group_post, join, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db
TITLE = "/works/october-1917-book/"


@pytest.fixture
def book(db):
    return book_import(chapters=3)


def counts_shown(html: str) -> dict[str, str]:
    """{chapter slug: what its count says} from the title page's contents."""
    import re

    found = {}
    for slug, rest in re.findall(
        r'href="/works/october-1917-book/([-\w]+)/(?:\?[^"]*)?">[^<]*</a>(.{0,300})', html
    ):
        match = re.match(r'\s*<span class="contents-count">(.*?)</span>(</span>)?', rest)
        if match:
            found[slug] = re.sub(r"<[^>]+>", "|", match.group(1)).strip("|")
    return found


def test_each_chapter_shows_how_many_comments_it_has(book):
    alice = make_user("alice")
    post(alice, book, chapter_key(book, 1), body="One.")
    post(alice, book, chapter_key(book, 3), body="Three.")
    post(alice, book, chapter_key(book, 3, 2), body="Three again.")
    shown = counts_shown(Client().get(TITLE).content.decode())
    assert shown == {"chapter-one": "1 comment", "chapter-three": "2 comments"}


def test_a_held_comment_counts_for_its_author_and_a_moderator_only(book):
    alice, bob = make_user("alice"), make_user("bob")
    post(alice, book, chapter_key(book, 2), body="Public.")
    set_status(post(bob, book, chapter_key(book, 2, 1), body="Held."), Comment.Status.PENDING)
    assert counts_shown(Client().get(TITLE).content.decode()) == {"chapter-two": "1 comment"}
    assert counts_shown(client_for(alice).get(TITLE).content.decode())["chapter-two"] == (
        "1 comment"
    )
    assert counts_shown(client_for(bob).get(TITLE).content.decode())["chapter-two"] == (
        "2 comments"
    )
    moderator = make_moderator()
    assert counts_shown(client_for(moderator).get(TITLE).content.decode())["chapter-two"] == (
        "2 comments"
    )


def test_a_groups_comments_count_in_its_layer_for_its_members_only(book):
    group, _olga, gus = make_seminar(book)
    una = make_user("una")
    join(group, una)
    group_post(gus, book, group, key=chapter_key(book, 2))
    outsiders = [None, make_user("nina"), make_moderator()]
    for user in outsiders:
        page = client_for(user).get(TITLE).content.decode()
        assert counts_shown(page) == {}, user
        assert CANARY not in page
        assert client_for(user).get(f"{TITLE}?group={group.slug}").status_code == 404
    member = client_for(una).get(f"{TITLE}?group={group.slug}").content.decode()
    assert counts_shown(member) == {"chapter-two": "0 · 1 in group"}
    assert "0 public comments, 1 in Tuesday seminar" in member
    assert counts_shown(client_for(una).get(TITLE).content.decode()) == {}


def test_the_title_page_costs_a_fixed_number_of_queries_with_counts(
    book, settings, django_assert_max_num_queries
):
    settings.SCHOLIA_PAGE_CACHE = False
    alice = make_user("alice")
    for number in (1, 2, 3):
        post(alice, book, chapter_key(book, number), body="A comment.")
    caches["default"].clear()
    with django_assert_max_num_queries(10):
        Client().get(TITLE)
    with django_assert_max_num_queries(6):
        assert counts_shown(Client().get(TITLE).content.decode())["chapter-three"] == "1 comment"
    reader = client_for(alice)
    reader.get(TITLE)
    with django_assert_max_num_queries(9):
        reader.get(TITLE)


def test_a_comment_expires_its_chapters_count_only(
    book, settings, django_capture_on_commit_callbacks
):
    settings.SCHOLIA_PAGE_CACHE = False
    alice = make_user("alice")
    version = book.current_version
    parts = version_parts(version)
    counted = parts.counted()
    assert access.part_comment_counts(None, version, counted) == {
        "chapter-one": 0,
        "chapter-two": 0,
        "chapter-three": 0,
    }
    with django_capture_on_commit_callbacks(execute=True):
        post(alice, book, chapter_key(book, 2), body="On two.")
    asked = []
    real = access._count_by_paragraph

    def counting(comments, ids, carried):
        asked.append(set(ids))
        return real(comments, ids, carried)

    with mock.patch.object(access, "_count_by_paragraph", counting):
        counts = access.part_comment_counts(None, version, counted)
    assert counts == {"chapter-one": 0, "chapter-two": 1, "chapter-three": 0}
    assert asked == [set(parts.paragraph_ids[1])]  # chapter two's passages, counted again
    with mock.patch.object(access, "_count_by_paragraph", counting):
        access.part_comment_counts(None, version, counted)
    assert len(asked) == 1  # all kept now
