import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_it_reads_the_chapter_from_the_home_page_to_a_paragraph(page, live_server, seeded):
    page.goto(live_server.url)
    # Exactly the work's title: the home page's recent activity also names its versions.
    page.get_by_role("link", name="October 1917 Revolution: A Century Later", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "October 1917 Revolution: A Century Later"
    )

    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name="Two: Autocratic Power").click()
    heading = page.get_by_role("heading", name="Two: Autocratic Power")
    heading_id = heading.get_attribute("id")
    assert re.fullmatch(r"p\d+", heading_id)
    expect(page).to_have_url(re.compile(rf"/works/october-1917/#{heading_id}$"))
    expect(heading).to_be_in_viewport()

    first_paragraph = page.locator(f".block:has(#{heading_id}) + .block")
    expect(first_paragraph).to_contain_text("The choice of the term")
    key = first_paragraph.locator("p.block-text").get_attribute("id")
    first_paragraph.get_by_role(
        "link", name=re.compile(r"^Paragraph \d+ — permalink and citation$")
    ).click()

    expect(page).to_have_url(re.compile(rf"/works/october-1917/p/{key}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Paragraph \d+"))
    expect(page.locator("blockquote.passage")).to_contain_text("The choice of the term")
    expect(page.get_by_text("Cite this paragraph")).to_be_visible()
    expect(page.locator("input.cite-url")).to_have_value(
        f"{live_server.url}/works/october-1917/p/{key}/"
    )
    assert page.console_errors == []


def test_it_copies_the_citation_with_the_copy_button(page, live_server, seeded):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server.url}/works/october-1917/p/p3/")

    page.locator(".cite-text + .copy-button").click()

    expect(page.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Samir Amin, “October 1917 Revolution: A Century Later,”")
    assert page.console_errors == []


def test_it_reads_without_javascript(browser, live_server, seeded):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/works/october-1917/")

    page.get_by_role("navigation", name="Contents").get_by_role(
        "link", name="Two: Autocratic Power"
    ).click()

    expect(page.get_by_role("heading", name="Two: Autocratic Power")).to_be_in_viewport()
    page.goto(f"{live_server.url}/works/october-1917/p/p3/")
    expect(page.locator("details.cite-box")).to_have_attribute("open", "")
    expect(page.locator(".copy-button")).to_have_count(0)
    context.close()
