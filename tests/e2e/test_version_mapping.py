"""What a version maps, in the browser, on a phone (390×844) and a wide screen (1440×900):
the compare page and the editor's review show a split-off half as split from the paragraph
it came out of; a comment read on version 2 says how it stands there (merged, split, moved),
and version 2 still says so after version 3 restored the text. axe-core finds nothing."""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from edition.models import Work
from edition.services import version_import
from tests.commentary.builders import make_user
from tests.commentary.revised_by_import import revised_by_import
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import sign_in
from tests.e2e.test_editor_review import make_editor
from tests.edition.revision_texts import original, publish, revised

pytestmark = pytest.mark.e2e
SHOTS = Path(tempfile.gettempdir()) / "scholia-versions-map-shots"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(params=["phone", "wide"])
def screen(request) -> str:
    return request.param


def shoot(page, name: str) -> None:
    """A screenshot for a person to look at, in the temporary directory."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_compare_page_shows_a_split_as_a_split(browser, live_server, transactional_db, screen):
    revised_by_import(make_user("alice"), make_user("bob"))
    page = open_page(browser, screen)
    page.goto(f"{live_server.url}/works/october-1917/compare/1...2/")

    row = page.locator("#p9")
    expect(row.locator(".mapping-status")).to_have_text("split")
    expect(row.locator(".mapping-meta")).to_have_text("split from ¶ 2")
    expect(page.locator(".versions-summary")).to_contain_text("1 split off")
    assert_accessible(page)
    shoot(page, f"compare-split-{screen}")

    row.get_by_role("link", name="¶ 2").click()

    expect(page).to_have_url(re.compile(r"/compare/1\.\.\.2/#p3$"))
    expect(page.locator("#p3")).to_be_in_viewport()
    assert page.console_errors == []
    page.context.close()


def test_the_review_shows_a_split_as_a_split(browser, live_server, transactional_db, screen):
    work = Work.objects.create(slug="october-1917", title="October 1917 Revolution")
    publish(work, original())
    version_import(work=work, blocks=revised())  # version 2, a draft
    make_editor("eleanor")
    page = open_page(browser, screen)
    sign_in(page, live_server, "eleanor")
    page.goto(f"{live_server.url}/works/october-1917/v/2/review/")

    split = page.locator("#row-p9")
    expect(split.locator(".mapping-meta").last).to_have_text("split from ¶ 2")
    assert_accessible(page)
    shoot(page, f"review-split-{screen}")
    assert page.console_errors == []
    page.context.close()


def test_a_comment_read_on_version_2_says_how_it_stands_there_even_after_version_3(
    browser, live_server, transactional_db, screen
):
    revised = revised_by_import(make_user("alice"), make_user("bob"))
    publish(revised.work, original())  # version 3 restores what version 2 merged away
    keys = revised.keys
    page = open_page(browser, screen)
    page.goto(f"{live_server.url}/works/october-1917/v/2/")

    # C's three comments are still counted under D, with D's own: four.
    expect(page.locator(f'[data-discussion-toggle="{keys["d"]}"]')).to_contain_text("4")
    page.locator(f'[data-discussion-toggle="{keys["d"]}"]').click()
    panel = page.locator("#discussion-panel")
    merged = panel.locator('[data-anchor-state="merged"]')
    expect(merged).to_have_count(3)
    expect(merged.first).to_contain_text("since merged into this passage")
    expect(panel.locator('[data-anchor-state="earlier_wording"]')).to_have_count(1)
    assert_accessible(page)
    shoot(page, f"v2-merged-discussion-{screen}")

    page.goto(f"{live_server.url}/works/october-1917/v/2/?discussion={keys['b']}")
    split = page.locator('#discussion-panel [data-anchor-state="split"]')
    expect(split).to_have_count(2)
    expect(split.first).to_contain_text("before a part of this passage was split off")
    page.goto(f"{live_server.url}/works/october-1917/v/2/?discussion={keys['f']}")
    moved = page.locator('#discussion-panel [data-anchor-state="moved"]')
    expect(moved).to_have_text(re.compile("on this wording; the passage has moved since"))
    assert_accessible(page)
    shoot(page, f"v2-moved-discussion-{screen}")
    assert page.console_errors == []
    page.context.close()

    # Without JavaScript the server opens the discussion and says the same.
    page = open_page(browser, screen, javascript=False)
    page.goto(f"{live_server.url}/works/october-1917/v/2/?discussion={keys['d']}")
    expect(page.locator('#discussion-panel [data-anchor-state="merged"]')).to_have_count(3)
    shoot(page, f"v2-merged-discussion-nojs-{screen}")
    page.context.close()
