"""Refused comments with JavaScript on: the server answers 400 and the form comes back in
place, with the error next to the field and the reader's text kept; the reading page around
it, with the discussion open, stays as it was.

These run with DEBUG on, as ``make run`` serves the site: in development django-htmx adds a
script that shows any 400 answer to an htmx request as an error page over the whole
document, and a refused form is a 400 that is meant to be swapped in.
"""

import pytest
from playwright.sync_api import expect

from commentary.models import Comment
from commentary.services import comment_create
from edition.models import Paragraph
from tests.e2e.test_discussion import READING, first_paragraph_key, make_reader, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _development(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = True


def open_discussion(page, live_server, key: str):
    page.goto(f"{live_server.url}{READING}")
    page.evaluate("window.stillTheSamePage = true")
    page.locator(f'[data-discussion-toggle="{key}"]').click()
    discussion = page.locator("#discussion-panel")
    expect(discussion.get_by_role("heading", name="Discussion of ¶ 1")).to_be_focused()
    return discussion


def assert_page_intact(page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "October 1917 Revolution: A Century Later"
    )
    assert page.evaluate("window.stillTheSamePage") is True
    # The stylesheets are still there: the page was not replaced by the bare fragment.
    assert page.evaluate("document.styleSheets.length") >= 1


def test_it_shows_a_refused_comment_in_the_discussion(page, live_server, seeded):
    make_reader("alice")
    key = first_paragraph_key()
    sign_in(page, live_server, "alice")
    discussion = open_discussion(page, live_server, key)

    discussion.get_by_label("Your comment").fill("   ")
    discussion.get_by_role("button", name="Post comment").click()
    body = discussion.get_by_label("Your comment")
    expect(body).to_have_attribute("aria-invalid", "true")
    expect(discussion.locator(f"#{key}-body-errors")).to_have_text("A comment cannot be empty.")
    expect(body).to_be_focused()
    expect(body).to_have_value("   ")
    assert_page_intact(page)

    body.fill("Words the paragraph does not hold.")
    quote_box = discussion.get_by_label("Quote a phrase from the paragraph")
    quote_box.fill("words nobody wrote")
    discussion.get_by_role("button", name="Post comment").click()
    expect(quote_box).to_have_attribute("aria-invalid", "true")
    expect(discussion.locator(f"#{key}-quote_exact-errors")).to_have_text(
        "The quoted phrase is not in the paragraph."
    )
    expect(quote_box).to_be_focused()
    expect(quote_box).to_have_value("words nobody wrote")
    expect(discussion.get_by_label("Your comment")).to_have_value(
        "Words the paragraph does not hold."
    )
    assert_page_intact(page)
    assert not Comment.objects.exists()


def test_it_shows_a_refused_reply_and_edit_under_the_comment(page, live_server, seeded):
    alice = make_reader("alice")
    key = first_paragraph_key()
    first = comment_create(
        author=alice,
        paragraph=Paragraph.objects.get(work__slug="october-1917", key=key),
        body="A first thought.",
    )
    sign_in(page, live_server, "alice")
    discussion = open_discussion(page, live_server, key)
    article = discussion.locator(f"#c{first.pk}")

    article.get_by_role("link", name="Reply").click()
    reply_box = discussion.get_by_label("Your reply")
    reply_box.fill("  \n  ")
    discussion.get_by_role("button", name="Post reply").click()
    expect(reply_box).to_have_attribute("aria-invalid", "true")
    expect(article.locator(".comment-slot")).to_contain_text("A comment cannot be empty.")
    expect(reply_box).to_be_focused()
    assert_page_intact(page)

    article.get_by_role("link", name="Edit").click()
    edit_box = discussion.get_by_label("Edit your comment")
    edit_box.fill(" ")
    discussion.get_by_role("button", name="Save changes").click()
    expect(edit_box).to_have_attribute("aria-invalid", "true")
    expect(article.locator(".comment-slot")).to_contain_text("A comment cannot be empty.")
    expect(edit_box).to_be_focused()
    assert_page_intact(page)
    first.refresh_from_db()
    assert first.body == "A first thought."
    assert Comment.objects.count() == 1
