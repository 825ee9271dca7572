"""A signed-in reader's place, kept on the server: sent by the chapter page's script (a
CSRF-checked POST), or kept when they open a passage's discussion (without JavaScript
too), and offered on their title page only; anonymous readers keep theirs in the browser."""

import pytest
from django.core.cache import caches
from django.test import Client

from edition.models import ReadingPlace
from edition.parts import version_parts
from edition.reading import version_rows
from edition.seed import book_import
from tests.commentary.builders import client_for, make_user

pytestmark = pytest.mark.django_db
TITLE = "/works/october-1917-book/"
PLACE = "/works/october-1917-book/place/"


@pytest.fixture
def book(db):
    return book_import(chapters=3)


def passage(work, chapter: int, nth: int) -> tuple[str, int]:
    """(key, number) of the ``nth`` paragraph of chapter ``chapter``."""
    part = version_parts(work.current_version).parts[chapter - 1]
    rows = version_rows(work.current_version)[part.start : part.end]
    row = [row for row in rows if row.kind == "paragraph"][nth]
    return row.key, row.number


def continue_link(html: str) -> str | None:
    import re

    found = re.search(r'title-page-continue"><a href="([^"]+)">([^<]+)</a>', html)
    return f"{found.group(1)} {found.group(2)}" if found else None


def test_the_title_page_offers_a_signed_in_readers_place_without_javascript(book):
    alice = make_user("alice")
    key, number = passage(book, 2, 4)
    reader = client_for(alice)
    assert continue_link(reader.get(TITLE).content.decode()) is None
    assert reader.post(PLACE, {"key": key}).status_code == 204
    link = continue_link(reader.get(TITLE).content.decode())
    assert link == (
        f"/works/october-1917-book/chapter-two/#{key} Continue at ¶ {number} of Chapter Two: "
        f"The transformation of the world, two"
    )


def test_opening_a_discussion_keeps_the_place(book):
    alice = make_user("alice")
    key, number = passage(book, 3, 2)
    reader = client_for(alice)
    page = reader.get(f"/works/october-1917-book/chapter-three/?discussion={key}")
    assert page.status_code == 200
    assert f"Continue at ¶ {number} of Chapter Three" in continue_link(
        reader.get(TITLE).content.decode()
    )


def test_one_readers_place_is_never_shown_to_another_nor_kept_in_a_shared_page(book, settings):
    settings.SCHOLIA_PAGE_CACHE = True
    caches["default"].clear()
    alice, bob = make_user("alice"), make_user("bob")
    key, _number = passage(book, 2, 4)
    client_for(alice).post(PLACE, {"key": key})
    assert continue_link(client_for(bob).get(TITLE).content.decode()) is None
    for _ in range(2):  # the stored page and the page served from the store
        anonymous = Client().get(TITLE)
        assert continue_link(anonymous.content.decode()) is None
        assert "Continue at ¶" not in anonymous.content.decode()
    # The chapter page a signed-in reader gets is the shared one: nothing of a place in it.
    chapter = client_for(alice).get("/works/october-1917-book/chapter-two/").content.decode()
    assert "Continue at" not in chapter
    # And the signed-in title page offers no browser-kept place: only the server's.
    assert "data-place-offer" not in client_for(alice).get(TITLE).content.decode()
    assert "data-place-offer" in Client().get(TITLE).content.decode()


def test_the_place_needs_a_signed_in_reader_a_csrf_token_and_a_passage(book):
    key, _number = passage(book, 1, 1)
    assert Client().post(PLACE, {"key": key}).status_code == 404
    alice = make_user("alice")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(PLACE, {"key": key}).status_code == 403
    reader = client_for(alice)
    assert reader.get(PLACE).status_code == 405
    bad = reader.post(PLACE, {"key": "p99999"})
    assert bad.status_code == 400 and "not in the current version" in bad.content.decode()
    assert reader.post(PLACE, {}).status_code == 400
    assert reader.post("/works/no-such-work/place/", {"key": key}).status_code == 404
    assert not ReadingPlace.objects.exists()


def test_a_later_place_replaces_the_earlier_one_at_a_fixed_cost(book, django_assert_num_queries):
    alice = make_user("alice")
    first, _ = passage(book, 1, 1)
    second, number = passage(book, 1, 2)
    reader = client_for(alice)
    reader.post(PLACE, {"key": first})
    assert ReadingPlace.objects.get().paragraph.key == first
    from edition.places import place_keep

    book.refresh_from_db()
    book.current_version  # noqa: B018 - loaded before counting
    with django_assert_num_queries(3):
        place_keep(user=alice, work=book, key=second)
    place = ReadingPlace.objects.get()
    assert (place.paragraph.key, place.number) == (second, number)


def test_a_chapter_cannot_be_called_place(book):
    from edition.parts import part_slugs

    assert part_slugs(["Place"]) == ["part-place"]


def test_a_members_places_are_in_their_download_and_go_with_their_account(book):
    from commentary.accounts.deletion import account_delete
    from commentary.accounts.export import member_data

    alice = make_user("alice")
    key, _number = passage(book, 2, 1)
    client_for(alice).post(PLACE, {"key": key})
    (exported,) = member_data(alice)["reading_places"]
    assert exported["work"] == "october-1917-book" and exported["passage"] == key
    account_delete(user=alice)
    assert not ReadingPlace.objects.filter(user=alice).exists()
