"""A comparison of two versions, of one chapter (``?chapter=<slug>``) or of the whole work:
the page, its picker, the chapter page's link to it, and the API."""

import pytest
from django.test import Client

from tests.edition.builders import build_version, build_work, heading, para

pytestmark = pytest.mark.django_db


@pytest.fixture
def work():
    work = build_work()
    build_version(
        work,
        [
            heading("Chapter One"),
            para("The first chapter's paragraph."),
            heading("Chapter Two"),
            para("The second chapter's paragraph."),
            para("A paragraph the second version takes out."),
        ],
    )
    build_version(
        work,
        [
            heading("Chapter One", key="p1"),
            para("The first chapter's paragraph, reworded.", key="p2"),
            heading("Chapter Two", key="p3"),
            para("The second chapter's paragraph, reworded too.", key="p4"),
            para("A paragraph the second version adds."),
        ],
    )
    work.refresh_from_db()
    return work


def test_a_chapters_comparison_page_shows_that_chapters_changes_only(work):
    page = Client().get("/works/october-1917/compare/1...2/?chapter=chapter-two")
    assert page.status_code == 200
    html = page.content.decode()
    assert "reworded too" in html and "the second version adds" in html
    assert "the second version takes out" in html  # removed from a's chapter two
    assert "first chapter" not in html  # chapter one's edit
    assert "Only Chapter Two." in html
    assert 'href="/works/october-1917/compare/1...2/">Compare the whole work' in html
    whole = Client().get("/works/october-1917/compare/1...2/").content.decode()
    assert "first chapter" in whole and "reworded too" in whole


def test_a_chapter_neither_version_has_is_a_404_that_says_so(work):
    page = Client().get("/works/october-1917/compare/1...2/?chapter=chapter-nine")
    assert page.status_code == 404
    assert "no chapter “chapter-nine”" in page.content.decode()


def test_the_chapter_page_links_to_its_comparison_and_the_picker_keeps_the_chapter(work):
    chapter = Client().get("/works/october-1917/chapter-two/").content.decode()
    assert 'href="/works/october-1917/compare/?chapter=chapter-two"' in chapter
    picker = Client().get("/works/october-1917/compare/?chapter=chapter-two")
    assert picker.status_code == 200
    assert 'name="chapter" value="chapter-two"' in picker.content.decode()
    chosen = Client().get("/works/october-1917/compare/?a=1&b=2&chapter=chapter-two")
    assert chosen.status_code == 302
    assert chosen["Location"] == "/works/october-1917/compare/1...2/?chapter=chapter-two"
    whole = Client().get("/works/october-1917/compare/?a=1&b=2&chapter=")
    assert whole["Location"] == "/works/october-1917/compare/1...2/"


def test_the_comparison_api_takes_a_chapter(work):
    rows = Client().get("/api/v1/works/october-1917/compare/1/2/?chapter=chapter-one").json()
    assert [row["key"] for row in rows["paragraphs"]] == ["p1", "p2"]
    assert rows["summary"]["edited"] == 1
    whole = Client().get("/api/v1/works/october-1917/compare/1/2/").json()
    assert {row["key"] for row in whole["paragraphs"]} == {"p1", "p2", "p3", "p4", "p5", "p6"}
    missing = Client().get("/api/v1/works/october-1917/compare/1/2/?chapter=chapter-nine")
    assert missing.status_code == 404
    assert "chapter-nine" in missing.json()["detail"]
