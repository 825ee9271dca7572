"""Moderators work the queue from the browser: a newcomer's held comment approved, a bulk
rejection, a comment hidden by members' flags and kept; the queue and the log pass axe on
a phone and on a wide screen."""

import re

import pytest
from playwright.sync_api import expect

from commentary.models import Comment
from commentary.moderation.decisions import comment_moderate, flag_create
from commentary.moderation.models import Flag
from commentary.moderation.moderators import moderators_group
from commentary.services import comment_create
from edition.models import Paragraph
from tests.e2e.axe import axe_violations, describe
from tests.e2e.screens import SCREENS, open_page
from tests.e2e.test_discussion import READING, first_paragraph_key, make_reader, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_moderator(username: str = "mona"):
    user = make_reader(username)
    user.groups.add(moderators_group())
    return user


def write(author, body: str, key: str | None = None, status: str | None = None) -> Comment:
    paragraph = Paragraph.objects.get(work__slug="october-1917", key=key or first_paragraph_key())
    comment = comment_create(author=author, paragraph=paragraph, body=body)
    if status:
        Comment.objects.filter(pk=comment.pk).update(status=status)
    return comment


def open_discussion(page, live_server, key: str):
    page.goto(f"{live_server.url}{READING}")
    page.locator(f'[data-discussion-toggle="{key}"]').click()
    return page.locator("#discussion-panel")


def test_a_moderator_approves_a_newcomers_comment_from_the_queue(
    browser, live_server, seeded, settings
):
    settings.SCHOLIA_NEW_MEMBER_HELD = 3
    make_reader("nina")
    make_moderator()
    key = first_paragraph_key()

    newcomer = open_page(browser, "wide")
    sign_in(newcomer, live_server, "nina")
    panel = open_discussion(newcomer, live_server, key)
    panel.get_by_label("Your comment").fill("My very first words here.")
    panel.get_by_role("button", name="Post comment").click()
    mine = panel.locator("article.comment").filter(has_text="My very first words here.")
    expect(mine).to_contain_text("awaiting moderation")
    expect(newcomer.locator("#live-region")).to_contain_text("once a moderator approves it")
    expect(newcomer.get_by_role("link", name="Moderation")).to_have_count(0)

    moderator = open_page(browser, "wide")
    sign_in(moderator, live_server, "mona")
    moderator.get_by_role("navigation", name="Account").get_by_role(
        "link", name="Moderation"
    ).click()
    expect(moderator.get_by_role("heading", level=1)).to_have_text("Moderation queue")
    item = moderator.locator(".queue-item").filter(has_text="My very first words here.")
    expect(item).to_contain_text("Held")
    expect(item).to_contain_text("nina's record: 0 approved, 0 rejected, 0 flags received.")
    item.get_by_label("Reason (optional)").fill("Welcome.")
    item.get_by_role("button", name="Approve").click()
    outcome = moderator.locator(".queue-outcome")
    expect(outcome).to_have_text("Approved: the comment by nina is published.")
    expect(outcome.locator("p")).to_be_focused()
    expect(moderator.locator("#live-region")).to_have_text(
        "Approved: the comment by nina is published."
    )
    assert moderator.console_errors == []

    moderator.goto(f"{live_server.url}/moderation/log/")
    row = moderator.locator("table.moderation-log tbody tr").first
    expect(row).to_contain_text("Approved")
    expect(row).to_contain_text("pending → published")
    expect(row).to_contain_text("Welcome.")

    reader = open_page(browser, "wide")
    theirs = open_discussion(reader, live_server, key)
    expect(theirs).to_contain_text("My very first words here.")
    for page in (newcomer, moderator, reader):
        page.context.close()


