"""Replies and mentions reach people in the page: reader2 replies, reader sees the bell's
count, opens the notification and lands on the reply; a mention links the profile; the
notifications and settings pages at a phone's and a wide size, with axe; with and without
JavaScript. Screenshots go to SCHOLIA_SHOTS when it is set."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import axe_violations, describe
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import make_reader, sign_in
from tests.e2e.test_moderation import write

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("SCHOLIA_SHOTS")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def shoot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def assert_no_violations(page, javascript: bool = True) -> None:
    if not javascript:
        return  # axe runs as a script in the page: with JavaScript off, the same page ran it
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("screen", ["phone", "wide"])
def test_a_reply_reaches_its_author_through_the_bell(browser, live_server, seeded, screen):
    reader = make_reader("reader")
    make_reader("reader2")
    first = write(reader, "Was the revolution a beginning or an end?")

    page2 = open_page(browser, screen)
    sign_in(page2, live_server, "reader2")
    page2.goto(f"{live_server.url}/comments/{first.pk}/")
    page2.get_by_role("link", name="Reply").first.click()
    page2.get_by_label("Your reply").fill("A beginning, @reader: read the next chapter.")
    page2.get_by_role("button", name="Post reply").click()
    expect(page2.get_by_role("article", name="reader2")).to_contain_text("A beginning")
    page2.context.close()

    page = open_page(browser, screen)
    sign_in(page, live_server, "reader")
    bell = page.get_by_role("navigation", name="Account").get_by_role(
        "link", name="Notifications 1 unread"
    )
    expect(bell).to_be_visible()
    shoot(page, f"bell-{screen}")
    bell.click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    entry = page.locator("li.notification-mention")
    expect(entry).to_contain_text("reader2 mentioned you.")
    expect(entry).to_contain_text("A beginning, @reader")
    shoot(page, f"notifications-{screen}")
    assert_no_violations(page)

    entry.get_by_role("link", name="reader2 mentioned you.").click()
    reply = page.locator("article.comment-target")  # the permalink opens at the reply
    expect(reply).to_contain_text("A beginning")
    expect(reply.get_by_role("link", name="@reader")).to_have_attribute("href", "/users/reader/")
    shoot(page, f"landed-on-reply-{screen}")

    page.goto(f"{live_server.url}/notifications/")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator("li.notification-unread")).to_have_count(0)
    expect(page.locator(".bell-count")).to_have_count(0)
    assert page.console_errors == []
    page.context.close()


@pytest.mark.parametrize("screen", ["phone", "wide"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_follow_a_passage_and_the_settings_page(browser, live_server, seeded, screen, javascript):
    make_reader("reader")
    page = open_page(browser, screen, javascript=javascript)
    sign_in(page, live_server, "reader")
    paragraph = write(make_reader("writer"), "Something to follow.").paragraph

    page.goto(f"{live_server.url}/works/october-1917/p/{paragraph.key}/")
    page.get_by_role("button", name="Follow this passage").click()
    expect(page.get_by_text("You follow this passage.")).to_be_visible()
    shoot(page, f"follow-{screen}-{'js' if javascript else 'nojs'}")
    assert_no_violations(page, javascript)

    page.goto(f"{live_server.url}/settings/notifications/")
    page.get_by_label("A reply to your comment").select_option("daily")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("saved")
    expect(page.get_by_label("A reply to your comment")).to_have_value("daily")
    shoot(page, f"settings-{screen}-{'js' if javascript else 'nojs'}")
    assert_no_violations(page, javascript)
    assert page.console_errors == []
    page.context.close()
