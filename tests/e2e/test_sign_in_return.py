"""A signed-out reader who wants to comment signs in and comes back where they were: the
reading page, with the paragraph's discussion open and the phrase they chose to quote
waiting in the form."""

import re

import pytest
from playwright.sync_api import expect

from commentary.models import Comment
from tests.e2e.test_discussion import (
    PASSWORD,
    READING,
    first_paragraph_key,
    make_reader,
    select_phrase,
)

pytestmark = pytest.mark.e2e
PHRASE = "first gigantic socialist project"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def fill_sign_in_form(page, username: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign In")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_it_signs_in_back_to_the_open_discussion(page, live_server, seeded):
    make_reader("alice")
    key = first_paragraph_key()
    page.goto(f"{live_server.url}{READING}")
    page.locator(f'[data-discussion-toggle="{key}"]').click()

    page.locator("#discussion-panel").get_by_role("link", name="Sign in to comment").click()
    fill_sign_in_form(page, "alice")

    expect(page).to_have_url(re.compile(rf"/works/october-1917/\?discussion={key}#{key}$"))
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("alice")


def test_it_keeps_the_quote_of_a_signed_out_reader_through_signing_in(page, live_server, seeded):
    make_reader("alice")
    key = first_paragraph_key()
    page.goto(f"{live_server.url}{READING}")

    select_phrase(page, key, PHRASE)
    page.get_by_role("button", name="Quote and comment").click()
    discussion = page.locator("#discussion-panel")
    sign_in_link = discussion.get_by_role("link", name="Sign in to comment")
    expect(sign_in_link).to_be_focused()
    expect(discussion.locator("[data-quote-waiting]")).to_contain_text(PHRASE)

    sign_in_link.click()
    fill_sign_in_form(page, "alice")

    expect(page).to_have_url(re.compile(rf"/works/october-1917/\?discussion={key}#{key}$"))
    form = discussion.locator("form[data-comment-form]")
    expect(form.locator("[data-quote-preview]")).to_contain_text(PHRASE)
    expect(form.get_by_label("Your comment")).to_be_focused()
    form.get_by_label("Your comment").fill("Worth the detour through the sign-in page.")
    form.get_by_role("button", name="Post comment").click()
    expect(discussion.locator("article.comment blockquote.comment-quote")).to_contain_text(PHRASE)

    comment = Comment.objects.get()
    assert comment.revision.text[comment.quote_start : comment.quote_end] == PHRASE

    # The quote was used once: coming back to the page later opens nothing by itself.
    page.goto(f"{live_server.url}{READING}#{key}")
    expect(page.locator("#discussion-panel form")).to_have_count(0)
    assert page.console_errors == []
