"""A reader on a revised version: a comment written on v1 says so, its quote is found again
in the new wording and highlighted there, and its diff link lands on the comparison at that
paragraph. axe-core finds nothing on the compare, paragraph and review pages, on a phone
(390×844) and a wide screen (1440×900), and on the version page that lists the passages it
removed, from which a reader reaches a removed passage's own page."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from edition.importer import parse_text
from edition.models import VersionParagraph, Work
from edition.seed import SEED_FILE
from edition.services import version_import, version_publish
from tests.commentary.builders import post
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import make_reader, sign_in
from tests.e2e.test_discussion_layout import highlighted
from tests.e2e.test_editor_review import make_editor

pytestmark = pytest.mark.e2e
PHRASE = "first gigantic socialist project"
SEED_TEXT = settings.BASE_DIR / "fixtures" / SEED_FILE
REMOVED = "However, neither is the objective of this study"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(params=["phone", "wide"])
def screen(request) -> str:
    return request.param


def revise(work: Work, *replacements: tuple[str, str], publish: bool = True) -> None:
    text = SEED_TEXT.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    version = version_import(work=work, blocks=parse_text(text).blocks).version
    if publish:
        version_publish(version=version)


@pytest.fixture
def revised(seeded) -> str:
    """A v1 comment quoting a phrase of the paragraph v2 rewords; the paragraph's key."""
    work = Work.objects.get(slug="october-1917")
    key = VersionParagraph.objects.get(revision__text__contains=PHRASE).paragraph.key
    post(make_reader("alice"), work, key=key, body="On the project.", quote={"exact": PHRASE})
    revise(work, ("is certainly not to denigrate", "is surely not to denigrate"))
    return key


def test_a_reader_sees_where_an_old_comment_was_written_and_its_diff(
    browser, live_server, revised, screen
):
    key = revised
    page = open_page(browser, screen)
    page.goto(f"{live_server.url}/works/october-1917/")
    expect(page.locator(".version-status")).to_contain_text("Version 2")

    page.locator(f'[data-discussion-toggle="{key}"]').click()

    panel = page.locator("#discussion-panel")
    note = panel.locator(".comment-anchor-earlier")
    expect(note).to_contain_text("Written on v1, on an earlier wording.")
    expect(panel.locator(".comment-quote")).to_contain_text(PHRASE)
    page.wait_for_function("() => CSS.highlights.has('discussion-quote')", timeout=5000)
    assert highlighted(page) == [PHRASE]

    note.get_by_role("link", name="see what changed").click()

    expect(page).to_have_url(re.compile(rf"/works/october-1917/compare/1\.\.\.2/#{key}$"))
    row = page.locator(f"#{key}")
    expect(row).to_be_in_viewport()
    expect(row.locator(".mapping-status")).to_have_text("edited")
    expect(row.locator("del")).to_contain_text("certainly")
    expect(row.locator("ins")).to_contain_text("surely")
    assert_accessible(page)
    assert page.console_errors == []
    page.context.close()


def test_the_paragraph_page_of_a_reworded_passage_is_accessible(
    browser, live_server, revised, screen
):
    page = open_page(browser, screen)
    page.goto(f"{live_server.url}/works/october-1917/p/{revised}/")

    expect(page.locator(".history-event")).to_contain_text(
        ["Added in version 1.", "Reworded in version 2."]
    )
    expect(page.locator(".history-item ins").first).to_contain_text("surely")
    assert_accessible(page)
    assert page.console_errors == []
    page.context.close()


def test_the_editor_review_page_is_accessible(browser, live_server, revised, screen):
    work = Work.objects.get(slug="october-1917")
    revise(
        work,
        ("is certainly not to denigrate", "is surely not to denigrate"),
        ("(1871)", "of 1871"),
        publish=False,
    )
    make_editor("eleanor")
    page = open_page(browser, screen)
    sign_in(page, live_server, "eleanor")
    page.goto(f"{live_server.url}/works/october-1917/v/3/review/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Review the draft of version 3")
    expect(page.locator(f"#row-{revised} .mapping-status")).to_have_text("edited")
    assert_accessible(page)
    page.locator(f"#row-{revised} summary").click()
    assert_accessible(page)
    assert page.console_errors == []
    page.context.close()


def test_a_reader_follows_a_removed_passage_from_the_version_page(
    browser, live_server, revised, screen
):
    gone = VersionParagraph.objects.get(version__number=2, revision__text__startswith=REMOVED)
    work = Work.objects.get(slug="october-1917")
    revise(
        work,
        ("is certainly not to denigrate", "is surely not to denigrate"),
        (next(line for line in SEED_TEXT.read_text().splitlines() if line.startswith(REMOVED)), ""),
    )
    page = open_page(browser, screen)
    page.goto(f"{live_server.url}/works/october-1917/v/3/")

    removed = page.locator(".passages-removed")
    expect(removed.get_by_role("heading")).to_have_text("Passages this version removed")
    assert_accessible(page)
    # Named as version 2 numbered it; its key is in the link's address only.
    removed.get_by_role("link", name=re.compile(r"^¶ \d+ on v2$")).click()

    expect(page).to_have_url(re.compile(rf"/works/october-1917/p/{gone.paragraph.key}/$"))
    expect(page.locator(".notice")).to_contain_text("no longer in the current version")
    expect(page.locator(".history-event").last).to_have_text("Removed in version 3.")
    assert_accessible(page)
    assert page.console_errors == []
    page.context.close()
