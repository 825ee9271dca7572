"""Without JavaScript a refused comment comes back as a page: the reader lands at the form,
its error in view and the field focused, however long the passage above it is."""

import pytest
from playwright.sync_api import expect

from edition.models import VersionParagraph, Work
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import READING, make_reader, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def longest_paragraph() -> str:
    work = Work.objects.get(slug="october-1917")
    entries = VersionParagraph.objects.filter(
        version=work.current_version, revision__kind="paragraph"
    ).values_list("paragraph__key", "revision__text")
    return max(entries, key=lambda entry: len(entry[1]))[0]


@pytest.mark.parametrize("screen", ["phone", "wide"])
def test_a_refused_comment_lands_the_reader_at_its_error(browser, live_server, seeded, screen):
    key = longest_paragraph()
    make_reader("alice")
    page = open_page(browser, screen, javascript=False)
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}{READING}?discussion={key}#{key}")
    panel = page.locator("#discussion-panel")
    panel.get_by_label("Your comment").fill("   ")
    panel.get_by_role("button", name="Post comment").click()

    error = page.locator(f"#{key}-body-errors")
    expect(error).to_have_text("A comment cannot be empty.")
    expect(error).to_be_in_viewport()
    body = page.get_by_label("Your comment")
    expect(body).to_be_focused()
    expect(body).to_be_in_viewport()
    page.context.close()

    # The same page, audited with script on (axe runs in the page).
    page = open_page(browser, screen)
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}{READING}?discussion={key}#{key}")
    page.evaluate(
        "(key) => document.querySelector(`[data-comment-form='${key}']`)"
        ".removeAttribute('data-hx-post')",
        key,
    )
    page.locator("#discussion-panel").get_by_label("Your comment").fill("   ")
    page.evaluate("htmx.process(document.body)")
    page.locator("#discussion-panel").get_by_role("button", name="Post comment").click()
    expect(page.locator(f"#{key}-body-errors")).to_be_in_viewport()
    assert_accessible(page)
    page.context.close()
