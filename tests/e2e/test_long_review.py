"""A long draft's review links each paragraph to its corrections; following the link opens
that paragraph's forms, with JavaScript and without, at phone and wide sizes."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.screens import SCREENS, open_page
from tests.e2e.test_discussion import sign_in
from tests.e2e.test_editor_review import make_editor
from tests.e2e.test_publish_reviewed import shoot

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Forty paragraphs stand for the thousands past the real threshold.
    settings.SCHOLIA_REVIEW_INLINE_CORRECTIONS = 20


@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_long_review_opens_one_paragraphs_corrections_at_a_time(
    browser, live_server, seeded, screen
):
    make_editor("ada")
    page = open_page(browser, screen)
    sign_in(page, live_server, "ada")
    page.goto(f"{live_server.url}/works/october-1917/revise/")
    page.get_by_label("Or paste the text").fill(
        "\n\n".join(f"Short paragraph {n} of a long draft." for n in range(40))
    )
    page.get_by_role("button", name="Upload and review").click()

    row = page.locator(".mapping-row-new").nth(2)
    expect(row).to_be_visible()  # the review has loaded, not the upload form still
    page.wait_for_load_state()
    expect(page.get_by_role("button", name="Save the wording")).to_have_count(0)
    shoot(page, f"long-review-{screen}")
    assert_accessible(page)
    row.get_by_role("link", name=re.compile(r"^Correct ¶ \d+$")).click()

    expect(page).to_have_url(re.compile(r"\?correct=p\d+#row-p\d+$"))
    expect(page.get_by_role("button", name="Save the wording")).to_have_count(1)
    expect(page.locator(".mapping-row-new").nth(2).get_by_label("Wording")).to_be_visible()
    shoot(page, f"long-review-correcting-{screen}")
    assert_accessible(page)

    without_script = open_page(browser, screen, javascript=False)
    without_script.context.add_cookies(page.context.cookies())
    without_script.goto(page.url)
    expect(without_script.get_by_role("button", name="Save the wording")).to_be_visible()
    assert page.console_errors == []
    page.context.close()
    without_script.context.close()
