"""Quoting a phrase that stands in several places of the paragraph, in a browser: selected in
the text, the place selected is the one stored; typed by hand, the form asks which place is
meant, in place with JavaScript and as a page without it."""

import re

import pytest
from playwright.sync_api import expect

from commentary.models import Comment
from edition.models import VersionParagraph
from tests.e2e.test_discussion import READING, first_paragraph_key, make_reader, sign_in

pytestmark = pytest.mark.e2e
PHRASE = "this"


@pytest.fixture(autouse=True)
def _development(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = True  # as make run serves the site: see test_refused_forms


def places_of(key: str, phrase: str) -> list[int]:
    text = VersionParagraph.objects.get(
        version__work__slug="october-1917", paragraph__key=key, version__number=1
    ).revision.text
    return [match.start() for match in re.finditer(re.escape(phrase), text)]


def select_occurrence(page, key: str, phrase: str, nth: int) -> None:
    """Select the ``nth`` (from 0) place ``phrase`` stands in paragraph ``key``."""
    page.evaluate(
        """([key, phrase, nth]) => {
            const text = document.getElementById(key).firstChild;
            let start = -1;
            for (let i = 0; i <= nth; i += 1) {
                start = text.data.indexOf(phrase, start + 1);
            }
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, start + phrase.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [key, phrase, nth],
    )


def test_it_stores_the_place_selected_in_the_text(page, live_server, seeded):
    make_reader("alice")
    key = first_paragraph_key()
    places = places_of(key, PHRASE)
    assert len(places) >= 3
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}{READING}")

    select_occurrence(page, key, PHRASE, 2)
    page.get_by_role("button", name="Quote and comment").click()
    discussion = page.locator("#discussion-panel")
    discussion.get_by_label("Your comment").fill("The third one.")
    discussion.get_by_role("button", name="Post comment").click()
    expect(discussion.locator("article.comment")).to_contain_text("The third one.")

    comment = Comment.objects.get()
    assert (comment.quote_start, comment.quote_end) == (places[2], places[2] + len(PHRASE))


def test_it_asks_which_place_a_typed_phrase_means_in_place(page, live_server, seeded):
    make_reader("alice")
    key = first_paragraph_key()
    places = places_of(key, PHRASE)
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}{READING}")
    page.evaluate("window.stillTheSamePage = true")
    page.locator(f'[data-discussion-toggle="{key}"]').click()
    discussion = page.locator("#discussion-panel")

    discussion.get_by_label("Your comment").fill("The second one.")
    quote_box = discussion.get_by_label("Quote a phrase from the paragraph")
    quote_box.fill(PHRASE)
    discussion.get_by_role("button", name="Post comment").click()

    expect(quote_box).to_be_focused()
    expect(discussion).to_contain_text(
        f"The phrase appears {len(places)} times in the paragraph: choose the one you mean."
    )
    choices = discussion.get_by_role("group", name="Which one do you mean?").get_by_role("radio")
    expect(choices).to_have_count(len(places))
    assert Comment.objects.count() == 0
    choices.nth(1).check()
    discussion.get_by_role("button", name="Post comment").click()
    expect(discussion.locator("article.comment")).to_contain_text("The second one.")
    assert page.evaluate("window.stillTheSamePage") is True

    comment = Comment.objects.get()
    assert (comment.quote_start, comment.quote_end) == (places[1], places[1] + len(PHRASE))


def test_it_asks_which_place_a_typed_phrase_means_without_javascript(browser, live_server, seeded):
    make_reader("bob")
    key = first_paragraph_key()
    places = places_of(key, PHRASE)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/works/october-1917/p/{key}/")

    discussion = page.locator("#discussion")
    discussion.get_by_label("Your comment").fill("The last one.")
    discussion.get_by_label("Quote a phrase from the paragraph").fill(PHRASE)
    discussion.get_by_role("button", name="Post comment").click()

    choices = page.get_by_role("group", name="Which one do you mean?").get_by_role("radio")
    expect(choices).to_have_count(len(places))
    expect(page.get_by_label("Your comment")).to_have_value("The last one.")
    choices.last.check()
    page.get_by_role("button", name="Post comment").click()

    comment = Comment.objects.get()
    # The permalink, at what was said of it just above the thread.
    expect(page).to_have_url(re.compile(rf"/comments/{comment.pk}/#said$"))
    assert (comment.quote_start, comment.quote_end) == (places[-1], places[-1] + len(PHRASE))
    context.close()