def test_a_moderator_rejects_several_held_comments_at_once(browser, live_server, seeded):
    nina = make_reader("nina")
    make_moderator()
    for number in (1, 2, 3):
        write(nina, f"Buy cheap watches {number}.", status=Comment.Status.PENDING)

    page = open_page(browser, "wide", javascript=False)
    sign_in(page, live_server, "mona")
    page.goto(f"{live_server.url}/moderation/")
    for number in (1, 2):
        item = page.locator(".queue-item").filter(has_text=f"Buy cheap watches {number}.")
        item.get_by_role("checkbox").check()
    bulk = page.locator("#bulk-form")
    bulk.get_by_label("Action").select_option("reject")
    bulk.get_by_label("Reason (optional)").fill("Spam.")
    bulk.get_by_role("button", name="Apply to ticked").click()

    expect(page.locator("ul.messages")).to_contain_text("Rejected: 2 comments.")
    expect(page.locator(".queue-item")).to_have_count(1)
    expect(page.locator(".queue-item")).to_contain_text("Buy cheap watches 3.")
    rejected = Comment.objects.filter(status=Comment.Status.REJECTED)
    assert sorted(rejected.values_list("body", flat=True)) == [
        "Buy cheap watches 1.",
        "Buy cheap watches 2.",
    ]
    page.context.close()


def test_three_flags_hide_a_comment_and_the_moderator_keeps_it(browser, live_server, seeded):
    bob = make_reader("bob")
    make_moderator()
    key = first_paragraph_key()
    write(bob, "A blunt but fair remark.", key=key)

    for username in ("fay", "gus", "hal"):
        make_reader(username)
        page = open_page(browser, "wide")
        sign_in(page, live_server, username)
        panel = open_discussion(page, live_server, key)
        remark = panel.locator("article.comment").filter(has_text="A blunt but fair remark.")
        remark.get_by_role("link", name="Flag").click()
        form = remark.locator("form.comment-flag-form")
        expect(form.get_by_label("Offensive")).to_be_visible()
        violations = axe_violations(page)
        assert violations == [], describe(violations)
        form.get_by_label("Offensive").check()
        form.get_by_role("button", name="Flag for the moderators").click()
        done = remark.locator(".comment-flag-done")
        expect(done).to_contain_text("Thank you: the moderators will look at this comment.")
        expect(done).to_be_focused()
        expect(page.locator("#live-region")).to_contain_text("Thank you")
        expect(remark.locator(".comment-flagged")).to_have_text("Flagged")
        expect(remark.get_by_role("link", name="Flag", exact=True)).to_have_count(0)
        assert page.console_errors == []
        page.context.close()
    assert Comment.objects.get(body="A blunt but fair remark.").status == Comment.Status.HIDDEN

    reader = open_page(browser, "wide")
    panel = open_discussion(reader, live_server, key)
    expect(panel.get_by_text("A blunt but fair remark.")).to_have_count(0)

    moderator = open_page(browser, "wide")
    sign_in(moderator, live_server, "mona")
    moderator.goto(f"{live_server.url}/moderation/?kind=flagged")
    item = moderator.locator(".queue-item").filter(has_text="A blunt but fair remark.")
    expect(item).to_contain_text("hidden")
    expect(item.locator(".queue-flags li")).to_have_count(3)
    item.get_by_role("button", name="Keep and restore").click()
    expect(moderator.locator(".queue-outcome")).to_have_text(
        "Kept: the flags on the comment by bob are dismissed."
    )

    panel = open_discussion(reader, live_server, key)
    expect(panel.get_by_text("A blunt but fair remark.")).to_be_visible()
    for page in (reader, moderator):
        page.context.close()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_queue_and_the_log_pass_axe(browser, live_server, seeded, screen):
    nina = make_reader("nina")
    bob = make_reader("bob")
    mona = make_moderator()
    write(nina, "A held comment, with *emphasis*.", status=Comment.Status.PENDING)
    flagged = write(bob, "A flagged comment.")
    flag_create(comment=flagged, user=nina, reason=Flag.Reason.OTHER, note="Not about the text.")
    approved = write(nina, "An approved one.", status=Comment.Status.PENDING)
    comment_moderate(action="approve", comment=approved, moderator=mona, reason="Fine.")

    page = open_page(browser, screen)
    sign_in(page, live_server, "mona")
    found = {}
    for url in ("/moderation/", "/moderation/log/"):
        page.goto(f"{live_server.url}{url}")
        expect(page.locator("main")).to_contain_text(re.compile("flagged comment|Approved"))
        violations = axe_violations(page)
        if violations:
            found[url] = describe(violations)
    assert found == {}, "\n\n".join(f"{url}\n{text}" for url, text in found.items())
    page.context.close()
