"""A link to a discussion the text does not hold (made up, or of a passage since removed)
lands on the text, at the passage the link pointed to, with nothing open: on a phone and
on a wide screen, with JavaScript on and off."""

import os

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import axe_violations, describe
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import READING
from tests.e2e.test_discussion_layout import short_paragraph

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("SCHOLIA_SHOTS", "")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("screen", ["phone", "wide"])
def test_a_made_up_discussion_lands_on_the_text(browser, live_server, seeded, screen, javascript):
    key, number, text = short_paragraph()
    page = open_page(browser, screen, javascript=javascript)

    response = page.goto(f"{live_server.url}{READING}?discussion=p99999#{key}")

    assert response.status == 200
    assert page.url == f"{live_server.url}{READING}#{key}"
    expect(page.locator(f"#{key}")).to_be_in_viewport()
    expect(page.locator("#discussion-panel")).not_to_contain_text("Discussion of")
    if SHOTS:
        page.screenshot(
            path=f"{SHOTS}/unknown-discussion-{screen}-{'js' if javascript else 'nojs'}.png"
        )
    if javascript:  # axe runs as a script: a page without JavaScript cannot run it
        violations = axe_violations(page)
        assert violations == [], describe(violations)
    assert page.console_errors == []
