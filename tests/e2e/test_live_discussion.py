"""An open discussion shows new replies without a reload: reader has the discussion open
beside the text and is typing a reply; reader2 replies from their own browser; the reply
appears under the comment it answers, the live region says so, and focus and the words
being typed stay where they were. An outsider with the discussion open receives nothing of
a reading group's comment. At a phone's and a wide size, with axe."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from commentary.groups.invitations import group_join
from commentary.groups.services import group_create
from commentary.services import comment_create
from edition.models import Paragraph, Work
from tests.e2e.axe import axe_violations, describe
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import first_paragraph_key, make_reader, sign_in
from tests.e2e.test_moderation import write

pytestmark = pytest.mark.e2e

READING = "/works/october-1917/"
CANARY = "Canary words that only the seminar may read."


@pytest.fixture(autouse=True)
def _quick_polls(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SCHOLIA_LIVE_POLL_SECONDS = 1


def shoot(page, name: str) -> None:
    folder = Path(os.environ.get("SCHOLIA_SHOTS") or Path(os.environ.get("TMPDIR", "/tmp")))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"live-{name}.png"), full_page=False)


def open_discussion(page, live_server, key: str):
    page.goto(f"{live_server.url}{READING}?discussion={key}#{key}")
    panel = page.locator("#discussion-panel")
    expect(panel.locator(f'[data-discussion="{key}"]')).to_be_visible()
    # The first poll has learnt where the discussion stands.
    expect(panel.locator(".discussion-live-poller[data-hx-get*='after=']")).to_have_count(1)
    return panel


@pytest.mark.parametrize("screen", ["phone", "wide"])
def test_a_reply_appears_in_place_while_the_reader_types(browser, live_server, seeded, screen):
    reader = make_reader("reader")
    make_reader("reader2")
    first = write(reader, "Was the revolution a beginning or an end?")
    other = write(reader, "A second thought, on the same passage.", key=first.paragraph.key)
    key = first.paragraph.key

    page = open_page(browser, screen)
    sign_in(page, live_server, "reader")
    panel = open_discussion(page, live_server, key)
    page.evaluate("window.stayed = true")  # gone if the page were loaded again
    # reader starts a reply to their second comment and leaves it half typed.
    panel.locator(f"#c{other.pk}").get_by_role("link", name="Reply").click()
    typing = panel.get_by_label("Your reply")
    typing.fill("Half a thought, still being")
    typing.focus()

    page2 = open_page(browser, screen)
    sign_in(page2, live_server, "reader2")
    page2.goto(f"{live_server.url}/comments/{first.pk}/")
    page2.get_by_role("link", name="Reply").first.click()
    page2.get_by_label("Your reply").fill("A beginning: read the next chapter.")
    page2.get_by_role("button", name="Post reply").click()
    expect(page2.get_by_role("article", name="reader2")).to_contain_text("A beginning")
    page2.context.close()

    # Under the comment it answers, without a reload.
    arrived = panel.locator(f"#c{first.pk} + ol.replies > li.reply > article.comment")
    expect(arrived).to_contain_text("A beginning: read the next chapter.", timeout=10_000)
    expect(arrived.get_by_role("link", name="reader2")).to_be_visible()
    expect(panel.locator(".discussion-live[aria-live='polite']")).to_contain_text(
        "1 new comment, now in the discussion."
    )
    assert page.evaluate("window.stayed") is True
    expect(typing).to_be_focused()
    expect(typing).to_have_value("Half a thought, still being")
    # The order of the threads is kept: the reply is in the first thread, not after both.
    threads = panel.locator(f"#threads-{key} > li.thread")
    expect(threads).to_have_count(2)
    expect(threads.first).to_contain_text("A beginning")
    # What arrived works as the rest: reader may reply to it.
    expect(arrived.get_by_role("link", name="Reply")).to_have_attribute(
        "data-hx-get", f"/comments/{arrived.get_attribute('id')[1:]}/reply/"
    )
    shoot(page, f"reply-arrived-{screen}")
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    # reader finishes and posts: their reply goes through as if nothing had happened.
    typing.press_sequentially(" typed.")
    panel.get_by_role("button", name="Post reply").click()
    expect(panel.locator(f"#c{other.pk} + ol.replies")).to_contain_text(
        "Half a thought, still being typed."
    )
    assert page.console_errors == []
    page.context.close()


@pytest.mark.parametrize("screen", ["phone", "wide"])
def test_an_outsider_with_the_discussion_open_receives_nothing_of_a_group(
    browser, live_server, seeded, screen
):
    work = Work.objects.get(slug="october-1917")
    key = first_paragraph_key()
    paragraph = Paragraph.objects.get(work=work, key=key)
    olga = make_reader("olga")
    gus = make_reader("gus")
    make_reader("outsider")
    group = group_create(owner=olga, name="Tuesday seminar", works=[work.slug])
    group_join(user=gus, code=group.invite_code)

    outsider = open_page(browser, screen)
    sign_in(outsider, live_server, "outsider")
    panel = open_discussion(outsider, live_server, key)
    member = open_page(browser, screen)
    sign_in(member, live_server, "gus")
    member.goto(f"{live_server.url}{READING}?group={group.slug}&discussion={key}#{key}")
    member_panel = member.locator("#discussion-panel")
    expect(member_panel.locator(".discussion-live-poller[data-hx-get*='after=']")).to_have_count(1)

    comment_create(author=olga, paragraph=paragraph, body=CANARY, group=group)
    public = comment_create(author=olga, paragraph=paragraph, body="A word for everyone.")

    # The member sees both; the outsider, polling as often, only the public one.
    expect(member_panel.locator(f"#group-threads-{key}")).to_contain_text(CANARY, timeout=10_000)
    expect(panel.locator(f"#c{public.pk}")).to_contain_text("A word for everyone.", timeout=10_000)
    with outsider.expect_response(lambda response: "/discussion/live/" in response.url):
        pass  # one more poll after the public comment arrived
    assert CANARY not in outsider.content()
    expect(panel.locator(".discussion-live")).to_contain_text("1 new comment,")
    shoot(outsider, f"outsider-{screen}")
    violations = axe_violations(outsider)
    assert violations == [], describe(violations)
    assert outsider.console_errors == [] and member.console_errors == []
