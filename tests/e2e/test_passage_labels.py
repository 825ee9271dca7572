"""Readers and editors see passages as readers number them, never by their keys (which stay
in links and anchors): a moved passage's comment reads "¶ 2 on v1, now ¶ 4", a heading is
cited by its words, the review titles each row by its numbers. On a phone (390×844) and a
wide screen (1440×900), axe-core finding nothing."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from edition.importer import parse_text
from edition.models import VersionParagraph, Work
from edition.seed import SEED_FILE
from edition.services import version_import, version_publish
from tests.commentary.builders import post
from tests.e2e import test_versions_reader
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import make_reader, sign_in
from tests.e2e.test_editor_review import REMOVED_START, make_editor
from tests.e2e.test_versions_reader import _fast_passwords  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e
screen = test_versions_reader.screen  # the phone and the wide screen
# ¶ 2 of the seed: moved after ¶ 4 by the revision.
MOVED_START = REMOVED_START
AFTER_START = "With  the  benefit  of  hindsight"
KEY = re.compile(r"\bp\d+\b")


def with_a_paragraph_moved() -> list:
    lines = (settings.BASE_DIR / "fixtures" / SEED_FILE).read_text(encoding="utf-8").splitlines()
    moved = next(line for line in lines if line.startswith(MOVED_START))
    lines.remove(moved)
    after = next(n for n, line in enumerate(lines) if line.startswith(AFTER_START))
    lines[after + 1 : after + 1] = ["", moved]
    return parse_text("\n".join(lines)).blocks


def words_shown(page, selector: str = "main") -> str:
    return page.locator(selector).inner_text()


def test_a_moved_passages_comment_names_it_in_both_versions(browser, live_server, seeded, screen):
    work = Work.objects.get(slug="october-1917")
    key = VersionParagraph.objects.get(revision__text__startswith=MOVED_START).paragraph.key
    comment = post(make_reader("alice"), work, key=key, body="On looking back.")
    version_publish(version=version_import(work=work, blocks=with_a_paragraph_moved()).version)

    page = open_page(browser, screen)
    page.goto(f"{live_server.url}/comments/{comment.pk}/")

    expect(page.get_by_role("heading", level=1)).to_have_text("A comment on ¶ 2 on v1, now ¶ 4")
    expect(page.locator(".comment-passage figcaption")).to_have_text(
        "The whole discussion of ¶ 2 on v1, now ¶ 4"
    )
    assert KEY.findall(words_shown(page)) == []
    assert_accessible(page)
    assert page.console_errors == []
    page.context.close()


def test_a_heading_is_cited_by_its_words(browser, live_server, seeded, screen):
    heading = VersionParagraph.objects.filter(revision__kind="heading").order_by("position")[0]
    page = open_page(browser, screen)
    page.goto(f"{live_server.url}/works/october-1917/p/{heading.paragraph.key}/")

    citation = page.locator(".cite-text").inner_text()
    assert "“Chapter One” [p1]" in citation
    assert "¶\N{NO-BREAK SPACE}p1" not in citation and "¶ p1" not in citation
    assert_accessible(page)
    assert page.console_errors == []
    page.context.close()


def test_the_review_names_each_row_as_readers_number_it(browser, live_server, seeded, screen):
    key = VersionParagraph.objects.get(revision__text__startswith=MOVED_START).paragraph.key
    work = Work.objects.get(slug="october-1917")
    version_import(work=work, blocks=with_a_paragraph_moved())
    make_editor("eleanor")
    page = open_page(browser, screen)
    sign_in(page, live_server, "eleanor")
    page.goto(f"{live_server.url}/works/october-1917/v/2/review/")

    row = page.locator(f"#row-{key}")
    expect(row.get_by_role("heading", level=3)).to_have_text("¶ 2 on v1, now ¶ 4")
    expect(row.locator("summary")).to_have_text("Correct ¶ 2 on v1, now ¶ 4")
    assert KEY.findall(words_shown(page)) == []
    assert_accessible(page)
    assert page.console_errors == []
    page.context.close()
