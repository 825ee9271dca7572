"""The title page's contents count each chapter's comments, and a chapter page offers its
downloads (the chapter's TEI, Markdown, EPUB and W3C annotations): phone and wide screen,
axe finds nothing; the chapter's Markdown download holds that chapter only."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from commentary.services import comment_create
from edition.models import Paragraph
from edition.parts import version_parts
from edition.reading import version_rows
from edition.seed import BOOK_SLUG, book_import
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_reading_place import shot

pytestmark = pytest.mark.e2e
TITLE_PAGE = f"/works/{BOOK_SLUG}/"


@pytest.fixture
def book(transactional_db):
    work = book_import(chapters=4)
    alice = get_user_model().objects.create_user("alice", "alice@example.org")
    parts = version_parts(work.current_version)
    rows = version_rows(work.current_version)
    for number, many in ((2, 3), (4, 1)):
        part = parts.parts[number - 1]
        key = [row.key for row in rows[part.start : part.end] if row.kind == "paragraph"][0]
        for n in range(many):
            comment_create(
                author=alice,
                paragraph=Paragraph.objects.get(work=work, key=key),
                body=f"On chapter {number}, {n}.",
            )
    return work


@pytest.fixture(params=["phone", "wide"])
def screen(request) -> str:
    return request.param


def test_the_contents_count_and_the_chapter_offers_its_downloads(
    browser, live_server, book, screen
):
    page = open_page(browser, screen)
    page.goto(f"{live_server.url}{TITLE_PAGE}")
    chapters = page.locator(".title-page-contents .contents-chapter")
    expect(chapters.nth(1).locator(".contents-count")).to_have_text("3 comments")
    expect(chapters.nth(3).locator(".contents-count")).to_have_text("1 comment")
    expect(chapters.nth(0).locator(".contents-count")).to_have_count(0)
    page.locator(".title-page-contents").scroll_into_view_if_needed()
    assert_accessible(page)
    shot(page, f"title-counts-{screen}")

    chapters.nth(1).locator(".contents-chapter-link").click()
    expect(page).to_have_url(re.compile(r"/chapter-two/$"))
    page.locator(".chapter-tools summary").click()
    downloads = page.locator(".discussion-downloads")
    expect(downloads).to_contain_text("This chapter with its comments:")
    page.locator(".discussion-downloads").scroll_into_view_if_needed()
    assert_accessible(page)
    shot(page, f"chapter-downloads-{screen}")
    with page.expect_download() as download:
        downloads.get_by_role("link", name="Markdown").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "On chapter 2, 0." in text and "On chapter 4" not in text
    assert download.value.suggested_filename == f"{BOOK_SLUG}-v1-chapter-two.md"
    assert page.console_errors == []
