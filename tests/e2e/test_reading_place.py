"""A signed-in reader's place, kept on the server: read into Chapter Seven with script
(the page posts the place) or open a discussion there without it, and the title page says
"Continue at ¶ N of Chapter Seven" and leads back there; another reader's title page, and
an anonymous one, say nothing of it. Phone and wide screen; axe finds nothing."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from edition.parts import version_parts
from edition.reading import version_rows
from edition.seed import BOOK_SLUG, book_import
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.signing_in import sign_in_directly, signed_in_cookies

pytestmark = pytest.mark.e2e
TITLE_PAGE = f"/works/{BOOK_SLUG}/"
SHOTS = Path("/work/shots/book21b")


@pytest.fixture
def book(transactional_db):
    work = book_import(chapters=7)
    for name in ("alice", "bob"):
        get_user_model().objects.create_user(name, f"{name}@example.org", f"pw-{name}-1917")
    return work


@pytest.fixture(params=["phone", "wide"])
def screen(request) -> str:
    return request.param


def paragraph_of_chapter_seven(book, nth: int) -> tuple[str, int]:
    part = version_parts(book.current_version).parts[6]
    rows = version_rows(book.current_version)[part.start : part.end]
    row = [row for row in rows if row.kind == "paragraph"][nth]
    return row.key, row.number


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_the_title_page_offers_the_place_read_with_script(browser, live_server, book, screen):
    page = open_page(browser, screen)
    sign_in_directly(page, live_server, "alice", "pw-alice-1917")
    page.goto(f"{live_server.url}{TITLE_PAGE}chapter-seven/")
    key, number = paragraph_of_chapter_seven(book, 6)
    with page.expect_response(lambda r: r.url.endswith("/place/"), timeout=20_000) as sent:
        page.locator(f"#{key}").scroll_into_view_if_needed()
        page.evaluate(f"document.getElementById('{key}').scrollIntoView({{block: 'start'}})")
    assert sent.value.status == 204
    page.goto(f"{live_server.url}{TITLE_PAGE}")
    offer = page.locator(".title-page-continue a")
    expect(offer).to_be_visible()
    expect(offer).to_have_text(re.compile(r"^Continue at ¶ \d+ of Chapter Seven: "))
    assert_accessible(page)
    shot(page, f"title-place-{screen}")
    offer.click()
    expect(page).to_have_url(re.compile(r"/chapter-seven/#p\d+$"))
    assert page.console_errors == []

    # Bob, at the same browser's next context, and an anonymous reader see nothing of it.
    other = open_page(browser, screen)
    sign_in_directly(other, live_server, "bob", "pw-bob-1917")
    other.goto(f"{live_server.url}{TITLE_PAGE}")
    expect(other.locator(".title-page-continue a")).to_have_count(0)
    anonymous = open_page(browser, screen)
    anonymous.goto(f"{live_server.url}{TITLE_PAGE}")
    expect(anonymous.locator(".title-page-continue")).to_be_hidden()
    assert number  # the passage read has a number


def test_the_place_of_a_discussion_opened_without_script(browser, live_server, book, screen):
    page = open_page(browser, screen, javascript=False)
    page.context.add_cookies(signed_in_cookies(live_server, "alice", "pw-alice-1917"))
    key, number = paragraph_of_chapter_seven(book, 3)
    page.goto(f"{live_server.url}{TITLE_PAGE}chapter-seven/?discussion={key}")
    page.goto(f"{live_server.url}{TITLE_PAGE}")
    offer = page.locator(".title-page-continue a")
    expect(offer).to_have_text(re.compile(rf"^Continue at ¶ {number} of Chapter Seven: "))
    shot(page, f"title-place-nojs-{screen}")
    offer.click()
    expect(page).to_have_url(f"{live_server.url}{TITLE_PAGE}chapter-seven/#{key}")
