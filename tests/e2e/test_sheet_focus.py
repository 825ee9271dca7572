"""Focus never hides under the discussion (WCAG 2.4.11), with the keyboard alone.

Below 64rem (a phone; a 1280 px screen at 200 % zoom) the discussion is a sheet over the
page: while it is open the page behind it is inert, a discussion address starts focus on
the discussion's title, and Escape closes it from anywhere. On a wide screen the text
beside the discussion stays reachable, and a skip link leads to the open discussion.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import READING
from tests.e2e.test_discussion_layout import short_paragraph

pytestmark = pytest.mark.e2e
TABS = 40


def focus_in_panel(page) -> bool | None:
    """Whether the focused element is in the discussion; None when nothing is focused."""
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            if (!element || element === document.body) return null;
            return !!element.closest('#discussion-panel');
        }"""
    )


def walk(page, key: str, presses: int = TABS) -> list[str]:
    """Tab ``presses`` times; the elements focused outside the discussion."""
    outside = []
    for _ in range(presses):
        page.keyboard.press(key)
        if focus_in_panel(page) is False:
            outside.append(page.evaluate("document.activeElement.outerHTML.slice(0, 100)"))
    return outside


def test_on_a_narrow_screen_focus_stays_in_the_sheet(browser, live_server, seeded):
    key, number, _text = short_paragraph()
    page = open_page(browser, "narrowest")
    page.goto(f"{live_server.url}{READING}?discussion={key}#{key}")
    panel = page.locator("#discussion-panel")
    title = panel.get_by_role("heading", name=f"Discussion of ¶ {number}")

    # A discussion address starts focus on its title, in the sheet.
    expect(title).to_be_focused()
    assert walk(page, "Tab") == []
    assert walk(page, "Shift+Tab") == []
    assert page.evaluate("document.querySelector('.reading').inert") is True
    assert page.evaluate("document.querySelector('.site-header').inert") is True
    assert_accessible(page)

    # Escape closes it from anywhere: the page is live again, the control has the focus.
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Escape")
    expect(panel).to_be_empty()
    toggle = page.locator(f'[data-discussion-toggle="{key}"]')
    expect(toggle).to_be_focused()
    assert page.evaluate("document.querySelector('.reading').inert") is False

    # Opened from the text with the keyboard, the same.
    page.keyboard.press("Enter")
    expect(title).to_be_focused()
    assert walk(page, "Tab", 15) == []
    page.keyboard.press("Escape")
    expect(panel).to_be_empty()
    expect(toggle).to_be_focused()
    assert page.console_errors == []
    page.context.close()


def test_a_wide_screen_narrowed_to_a_sheet_makes_the_page_inert(browser, live_server, seeded):
    key, _number, _text = short_paragraph()
    page = open_page(browser, "wide")
    page.goto(f"{live_server.url}{READING}?discussion={key}#{key}")
    assert page.evaluate("document.querySelector('.reading').inert") is False
    # 1280 px at 200 % zoom: 640 CSS pixels.
    page.set_viewport_size({"width": 640, "height": 400})
    expect(page.locator(".reading")).to_have_js_property("inert", True)
    page.set_viewport_size({"width": 1440, "height": 900})
    expect(page.locator(".reading")).to_have_js_property("inert", False)
    page.context.close()


def test_on_a_wide_screen_a_skip_link_leads_to_the_open_discussion(browser, live_server, seeded):
    key, number, _text = short_paragraph()
    page = open_page(browser, "wide")
    page.goto(f"{live_server.url}{READING}?discussion={key}#{key}")
    panel = page.locator("#discussion-panel")
    title = panel.get_by_role("heading", name=f"Discussion of ¶ {number}")
    expect(title).to_be_focused()

    # Beside the text nothing is inert: Shift+Tab from the title reaches the text.
    page.keyboard.press("Shift+Tab")
    assert focus_in_panel(page) is False
    assert page.evaluate("document.querySelector('.reading').inert") is False

    # At the top of the page, the stop before the site's name: after "Skip to text".
    page.get_by_role("link", name="Scholia", exact=True).focus()
    page.keyboard.press("Shift+Tab")
    skip = page.get_by_role("link", name="Skip to the discussion")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("link", name="Skip to text")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(title).to_be_focused()
    assert_accessible(page)

    # Escape closes it from the text too, and the skip link goes with it.
    page.keyboard.press("Shift+Tab")
    assert focus_in_panel(page) is False
    page.keyboard.press("Escape")
    expect(panel).to_be_empty()
    expect(page.locator(f'[data-discussion-toggle="{key}"]')).to_be_focused()
    expect(skip).to_be_hidden()
    assert_accessible(page)
    assert page.console_errors == []
    page.context.close()


def test_without_a_discussion_there_is_no_skip_link_to_one(browser, live_server, seeded):
    page = open_page(browser, "wide")
    page.goto(f"{live_server.url}{READING}")
    page.get_by_role("link", name="Scholia", exact=True).focus()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("link", name="Skip to text")).to_be_focused()
    expect(page.get_by_role("link", name="Skip to the discussion")).to_be_hidden()
    page.context.close()


def test_without_javascript_tab_from_a_discussion_address_stays_in_the_sheet(
    browser, live_server, seeded
):
    key, _number, _text = short_paragraph()
    page = open_page(browser, "narrowest", javascript=False)
    page.goto(f"{live_server.url}{READING}?discussion={key}#{key}")
    assert walk(page, "Tab", 15) == []
    assert walk(page, "Shift+Tab", 15) == []
    page.context.close()
