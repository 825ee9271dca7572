"""No page logs an error to the browser's console: no Content-Security-Policy refusal (htmx
is configured by its meta tag not to inject a style), no failed script, no missing file.
Every kind of page, signed out and as each of the demo's people, with htmx at work."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from commentary.groups.models import ReadingGroup
from commentary.models import Comment
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import READING, sign_in

pytestmark = pytest.mark.e2e
DEMO_PASSWORD = "scholia-demo"


@pytest.fixture
def demo(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", verbosity=0)


def visit(page, live_server, urls: list[str], errors: dict) -> None:
    for url in urls:
        before = len(page.console_errors)
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        if len(page.console_errors) > before:
            errors[url] = page.console_errors[before:]


@pytest.mark.parametrize("screen", ["phone", "wide"])
def test_no_page_logs_a_console_error(browser, live_server, demo, screen):
    comment = Comment.objects.filter(group__isnull=True, parent__isnull=True).first()
    key = comment.paragraph.key
    group = ReadingGroup.objects.get()
    errors: dict[str, list[str]] = {}

    page = open_page(browser, screen)
    visit(
        page,
        live_server,
        [
            "/",
            READING,
            f"{READING}?discussion={key}#{key}",
            f"{READING}p/{key}/",
            f"/comments/{comment.pk}/",
            f"{READING}compare/1...2/",
            f"{READING}v/1/",
            f"/users/{comment.author.username}/",
            "/accounts/login/",
            "/accounts/signup/",
        ],
        errors,
    )
    page.context.close()

    page = open_page(browser, screen)
    sign_in(page, live_server, "reader", DEMO_PASSWORD)
    visit(
        page,
        live_server,
        [
            "/groups/",
            f"/groups/{group.slug}/",
            f"/groups/{group.slug}/settings/",
            f"/groups/{group.slug}/participation/",
            "/settings/profile/",
            "/settings/tokens/",
            "/users/reader/",
            f"{READING}?group={group.slug}",
        ],
        errors,
    )
    # htmx at work: a discussion opened in place, a reply form fetched into it.
    page.goto(f"{live_server.url}{READING}")
    page.locator(f'[data-discussion-toggle="{key}"]').click()
    panel = page.locator("#discussion-panel")
    expect(panel.locator(f"#c{comment.pk}")).to_be_visible()
    panel.locator(f"#c{comment.pk}").get_by_role("link", name="Reply").first.click()
    expect(panel.get_by_label("Your reply")).to_be_visible()
    if page.console_errors:
        errors["the discussion, opened and replied to"] = page.console_errors
    page.context.close()

    page = open_page(browser, screen)
    sign_in(page, live_server, "moderator", DEMO_PASSWORD)
    visit(
        page,
        live_server,
        ["/moderation/", "/moderation/log/", "/moderation/members/newcomer/"],
        errors,
    )
    page.context.close()

    assert errors == {}
