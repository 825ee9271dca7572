"""What members and moderators are told, in the browser on a phone and on a wide screen,
each page passing axe: the log names the passage of each comment; a new member learns
before and after posting that a moderator reads their first comments; a suspended member
reads the suspension instead of the form, on their profile and in the header; the queue
counts what waits and ticks a whole page at once.

``SCHOLIA_SHOTS=<folder>`` keeps a screenshot of each page looked at.
"""

import os
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from commentary.models import Comment
from commentary.moderation.decisions import comment_moderate
from commentary.moderation.sanctions import user_suspend
from edition.numbering import passage_labels
from tests.e2e.axe import axe_violations, describe
from tests.e2e.screens import SCREENS, open_page
from tests.e2e.test_discussion import READING, first_paragraph_key, make_reader, sign_in
from tests.e2e.test_moderation import make_moderator, open_discussion, write

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def look(page, name: str, *, javascript: bool = True, full_page: bool = False) -> None:
    """No violation on the page as it is now (axe runs in the page: with JavaScript on
    only); a screenshot kept when asked for."""
    folder = os.environ.get("SCHOLIA_SHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)
    if javascript:
        violations = axe_violations(page)
        assert violations == [], describe(violations)


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_log_names_the_passage_of_each_comment(browser, live_server, seeded, screen):
    nina = make_reader("nina")
    mona = make_moderator()
    held = write(nina, "A held comment.", status=Comment.Status.PENDING)
    comment_moderate(action="approve", comment=held, moderator=mona, reason="Fine.")
    pair = (held.version_id, held.paragraph_id)
    label = passage_labels([pair])[pair]
    assert label.startswith("¶ ")

    page = open_page(browser, screen)
    sign_in(page, live_server, "mona")
    page.goto(f"{live_server.url}/moderation/log/")
    target = page.locator("table.moderation-log tbody tr").first.locator("td").nth(3)
    expect(target).to_have_text(
        f"comment {held.pk} on October 1917 Revolution: A Century Later, {label} (by nina)"
    )
    look(page, f"log-{screen}")
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_queue_counts_and_decides_on_a_whole_page(
    browser, live_server, seeded, screen, javascript
):
    nina = make_reader("nina")
    make_moderator()
    for number in (1, 2, 3):
        write(nina, f"Buy cheap watches {number}.", status=Comment.Status.PENDING)

    page = open_page(browser, screen, javascript=javascript)
    sign_in(page, live_server, "mona")
    page.goto(f"{live_server.url}/moderation/")
    expect(page.locator(".queue-count")).to_have_text("3 comments await a decision.")
    bulk = page.locator("#bulk-form")
    tick_all = bulk.get_by_label("Tick all on this page")
    if javascript:
        tick_all.check()
        expect(page.locator('input[name="comments"]:checked')).to_have_count(3)
        page.locator(".queue-item").first.get_by_role("checkbox").uncheck()
        assert tick_all.evaluate("box => box.indeterminate")
        tick_all.check()
    else:
        expect(tick_all).to_be_hidden()
    look(
        page,
        f"queue-{screen}-{'js' if javascript else 'nojs'}",
        javascript=javascript,
        full_page=True,
    )
    bulk.get_by_label("Action").select_option("reject")
    button = "Apply to ticked" if javascript else "Apply to the 3 on this page"
    bulk.get_by_role("button", name=button).click()

    expect(page.locator("ul.messages")).to_contain_text("Rejected: 3 comments.")
    expect(page.locator(".moderation-empty")).to_have_text("Nothing awaits a decision.")
    assert Comment.objects.filter(status=Comment.Status.REJECTED).count() == 3
    assert page.console_errors == []
    page.context.close()


NEW_MEMBER_BEFORE = "A moderator reads a new member’s first comments before others can see them."
NEW_MEMBER_AFTER = (
    "Your comment was posted. A moderator reads a new member’s first comments: "
    "others will see it once a moderator approves it."
)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_new_member_is_told_before_and_after_posting_that_a_moderator_reads_it(
    browser, live_server, seeded, settings, screen, javascript
):
    settings.SCHOLIA_NEW_MEMBER_HELD = 3
    make_reader("nina")
    key = first_paragraph_key()
    name = f"{screen}-{'js' if javascript else 'nojs'}"

    page = open_page(browser, screen, javascript=javascript)
    sign_in(page, live_server, "nina")
    if javascript:
        panel = open_discussion(page, live_server, key)
    else:
        page.goto(f"{live_server.url}{READING}?discussion={key}#{key}")
        panel = page.locator(f'[data-discussion="{key}"]')
    form = panel.locator("form.comment-form")
    expect(form.get_by_text(NEW_MEMBER_BEFORE)).to_be_visible()
    look(page, f"new-member-before-{name}", javascript=javascript)
    form.get_by_label("Your comment").fill("My very first words here.")
    form.get_by_role("button", name="Post comment").click()

    told = page.get_by_text(NEW_MEMBER_AFTER).first
    expect(told).to_be_visible()
    if javascript:
        expect(page.locator("#live-region")).to_have_text(NEW_MEMBER_AFTER)
    else:
        # In view on arrival, with the comment: not at the top of a page scrolled away.
        expect(page.locator("#said")).to_have_text(NEW_MEMBER_AFTER)
        expect(page.locator("#said")).to_be_in_viewport()
        expect(page.locator("article.comment-target")).to_be_in_viewport()
    look(page, f"new-member-after-{name}", javascript=javascript)
    page.context.close()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_suspended_member_reads_the_suspension_before_writing(
    browser, live_server, seeded, screen
):
    sam = make_reader("sam")
    mona = make_moderator()
    until = timezone.make_aware(datetime(2099, 12, 13, 14, 5))
    user_suspend(user=sam, moderator=mona, until=until, reason="Cool off.")
    told = (
        "Your account is suspended until 13 December 2099, 14:05: you cannot post, edit or "
        "flag until then. Reason: Cool off."
    )
    key = first_paragraph_key()

    page = open_page(browser, screen)
    sign_in(page, live_server, "sam")
    header = page.get_by_role("navigation", name="Account")
    told_in_header = header.get_by_role("link", name="Suspended until 13 December 2099, 14:05")
    expect(told_in_header).to_be_visible()
    panel = open_discussion(page, live_server, key)
    expect(panel.locator(".discussion-sanction")).to_have_text(told)
    expect(panel.locator("form.comment-form")).to_have_count(0)
    look(page, f"suspended-discussion-{screen}")

    page.goto(f"{live_server.url}{READING}")  # on a phone the open sheet covers the header
    told_in_header.click()
    expect(page.locator("#sanctions")).to_contain_text(told)
    expect(page.locator("#sanctions")).to_be_in_viewport()
    look(page, f"suspended-profile-{screen}")
    page.context.close()
