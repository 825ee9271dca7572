"""The discussion in a real browser: open a paragraph's thread beside the text, post, reply,
quote a phrase, edit, delete; another reader sees it; and the same without JavaScript."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from commentary.models import Comment, CommentRevision
from edition.models import VersionParagraph, Work
from tests.e2e.signing_in import sign_in_directly

pytestmark = pytest.mark.e2e
PASSWORD = "a-long-browser-password"
READING = "/works/october-1917/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_reader(username: str):
    user = get_user_model().objects.create_user(username, f"{username}@example.com", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(page, live_server, username: str, password: str = PASSWORD) -> None:
    """``username`` signed in on ``page``, which shows the home page (see signing_in)."""
    sign_in_directly(page, live_server, username, password)


def sign_in_through_form(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("navigation", name="Account")).to_contain_text(username)


def first_paragraph_key() -> str:
    work = Work.objects.get(slug="october-1917")
    entry = (
        VersionParagraph.objects.filter(version=work.current_version, revision__kind="paragraph")
        .select_related("paragraph")
        .order_by("position")
        .first()
    )
    return entry.paragraph.key


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def select_phrase(page, key: str, phrase: str) -> None:
    """Select ``phrase`` inside paragraph ``key`` as a reader would, with a DOM Range."""
    page.evaluate(
        """([key, phrase]) => {
            const element = document.getElementById(key);
            const text = element.firstChild;
            const start = text.data.indexOf(phrase);
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, start + phrase.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [key, phrase],
    )


