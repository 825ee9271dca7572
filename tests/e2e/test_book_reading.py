"""A reader of the 15-chapter book: from the title page to Chapter Fifteen through the
contents and through the next links, a discussion opened at the end of the last chapter
and closed, and the contents in reach again; on a phone (390×844) and a wide screen
(1440×900), with script and without; axe finds nothing on the new pages."""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from edition.parts import version_parts
from edition.reading import version_rows
from edition.seed import BOOK_SLUG, book_import
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page

pytestmark = pytest.mark.e2e
TITLE_PAGE = f"/works/{BOOK_SLUG}/"
SHOTS = Path(tempfile.gettempdir()) / "scholia-book-shots"


@pytest.fixture
def book(transactional_db):
    return book_import()


@pytest.fixture(params=["phone", "wide"])
def screen(request) -> str:
    return request.param


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def last_paragraph(book) -> str:
    parts = version_parts(book.current_version)
    last = parts.parts[-1]
    rows = version_rows(book.current_version)[last.start : last.end]
    return [row.key for row in rows if row.kind != "heading"][-1]


def chapter_heading(page, name: str):
    return page.locator("article.text").get_by_role("heading", name=name, exact=True)


def open_contents(page, screen: str):
    """The contents as the reader reaches them from a chapter: the bar's button on a
    phone, the column beside the text on a wide screen."""
    if screen == "phone":
        page.locator(".chapter-bar-contents > summary").click()
        contents = page.locator(".chapter-bar-nav")
    else:
        contents = page.locator("nav.toc-chapters")
    expect(contents).to_be_visible()
    return contents


def test_it_reads_to_chapter_fifteen_through_the_contents(browser, live_server, book, screen):
    page = open_page(browser, screen)
    page.goto(f"{live_server.url}{TITLE_PAGE}")
    expect(page.get_by_role("heading", name="Contents: 15 chapters")).to_be_visible()
    assert_accessible(page)
    shot(page, f"title-{screen}")

    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name=re.compile(r"^Chapter Fifteen: ")).click()
    expect(page).to_have_url(f"{live_server.url}{TITLE_PAGE}chapter-fifteen/")
    expect(chapter_heading(page, "Chapter Fifteen")).to_be_visible()
    assert_accessible(page)
    shot(page, f"chapter-{screen}")

    # A section of another chapter, through the folded contents.
    contents = open_contents(page, screen)
    chapter_seven = contents.locator(".contents-chapter").nth(6)
    chapter_seven.locator("summary").click()
    chapter_seven.get_by_role("link", name="Soviet leaders facing the challenge of history").click()
    expect(page).to_have_url(re.compile(rf"{TITLE_PAGE}chapter-seven/#p\d+$"))
    section = page.locator(":target")
    expect(section).to_have_text("Soviet leaders facing the challenge of history")
    expect(section).to_be_in_viewport()
    # The bar stays in view while reading, with the chapter's name and the way to the top.
    bar = page.locator(".chapter-bar")
    expect(bar).to_be_in_viewport()
    expect(bar.locator(".chapter-bar-name")).to_have_text(re.compile(r"^Chapter Seven: "))
    shot(page, f"section-{screen}")
    bar.get_by_role("link", name="Top of the page").click()
    expect(page.get_by_role("heading", level=1)).to_be_in_viewport()
    assert page.console_errors == []
    page.context.close()


def test_it_reads_to_chapter_fifteen_through_the_next_links_and_discusses_its_end(
    browser, live_server, book, screen
):
    page = open_page(browser, screen)
    page.goto(f"{live_server.url}{TITLE_PAGE}")
    page.get_by_role("link", name=re.compile(r"^Begin reading: Chapter One")).click()
    names = "One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen Fourteen"
    for number, name in enumerate(names.split(), start=1):
        expect(chapter_heading(page, f"Chapter {name}")).to_be_visible()
        expect(page.locator(".chapter-nav-start .chapter-nav-place")).to_have_text(
            f"Chapter {number} of 15"
        )
        # The next link at the bottom, where a reader who read the chapter finds it.
        page.locator('.chapter-nav-end a[rel="next"]').click()
    expect(page).to_have_url(f"{live_server.url}{TITLE_PAGE}chapter-fifteen/")
    expect(page.locator('a[rel="next"]')).to_have_count(0)

    key = last_paragraph(book)
    page.locator(f'[data-discussion-toggle="{key}"]').click()
    panel = page.locator("#discussion-panel")
    expect(panel.get_by_role("heading", name=re.compile(r"^Discussion of ¶ "))).to_be_focused()
    shot(page, f"discussion-{screen}")
    if screen == "wide":
        # The contents stay in reach beside an open discussion: the bar above the text.
        expect(page.locator(".chapter-bar-contents > summary")).to_be_in_viewport()
    assert_accessible(page)

    panel.get_by_role("link", name="Close the discussion").click()
    expect(panel).to_be_empty()
    contents = open_contents(page, screen)
    shot(page, f"contents-after-discussion-{screen}")
    contents.get_by_role("link", name=re.compile(r"^Chapter Two: ")).click()
    expect(page).to_have_url(f"{live_server.url}{TITLE_PAGE}chapter-two/")
    assert page.console_errors == []
    page.context.close()


