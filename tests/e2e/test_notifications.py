"""An author learns of the decisions on their comments: the count in the navigation, the
list on their profile, "Mark all as read"; axe on the list at a phone's and a wide size."""

import os
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from commentary.moderation.decisions import comment_moderate
from tests.e2e.axe import axe_violations, describe
from tests.e2e.screens import SCREENS, open_page
from tests.e2e.test_discussion import sign_in
from tests.e2e.test_moderation import make_moderator, make_reader, write

pytestmark = pytest.mark.e2e

SHOTS = os.environ.get("SCHOLIA_SHOTS")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def decided(seeded):
    """Two decisions on nina's comments: one rejected while held, one hidden."""
    nina, mona = make_reader("nina"), make_moderator()
    held = write(nina, "A first thought, held for a moderator.", status="pending")
    published = write(nina, "A second thought, published at once.")
    comment_moderate(
        action="reject", comment=held, moderator=mona, reason="Please quote the passage you mean."
    )
    comment_moderate(
        action="hide", comment=published, moderator=mona, reason="Off topic for this passage."
    )
    return nina


def shoot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.parametrize("screen", list(SCREENS))
def test_an_author_follows_the_count_to_the_decisions_and_marks_them_read(
    browser, live_server, decided, screen
):
    assert len(mail.outbox) == 2  # nina's address is verified: one mail per decision
    page = open_page(browser, screen)
    sign_in(page, live_server, "nina")

    account = page.get_by_role("navigation", name="Account")
    account.get_by_role("link", name="2 new decisions").click()

    section = page.get_by_role("region", name="Decisions on your comments")
    expect(section).to_be_visible()
    items = section.locator("li.decision")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Hidden by a moderator.")
    expect(items.first).to_contain_text("Reason: Off topic for this passage.")
    expect(items.first).to_contain_text("New")
    expect(items.nth(1)).to_contain_text("Rejected by a moderator.")
    expect(items.nth(1)).to_contain_text("“A first thought, held for a moderator.”")
    shoot(page, f"decisions-{screen}")
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    section.get_by_role("button", name="Mark all as read").click()

    expect(page.locator(".messages")).to_contain_text("marked as read")
    expect(page.locator("li.decision-unread")).to_have_count(0)
    expect(account.get_by_role("link", name="2 new decisions")).to_have_count(0)
    shoot(page, f"decisions-read-{screen}")
    items.nth(1).get_by_role("link").click()
    expect(page.locator("article.comment").first).to_contain_text("A first thought")
    assert page.console_errors == []
    page.context.close()


def test_without_javascript_the_list_and_mark_all_as_read_work_the_same(
    browser, live_server, decided
):
    page = open_page(browser, "phone", javascript=False)
    sign_in(page, live_server, "nina")

    page.get_by_role("link", name="2 new decisions").click()
    expect(page.locator("li.decision-unread")).to_have_count(2)
    page.get_by_role("button", name="Mark all as read").click()

    expect(page.locator(".messages")).to_contain_text("marked as read")
    expect(page.locator("li.decision")).to_have_count(2)
    expect(page.locator("li.decision-unread")).to_have_count(0)
    page.context.close()