def test_it_discusses_a_paragraph_beside_the_text(page, browser, live_server, seeded):
    make_reader("alice")
    key = first_paragraph_key()
    sign_in_through_form(page, live_server, "alice")
    page.goto(f"{live_server.url}{READING}")
    page.evaluate("window.stillTheSamePage = true")

    # The rendered text is the stored wording, character for character: quote offsets
    # taken from the page are offsets into what the server keeps.
    shown = page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('.text .block-text'),
            (element) => [element.id || element.closest('[id]').id, element.textContent]))"""
    )
    stored = dict(
        VersionParagraph.objects.filter(version__work__slug="october-1917").values_list(
            "paragraph__key", "revision__text"
        )
    )
    assert shown == stored

    # Open the discussion of a paragraph nobody has discussed yet.
    toggle = page.locator(f'[data-discussion-toggle="{key}"]')
    expect(toggle).to_have_text("Comment on ¶ 1")
    toggle.click()
    discussion = page.locator("#discussion-panel")
    expect(discussion.get_by_role("heading", name="Discussion of ¶ 1")).to_be_focused()
    expect(discussion.get_by_text("No comments yet.")).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")

    # Post a comment: it appears in place, takes the focus, and is announced.
    discussion.get_by_label("Your comment").fill("The *storming of the skies* is Marx's phrase.")
    discussion.get_by_role("button", name="Post comment").click()
    first = discussion.locator("article.comment").filter(has_text="is Marx's phrase")
    expect(first).to_be_visible()
    expect(first.locator("em")).to_have_text("storming of the skies")
    expect(first).to_be_focused()
    expect(page.locator("#live-region")).to_have_text("Your comment was posted.")
    expect(toggle).to_have_text("1 comment on ¶ 1")
    expect(discussion.get_by_label("Your comment")).to_have_value("")
    expect(discussion.get_by_text("No comments yet.")).to_be_hidden()

    # Reply to it (after changing one's mind once: Escape leaves the form).
    reply_link = first.get_by_role("link", name="Reply")
    reply_link.click()
    reply_box = discussion.get_by_label("Your reply")
    expect(reply_box).to_be_focused()
    page.keyboard.press("Escape")
    expect(reply_box).to_have_count(0)
    expect(reply_link).to_be_focused()
    reply_link.click()
    expect(reply_box).to_be_focused()
    reply_box.fill("And Lenin's before him.")
    discussion.get_by_role("button", name="Post reply").click()
    reply = discussion.locator(".replies article.comment").filter(has_text="Lenin's before him")
    expect(reply).to_be_focused()
    expect(toggle).to_have_text("2 comments on ¶ 1")

    # Quote and comment: select a phrase in the paragraph.
    phrase = "first gigantic socialist project"
    select_phrase(page, key, phrase)
    quote_button = page.get_by_role("button", name="Quote and comment")
    expect(quote_button).to_be_visible()
    quote_button.click()
    form = discussion.locator("form[data-comment-form]")
    expect(form.locator("[data-quote-preview]")).to_contain_text(phrase)
    expect(form.get_by_label("Your comment")).to_be_focused()
    form.get_by_label("Your comment").fill("Gigantic, and the first.")
    form.get_by_role("button", name="Post comment").click()
    quoted = discussion.locator("article.comment").filter(has_text="Gigantic, and the first.")
    expect(quoted.locator("blockquote.comment-quote")).to_contain_text(phrase)
    stored_quote = Comment.objects.get(body="Gigantic, and the first.")
    assert stored_quote.revision.text[stored_quote.quote_start : stored_quote.quote_end] == phrase
    expect(form.locator("[data-quote-preview]")).to_be_hidden()

    # Edit the first comment: an "edited" marker, and the history keeps the first body.
    first.get_by_role("link", name="Edit").click()
    edit_box = discussion.get_by_label("Edit your comment")
    expect(edit_box).to_have_value("The *storming of the skies* is Marx's phrase.")
    edit_box.fill("The *storming of heaven* is Marx's phrase, in a letter of 1871.")
    discussion.get_by_role("button", name="Save changes").click()
    expect(first).to_contain_text("in a letter of 1871")
    expect(first).to_be_focused()
    expect(page.locator("#live-region")).to_have_text("Your comment was updated.")
    edited = first.get_by_role("link", name=re.compile("edited"))
    expect(edited).to_be_visible()
    assert CommentRevision.objects.filter(comment__body__contains="letter of 1871").count() == 1

    # Delete it: a tombstone stays, and the reply with it.
    first_id = first.get_attribute("id")
    first.get_by_role("link", name="Delete").click()
    discussion.get_by_role("button", name="Delete the comment").click()
    tombstone = discussion.locator(f"#{first_id}")
    expect(tombstone).to_have_text(re.compile("This comment was deleted."))
    expect(tombstone).to_be_focused()
    expect(reply).to_be_visible()
    expect(toggle).to_have_text("2 comments on ¶ 1")

    assert page.evaluate("window.stillTheSamePage") is True
    assert page.console_errors == []

    # The history, on its own page.
    history = page.context.new_page()
    history.goto(f"{live_server.url}/comments/{first_id[1:]}/history/")
    expect(history.locator("main")).to_contain_text("This comment was deleted.")
    history.close()

    # Another reader, signed out, sees the discussion and its count.
    anonymous = browser.new_context(viewport={"width": 1280, "height": 800})
    reader = anonymous.new_page()
    errors = []
    reader.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    reader.goto(f"{live_server.url}{READING}")
    count = reader.locator(f'[data-discussion-toggle="{key}"]')
    expect(count).to_have_text("2 comments on ¶ 1")
    count.click()
    theirs = reader.locator("#discussion-panel")
    expect(theirs).to_contain_text("And Lenin's before him.")
    expect(theirs.locator("blockquote.comment-quote")).to_contain_text(phrase)
    expect(theirs).to_contain_text("This comment was deleted.")
    expect(theirs.get_by_role("link", name="Sign in to comment")).to_be_visible()
    expect(theirs.get_by_role("link", name="Reply")).to_have_count(0)
    assert errors == []
    anonymous.close()


def test_it_shows_the_history_of_an_edited_comment(page, live_server, seeded):
    make_reader("alice")
    key = first_paragraph_key()
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/works/october-1917/p/{key}/")

    discussion = page.locator("#discussion")
    # A phrase that is not in the paragraph: the form comes back with the error, in place.
    discussion.get_by_label("Your comment").fill("A first thought.")
    discussion.get_by_label("Quote a phrase from the paragraph").fill("words nobody wrote")
    discussion.get_by_role("button", name="Post comment").click()
    quote_box = discussion.get_by_label("Quote a phrase from the paragraph")
    expect(quote_box).to_have_attribute("aria-invalid", "true")
    expect(quote_box).to_be_focused()
    expect(discussion).to_contain_text("The quoted phrase is not in the paragraph.")
    assert not Comment.objects.exists()

    quote_box.fill("")
    discussion.get_by_role("button", name="Post comment").click()
    posted = discussion.locator("article.comment").filter(has_text="A first thought.")
    expect(posted).to_be_focused()
    comment = discussion.locator(f"#{posted.get_attribute('id')}")
    comment.get_by_role("link", name="Edit").click()
    discussion.get_by_label("Edit your comment").fill("A second thought.")
    discussion.get_by_role("button", name="Save changes").click()
    expect(comment).to_contain_text("A second thought.")

    comment.get_by_role("link", name=re.compile("edited")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of a comment")
    items = page.locator(".comment-history-item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("A first thought.")
    expect(items.nth(1)).to_contain_text("A second thought.")
    # Chromium logs the refused form's status; nothing else (no CSP refusal, no htmx error).
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]


def test_it_comments_from_the_paragraph_page_without_javascript(browser, live_server, seeded):
    make_reader("bob")
    key = first_paragraph_key()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/works/october-1917/p/{key}/")

    discussion = page.locator("#discussion")
    discussion.get_by_label("Your comment").fill("Written without a line of JavaScript.")
    discussion.get_by_label("Quote a phrase from the paragraph").fill("Paris Commune")
    discussion.get_by_role("button", name="Post comment").click()

    comment = Comment.objects.get(body="Written without a line of JavaScript.")
    # The permalink, at what was said of it just above the thread.
    expect(page).to_have_url(re.compile(rf"/comments/{comment.pk}/#said$"))
    article = page.locator(f"#c{comment.pk}")
    expect(article).to_contain_text("Written without a line of JavaScript.")
    expect(article.locator("blockquote.comment-quote")).to_have_text(re.compile("Paris Commune"))
    expect(page.locator("blockquote.passage mark")).to_have_text("Paris Commune")

    # Replying works the same way, through its own page.
    article.get_by_role("link", name="Reply").click()
    page.get_by_label("Your reply").fill("A reply, also without it.")
    page.get_by_role("button", name="Post reply").click()
    reply = Comment.objects.get(body="A reply, also without it.")
    expect(page).to_have_url(re.compile(rf"/comments/{reply.pk}/#c{reply.pk}$"))
    expect(page.locator(f"#c{reply.pk}")).to_have_class(re.compile("comment-target"))
    context.close()
