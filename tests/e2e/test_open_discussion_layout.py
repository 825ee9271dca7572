"""The reading page on a wide screen keeps its text still when a discussion opens, and the
passage under discussion stays marked in forced-colours mode."""

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import READING
from tests.e2e.test_discussion_layout import box, short_paragraph

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [1100, 1280])
def test_the_text_does_not_move_between_the_sheet_and_the_contents_column(
    browser, live_server, seeded, width
):
    """From 64rem to 84rem the contents sit above the text; a discussion opening beside it
    leaves the text's left edge where it was (a 1280 px screen, or 1440 px at 110%)."""
    key, number, _text = short_paragraph()
    page = open_page(browser, "wide")
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}{READING}#{key}")
    before = box(page, ".text")

    page.locator(f'[data-discussion-toggle="{key}"]').click()
    panel = page.locator("#discussion-panel")
    expect(panel.get_by_role("heading", name=f"Discussion of ¶ {number}")).to_be_focused()
    assert box(page, ".text")["left"] == pytest.approx(before["left"], abs=1)
    assert box(page, "#discussion-panel")["left"] >= box(page, ".text")["right"]
    assert_accessible(page)

    page.keyboard.press("Escape")
    expect(panel).to_be_empty()
    assert box(page, ".text")["left"] == pytest.approx(before["left"], abs=1)
    assert page.console_errors == []
    page.context.close()


def test_the_text_does_not_move_when_a_discussion_opens(browser, live_server, seeded):
    key, number, _text = short_paragraph()
    page = open_page(browser, "wide")
    page.goto(f"{live_server.url}{READING}#{key}")
    contents = page.get_by_role("navigation", name="Contents")
    expect(contents).to_be_visible()
    before = box(page, ".text")
    passage = box(page, f"[id='{key}']")

    page.locator(f'[data-discussion-toggle="{key}"]').click()
    panel = page.locator("#discussion-panel")
    expect(panel.get_by_role("heading", name=f"Discussion of ¶ {number}")).to_be_focused()
    after = box(page, ".text")
    assert after["left"] == pytest.approx(before["left"], abs=1)
    assert after["width"] == pytest.approx(before["width"], abs=1)
    assert box(page, f"[id='{key}']")["top"] == pytest.approx(passage["top"], abs=2)
    # The discussion takes the contents' column, beside the text.
    assert box(page, "#discussion-panel")["left"] >= after["right"]
    assert_accessible(page)

    page.keyboard.press("Escape")
    expect(panel).to_be_empty()
    expect(contents).to_be_visible()
    assert box(page, ".text")["left"] == pytest.approx(before["left"], abs=1)
    # The contents sit beside the text, not above it.
    assert box(page, ".toc")["left"] >= before["right"]
    assert_accessible(page)
    assert page.console_errors == []
    page.context.close()


def gutter_pixels(page, key: str) -> bytes:
    """A screenshot of passage ``key``'s gutter, where the open discussion's rule is."""
    block = page.locator(f"[id='{key}']").locator("xpath=ancestor::*[contains(@class,'block')][1]")
    area = block.bounding_box()
    text = page.locator(f"[id='{key}']").bounding_box()
    clip = {"x": area["x"], "y": area["y"], "width": text["x"] - area["x"], "height": 24}
    return page.screenshot(clip=clip)


def test_the_passage_under_discussion_stays_marked_in_forced_colours(browser, live_server, seeded):
    # Beside the text only: on a phone the sheet covers the passage while it is open.
    key, _number, _text = short_paragraph()
    page = open_page(browser, "wide")
    page.emulate_media(forced_colors="active")
    page.goto(f"{live_server.url}{READING}?discussion={key}#{key}")
    expect(page.locator(f"[id='{key}']").locator("xpath=..")).to_have_attribute(
        "data-discussing", ""
    )
    page.evaluate("document.getElementById('discussion-panel').style.visibility = 'hidden'")
    marked = gutter_pixels(page, key)
    page.evaluate(
        "(key) => document.getElementById(key).closest('.block')"
        ".removeAttribute('data-discussing')",
        key,
    )
    assert gutter_pixels(page, key) != marked, "the rule in the gutter does not show"
    page.context.close()
