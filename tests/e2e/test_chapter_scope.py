"""From a chapter's page to a search of that chapter and to its comments in reading order
(issue 21), on a phone and a wide screen, with script and without: only the chapter's
comments are found and listed; axe (with script) finds nothing on the pages. Screenshots go to
/work/shots/search16b when it exists, else to a temporary folder."""

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from commentary.services import comment_create
from edition.models import Paragraph
from edition.parts import version_parts
from edition.reading import version_rows
from edition.seed import BOOK_SLUG, book_import
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import make_reader

pytestmark = pytest.mark.e2e
CHOSEN = Path("/work/shots/search16b")
SHOTS = CHOSEN if CHOSEN.is_dir() else Path(tempfile.gettempdir()) / "scholia-chapter-shots"
WORD = "palimpsest"


@pytest.fixture(params=["phone", "wide"])
def screen(request) -> str:
    return request.param


@pytest.fixture(params=[True, False], ids=["script", "no-script"])
def javascript(request) -> bool:
    return request.param


def first_paragraph_of(work, number: int) -> Paragraph:
    part = version_parts(work.current_version).parts[number - 1]
    rows = version_rows(work.current_version)[part.start : part.end]
    key = next(row.key for row in rows if row.kind == "paragraph")
    return Paragraph.objects.get(work=work, key=key)


@pytest.fixture
def discussed(transactional_db):
    book = book_import(chapters=3)
    ada = make_reader("ada")
    on_two = comment_create(
        author=ada, body=f"Chapter two reads like a {WORD}.", paragraph=first_paragraph_of(book, 2)
    )
    comment_create(
        author=ada, body=f"Chapter one is a {WORD} too.", paragraph=first_paragraph_of(book, 1)
    )
    return on_two


def check(page, name: str, screen: str, javascript: bool, *, full_page: bool = True) -> None:
    """axe on the page (it runs as a script: with script only), and its screenshot (of
    the screen only, for a chapter's long page)."""
    if javascript:
        assert_accessible(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if javascript else "-nojs"
    page.screenshot(path=str(SHOTS / f"{name}-{screen}{suffix}.png"), full_page=full_page)


def test_a_chapter_leads_to_its_search_and_its_comments(
    browser, live_server, discussed, screen, javascript
):
    page = open_page(browser, screen, javascript=javascript)
    chapter = f"{live_server.url}/works/{BOOK_SLUG}/chapter-two/"
    page.goto(chapter)
    tools = page.locator(".chapter-tools")
    expect(page.get_by_role("searchbox", name="Search this chapter")).to_be_hidden()
    tools.locator("summary").click()  # folded, so that the text comes first on a phone
    check(page, "chapter-find", screen, javascript, full_page=False)
    page.get_by_role("searchbox", name="Search this chapter").fill(WORD)
    page.locator(".chapter-search").get_by_role("button", name="Search").click()
    expect(page.locator(".search-scope")).to_contain_text("Chapter Two")
    hits = page.locator(".search-hit-comments")
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("Chapter two reads like a")
    expect(hits.first.locator("mark")).to_have_text(WORD)
    check(page, "chapter-search", screen, javascript)

    page.goto(chapter)
    page.locator(".chapter-tools summary").click()
    page.get_by_role("link", name="Comments on this chapter, in reading order").click()
    comments = page.locator(".reading-order-comment")
    expect(comments).to_have_count(1)
    expect(comments.first).to_contain_text("Chapter two reads like a")
    expect(page.get_by_role("combobox", name="Chapter")).to_have_value("chapter-two")
    check(page, "chapter-comments", screen, javascript)
    # The whole work again, from the same form.
    page.get_by_role("combobox", name="Chapter").select_option("")
    page.get_by_role("button", name="Filter").click()
    expect(comments).to_have_count(2)
    assert page.console_errors == []
