"""The review of an uploaded revision opens with the review itself: the importer's doubts
come after it, grouped by kind with a count, and a passage the draft removes says how many
comments will be shown as on a passage no longer in the text. On a phone (390×844) and a
wide screen (1440×900), axe-core finding nothing."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from edition.models import VersionParagraph, Work
from edition.seed import SEED_FILE
from tests.commentary.builders import post
from tests.e2e import test_versions_reader
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import make_reader, sign_in
from tests.e2e.test_editor_review import REMOVED_START, make_editor
from tests.e2e.test_versions_reader import _fast_passwords  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e
screen = test_versions_reader.screen  # the phone and the wide screen


def without_the_removed_paragraph() -> bytes:
    text = (settings.BASE_DIR / "fixtures" / SEED_FILE).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith(REMOVED_START)]
    return "\n".join(lines).encode()


def upload(page, live_server, text: bytes) -> None:
    page.goto(f"{live_server.url}/works/october-1917/revise/")
    page.get_by_label("Text file").set_input_files(
        files=[{"name": "chapter.txt", "mimeType": "text/plain", "buffer": text}]
    )
    page.get_by_role("button", name="Upload and review").click()
    expect(page).to_have_url(re.compile(r"/works/october-1917/v/2/review/$"))
    # The address changes as the review starts to arrive; what follows reads the whole page
    # at once (its headings' order), not element by element with waiting.
    page.wait_for_load_state("load")


def test_the_review_comes_first_and_the_import_doubts_after_it_grouped(
    browser, live_server, seeded, screen
):
    work = Work.objects.get(slug="october-1917")
    removed_key = VersionParagraph.objects.get(
        revision__text__startswith=REMOVED_START
    ).paragraph.key
    for name in ("alice", "bob"):
        post(make_reader(name), work, key=removed_key, body=f"{name} on a passage to go.")
    make_editor("eleanor")
    page = open_page(browser, screen)
    sign_in(page, live_server, "eleanor")

    upload(page, live_server, without_the_removed_paragraph())

    # Nothing of the importer's doubts stands between the header and the review's title.
    assert page.locator("ul.messages").filter(has_text="line ").count() == 0
    order = page.evaluate(
        """() => Array.from(document.querySelectorAll('main h1, main h2'),
                            (h) => h.id || h.textContent)"""
    )
    assert order.index("import-doubts-title") > order.index("mapping-title")
    doubts = page.locator("#import-doubts")
    expect(doubts.get_by_role("heading", level=2)).to_have_text(
        re.compile(r"^What the import was unsure of \(\d+\)$")
    )
    groups = doubts.locator(".import-doubt-group > summary")
    headings = groups.filter(has_text="Lines taken for headings")
    expect(headings).to_have_count(1)
    expect(headings).to_have_text(re.compile(r"Lines taken for headings \(\d+\)"))
    total = sum(int(re.search(r"\((\d+)\)$", text).group(1)) for text in groups.all_inner_texts())
    assert total == int(re.search(r"\((\d+)\)$", doubts.locator("h2").inner_text()).group(1))
    assert total > 10

    # The removed passage warns of the comments it leaves behind.
    row = page.locator(f"#row-{removed_key}")
    expect(row.locator(".mapping-status")).to_have_text("removed")
    expect(row.locator(".removal-warning")).to_have_text(
        "2 comments on this passage will be shown as on a passage no longer in the text."
    )
    assert_accessible(page)
    groups.first.click()
    assert_accessible(page)
    assert page.console_errors == []
    page.context.close()