def test_it_reads_and_discusses_without_javascript(browser, live_server, book, screen):
    page = open_page(browser, screen, javascript=False)
    page.goto(f"{live_server.url}{TITLE_PAGE}")
    page.get_by_role("navigation", name="Contents").get_by_role(
        "link", name=re.compile(r"^Chapter Fifteen: ")
    ).click()
    key = last_paragraph(book)
    page.locator(f'[data-discussion-toggle="{key}"]').click()
    expect(page).to_have_url(re.compile(rf"chapter-fifteen/\?discussion={key}#{key}$"))
    panel = page.locator("#discussion-panel")
    expect(panel.get_by_role("heading", name=re.compile(r"^Discussion of ¶ "))).to_be_visible()
    shot(page, f"nojs-discussion-{screen}")
    panel.get_by_role("link", name="Close the discussion").click()
    expect(page).to_have_url(re.compile(rf"chapter-fifteen/#{key}$"))
    contents = open_contents(page, screen)
    shot(page, f"nojs-contents-{screen}")
    contents.get_by_role("link", name=re.compile(r"^Chapter Three: ")).click()
    expect(page).to_have_url(f"{live_server.url}{TITLE_PAGE}chapter-three/")
    page.context.close()


def test_an_old_anchor_on_the_works_page_lands_in_its_chapter(browser, live_server, book):
    key = last_paragraph(book)
    page = open_page(browser, "wide")
    page.goto(f"{live_server.url}{TITLE_PAGE}#{key}")
    expect(page).to_have_url(f"{live_server.url}{TITLE_PAGE}chapter-fifteen/#{key}")
    expect(page.locator(f"#{key}")).to_be_in_viewport()
    assert page.console_errors == []
    page.context.close()


def test_the_contents_column_follows_the_reader(browser, live_server, book):
    page = open_page(browser, "wide")
    page.goto(f"{live_server.url}{TITLE_PAGE}chapter-fifteen/")
    column = page.locator("nav.toc-chapters")
    expect(column.locator('a[aria-current="page"]')).to_be_in_viewport()
    section = column.get_by_role("link", name="Soviet leaders facing the challenge of history")
    expect(section).not_to_have_attribute("aria-current", "location")
    section.click()
    expect(section).to_have_attribute("aria-current", "location")
    assert page.console_errors == []
    page.context.close()


def test_the_title_page_offers_to_continue_where_the_reader_was(browser, live_server, book):
    page = open_page(browser, "phone")
    page.goto(f"{live_server.url}{TITLE_PAGE}")
    expect(page.locator(".title-page-continue")).to_be_hidden()
    page.goto(f"{live_server.url}{TITLE_PAGE}chapter-seven/")
    parts = version_parts(book.current_version)
    seventh = parts.parts[6]
    row = [r for r in version_rows(book.current_version)[seventh.start : seventh.end] if r.number][
        40
    ]
    page.locator(f"#{row.key}").scroll_into_view_if_needed()
    page.evaluate(f"document.getElementById('{row.key}').scrollIntoView()")
    page.wait_for_timeout(800)  # the place is noted a moment after scrolling stops
    page.goto(f"{live_server.url}{TITLE_PAGE}")
    offer = page.get_by_role("link", name=re.compile(r"^Continue at ¶ \d+ of Chapter Seven: "))
    expect(offer).to_be_visible()
    number = int(re.search(r"¶ (\d+)", offer.inner_text()).group(1))
    assert row.number - 1 <= number <= row.number
    assert_accessible(page)
    offer.click()
    expect(page).to_have_url(re.compile(rf"{TITLE_PAGE}chapter-seven/#p\d+$"))
    assert page.console_errors == []
    page.context.close()
