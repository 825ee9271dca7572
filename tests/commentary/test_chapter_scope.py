"""Search and the reading-order list of one chapter of a work in chapters (issue 21): the
``chapter`` filter of the search page and API, of the reading-order page and API and of the
comment list, its 400s, the links from a chapter's page, and the group canary on each."""

import pytest
from django.urls import reverse

from edition.parts import version_parts
from edition.reading import version_rows
from edition.seed import book_import, seed_import
from tests.commentary.builders import client_for, post
from tests.commentary.group_people import CANARY, group_post, make_seminar
from tests.commentary.moderation_people import make_moderator
from tests.edition.test_chapter_pages import key_in_chapter

pytestmark = pytest.mark.django_db

# A word no text or other comment holds.
UNIQUE = "zanzibarian"
BOOK = "october-1917-book"


@pytest.fixture
def book():
    return book_import(chapters=3)


def search_api(user, **params):
    return client_for(user).get(reverse("api:search"), params)


def search_page(user, **params):
    return client_for(user).get(reverse("search:search"), params)


def reading_api(user, **params):
    return client_for(user).get(reverse("api:work-comments", kwargs={"slug": BOOK}), params)


def reading_page(user, **params):
    return client_for(user).get(reverse("search:work-comments", kwargs={"slug": BOOK}), params)


def comment_list(user, **params):
    return client_for(user).get(reverse("api:comment-list"), params)


def keys_of_chapter(work, number: int) -> set[str]:
    part = version_parts(work.current_version).parts[number - 1]
    return {row.key for row in version_rows(work.current_version)[part.start : part.end]}


@pytest.fixture
def on_two_chapters(book, alice):
    """(a comment on chapter one, one on chapter two), both holding ``UNIQUE``."""
    first = post(alice, book, key_in_chapter(book, 1), f"On one, {UNIQUE}.")
    second = post(alice, book, key_in_chapter(book, 2, 1), f"On two, {UNIQUE}.")
    return first, second


def test_search_finds_the_comments_of_the_chapter_only(on_two_chapters):
    first, second = on_two_chapters
    whole = search_api(None, q=UNIQUE, work=BOOK).json()
    assert whole["comment_count"] == 2
    answer = search_api(None, q=UNIQUE, work=BOOK, chapter="chapter-two").json()
    assert answer["comment_count"] == 1
    assert [hit["comment"]["id"] for hit in answer["results"]] == [second.pk]
    body = search_page(None, q=UNIQUE, work=BOOK, chapter="chapter-one").content.decode()
    assert "On one," in body and "On two," not in body
    assert "of October 1917 Revolution: A Century Later only." in body


def test_search_finds_the_text_of_the_chapter_only(book):
    # The book repeats the seed's text in each chapter: the whole work finds a word of it
    # in every chapter, the chapter in its own only.
    whole = search_api(None, q="socialist", work=BOOK, kind="text").json()
    found = search_api(None, q="socialist", work=BOOK, kind="text", chapter="chapter-three")
    found = found.json()
    assert 0 < found["text_count"] < whole["text_count"]
    assert {hit["paragraph"] for hit in found["results"]} <= keys_of_chapter(book, 3)
    assert all("/chapter-three/#" in hit["url"] for hit in found["results"])


def test_the_reading_order_lists_the_chapter_only(on_two_chapters):
    first, second = on_two_chapters
    listed = reading_api(None, chapter="chapter-two").json()
    assert [c["id"] for c in listed["results"]] == [second.pk]
    assert [c["id"] for c in reading_api(None).json()["results"]] == [first.pk, second.pk]
    body = reading_page(None, chapter="chapter-one").content.decode()
    assert "On one," in body and "On two," not in body
    assert "On Chapter One" in body  # says what it lists
    ordered = comment_list(None, work=BOOK, ordering="reading", chapter="chapter-two").json()
    assert [c["id"] for c in ordered["results"]] == [second.pk]
    newest = comment_list(None, work=BOOK, chapter="chapter-one").json()
    assert [c["id"] for c in newest["results"]] == [first.pk]


def test_a_chapter_of_an_earlier_version_is_that_versions(on_two_chapters):
    first, second = on_two_chapters
    listed = comment_list(None, work=BOOK, version=1, chapter="chapter-two").json()
    assert [c["id"] for c in listed["results"]] == [second.pk]


@pytest.mark.parametrize(
    "ask",
    [
        lambda: search_api(None, q="x", work=BOOK, chapter="chapter-ninety"),
        lambda: search_api(None, q="x", chapter="chapter-two"),
        lambda: search_api(None, q="x", work="october-1917", chapter="chapter-one"),
        lambda: search_page(None, q="x", work=BOOK, chapter="chapter-ninety"),
        lambda: search_page(None, q="x", chapter="chapter-two"),
        lambda: reading_api(None, chapter="chapter-ninety"),
        lambda: reading_api(None, chapter="Not a slug!"),
        lambda: reading_page(None, chapter="chapter-ninety"),
        lambda: comment_list(None, work=BOOK, chapter="chapter-ninety"),
        lambda: comment_list(None, chapter="chapter-two"),
        lambda: comment_list(None, work=BOOK, version=9, chapter="chapter-two"),
        lambda: comment_list(None, work="october-1917", chapter="chapter-one"),
    ],
)
def test_a_chapter_that_is_not_there_answers_400(book, ask):
    seed_import()  # "october-1917": a text in one part, with no chapters to ask for
    response = ask()
    assert response.status_code == 400
    text = response.content.decode()
    assert "chapter" in text.lower()


def test_the_chapter_page_leads_to_its_search_and_its_comments(book):
    page = client_for().get(f"/works/{BOOK}/chapter-two/").content.decode()
    assert 'action="/search/"' in page
    assert '<input type="hidden" name="work" value="october-1917-book">' in page
    assert '<input type="hidden" name="chapter" value="chapter-two">' in page
    assert "Search this chapter" in page
    assert f'href="/works/{BOOK}/comments/?chapter=chapter-two"' in page


def test_the_group_canary_stays_in_the_group_on_a_chapter(book, alice):
    group, olga, gus = make_seminar(book)
    key = key_in_chapter(book, 2)
    group_post(gus, book, group, key=key, body=f"{CANARY} {UNIQUE}")
    outsiders = (None, alice, make_moderator())
    scoped = {"work": BOOK, "chapter": "chapter-two"}
    for reader in outsiders:
        found = search_api(reader, q=UNIQUE, **scoped).json()
        assert (found["count"], found["comment_count"], found["results"]) == (0, 0, [])
        assert CANARY not in search_page(reader, q=UNIQUE, **scoped).content.decode()
        assert reading_api(reader, chapter="chapter-two").json()["count"] == 0
        assert CANARY not in reading_page(reader, chapter="chapter-two").content.decode()
        assert comment_list(reader, ordering="reading", **scoped).json()["results"] == []
    assert search_api(olga, q=UNIQUE, **scoped).json()["comment_count"] == 1
    assert CANARY in search_page(gus, q=UNIQUE, **scoped).content.decode()
    assert reading_api(gus, chapter="chapter-two").json()["count"] == 1
    assert CANARY in reading_page(gus, chapter="chapter-two").content.decode()
    assert len(comment_list(gus, ordering="reading", **scoped).json()["results"]) == 1
    # Another chapter's list holds nothing of it, even for a member.
    assert reading_api(gus, chapter="chapter-one").json()["count"] == 0
