"""The discussion from the keyboard alone: no click, no fill; only keys pressed and typed.

A reader signs in through the form, reaches a paragraph's "Comment" link with Tab, opens the
discussion beside the text, posts, replies, leaves a form and the discussion with Escape,
unfolds a long branch and quotes a phrase; focus is always where the next key press should
start, visibly, and every comment written is announced in the live region.
"""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from commentary.models import Comment
from commentary.services import comment_create
from tests.e2e.test_discussion import PASSWORD, READING, first_paragraph_key, make_reader

pytestmark = pytest.mark.e2e
MAX_TABS = 60


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def focused_matches(page, selector: str) -> bool:
    return page.evaluate(
        "(selector) => !!document.activeElement && document.activeElement.matches(selector)",
        selector,
    )


def tab_to(page, selector: str, *, backwards: bool = False) -> int:
    """Press Tab (Shift+Tab when ``backwards``) until the focused element matches
    ``selector``; how many presses it took."""
    key = "Shift+Tab" if backwards else "Tab"
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press(key)
        if focused_matches(page, selector):
            return presses
    focused = page.evaluate("document.activeElement && document.activeElement.outerHTML")
    pytest.fail(f"{selector} not reached with {MAX_TABS} x {key}; focus is on {focused}")


def assert_focus_visible(page) -> None:
    """The focused element shows a focus ring: an outline or a box shadow."""
    style = page.evaluate(
        """() => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            return {
                visible: element.matches(':focus-visible'),
                outline: style.outlineStyle,
                outlineWidth: parseFloat(style.outlineWidth),
                shadow: style.boxShadow,
                html: element.outerHTML.slice(0, 120),
            };
        }"""
    )
    assert style["visible"], style
    ringed = style["outline"] != "none" and style["outlineWidth"] > 0
    assert ringed or style["shadow"] != "none", style


def sign_in_by_keyboard(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    tab_to(page, 'input[name="login"]')
    page.keyboard.type(username)
    tab_to(page, 'input[name="password"]')
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Account")).to_contain_text(username)


def select_phrase(page, key: str, phrase: str) -> None:
    """Select ``phrase`` in paragraph ``key``. Chromium offers no keyboard selection in
    text that is not editable (caret browsing is off), so the selection is made in script;
    everything after it is done with keys."""
    page.evaluate(
        """([key, phrase]) => {
            const text = document.getElementById(key).firstChild;
            const start = text.data.indexOf(phrase);
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, start + phrase.length);
            window.getSelection().removeAllRanges();
            window.getSelection().addRange(range);
        }""",
        [key, phrase],
    )


def test_a_reader_discusses_a_paragraph_with_the_keyboard_alone(page, live_server, seeded):
    alice = make_reader("alice")
    key = first_paragraph_key()
    toggle_selector = f'[data-discussion-toggle="{key}"]'
    sign_in_by_keyboard(page, live_server, "alice")
    page.goto(f"{live_server.url}{READING}")
    live = page.locator("#live-region")

    # The skip link leads past the header; Tab then reaches the paragraph's "Comment" link,
    # which shows itself, focused.
    page.focus(".skip-link")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    tab_to(page, toggle_selector)
    toggle = page.locator(toggle_selector)
    expect(toggle).to_have_text("Comment on ¶ 1")
    expect(toggle).to_have_css("opacity", "1")
    assert_focus_visible(page)

    # Enter opens the discussion beside the text, focus on its heading.
    page.keyboard.press("Enter")
    discussion = page.locator("#discussion-panel")
    heading = discussion.get_by_role("heading", name="Discussion of ¶ 1")
    expect(heading).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "true")

    # Its "Close" link is next: Enter closes it and gives the focus back to the link, Enter
    # on which opens it again.
    close = discussion.get_by_role("link", name="Close the discussion")
    page.keyboard.press("Tab")
    expect(close).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(heading).to_have_count(0)
    expect(toggle).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(heading).to_be_focused()

    # Tab to the comment box, type, Tab to the button, Enter.
    box = discussion.get_by_label("Your comment")
    tab_to(page, "#discussion-panel textarea[name='body']")
    expect(box).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.type("Typed, not clicked.")
    tab_to(page, "#discussion-panel form[data-comment-form] button[type='submit']")
    expect(discussion.get_by_role("button", name="Post comment")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Enter")

    # The new comment has the focus, visibly, and the live region says so.
    first = discussion.locator("article.comment").filter(has_text="Typed, not clicked.")
    expect(first).to_be_focused()
    assert_focus_visible(page)
    expect(live).to_have_text("Your comment was posted.")
    expect(toggle).to_have_text("1 comment on ¶ 1")
    expect(box).to_have_value("")
    first_id = first.get_attribute("id")

    # Reply: Tab to "Reply", Enter; Escape leaves the form, back on "Reply"; again, and post.
    reply_link = first.get_by_role("link", name="Reply")
    tab_to(page, f"#{first_id} .comment-actions a.comment-action")
    expect(reply_link).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    reply_box = discussion.get_by_label("Your reply")
    expect(reply_box).to_be_focused()
    page.keyboard.type("Changed my mind.")
    page.keyboard.press("Escape")
    expect(reply_box).to_have_count(0)
    expect(reply_link).to_be_focused()
    # "Cancel", reached with Tab, does the same.
    page.keyboard.press("Enter")
    expect(reply_box).to_be_focused()
    tab_to(page, f"#{first_id}-slot a[data-form-cancel]")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(reply_box).to_have_count(0)
    expect(reply_link).to_be_focused()
    page.keyboard.press("Enter")
    expect(reply_box).to_be_focused()
    page.keyboard.type("A reply, by keyboard.")
    tab_to(page, f"#{first_id}-slot button[type='submit']")
    expect(discussion.get_by_role("button", name="Post reply")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    reply = discussion.locator(".replies article.comment").filter(has_text="A reply, by keyboard.")
    expect(reply).to_be_focused()
    expect(live).to_have_text("Your comment was posted.")
    expect(toggle).to_have_text("2 comments on ¶ 1")

    # Escape from inside the discussion closes it, and focus goes back to its link.
    page.keyboard.press("Escape")
    expect(discussion.locator("section.discussion")).to_have_count(0)
    expect(toggle).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    # A selection brings up "Quote and comment"; Escape on it withdraws the offer (the
    # keyboard cannot move the selection away) and puts the focus on the paragraph's link.
    phrase = "first gigantic socialist project"
    quote_button = page.get_by_role("button", name="Quote and comment")
    tab_to(page, f'.block-number[href$="/p/{key}/"]', backwards=True)
    select_phrase(page, key, phrase)
    expect(quote_button).to_be_visible()
    page.keyboard.press("Tab")
    expect(quote_button).to_be_focused()
    page.keyboard.press("Escape")
    expect(quote_button).to_be_hidden()
    expect(toggle).to_be_focused()
    assert page.evaluate("window.getSelection().isCollapsed")
    expect(toggle).to_have_attribute("aria-expanded", "false")

    # Quote and comment, the discussion closed: from the paragraph's number (just before its
    # text) Tab reaches the button that a selection brings up; Enter opens the discussion
    # with the phrase quoted in the form and the focus in its box.
    tab_to(page, f'.block-number[href$="/p/{key}/"]', backwards=True)
    select_phrase(page, key, phrase)
    expect(quote_button).to_be_visible()
    page.keyboard.press("Tab")
    expect(quote_button).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    form = discussion.locator("form[data-comment-form]")
    expect(form.locator("[data-quote-preview]")).to_be_visible()
    expect(form.locator("[data-quote-text]")).to_have_text(phrase)
    expect(form.get_by_label("Your comment")).to_be_focused()
    expect(quote_button).to_be_hidden()
    page.keyboard.type("Gigantic, and the first.")
    tab_to(page, "#discussion-panel form[data-comment-form] button[type='submit']")
    page.keyboard.press("Enter")
    quoted = discussion.locator("article.comment").filter(has_text="Gigantic, and the first.")
    expect(quoted).to_be_focused()
    expect(quoted.locator("blockquote.comment-quote")).to_contain_text(phrase)
    expect(live).to_have_text("Your comment was posted.")
    stored = Comment.objects.get(body="Gigantic, and the first.")
    assert stored.revision.text[stored.quote_start : stored.quote_end] == phrase

    # With the discussion open, the button fills the form that is there. The panel's link
    # to the passage leads back into the text, just before the paragraph's number.
    tab_to(page, "#discussion-panel a.discussion-passage", backwards=True)
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")
    expect(page.locator(f'.block-number[href$="/p/{key}/"]')).to_be_focused()
    select_phrase(page, key, phrase)
    expect(quote_button).to_be_visible()
    page.keyboard.press("Tab")
    expect(quote_button).to_be_focused()
    page.keyboard.press("Enter")
    expect(form.locator("[data-quote-text]")).to_have_text(phrase)
    expect(form.get_by_label("Your comment")).to_be_focused()
    # Escape from the form closes the discussion (the quote with it); the link has the focus.
    page.keyboard.press("Escape")
    expect(toggle).to_be_focused()
    expect(discussion.locator("section.discussion")).to_have_count(0)

    # Others reply too: the fourth reply is folded under "Show 1 more reply".
    parent = Comment.objects.get(pk=int(first_id[1:]))
    bob = get_user_model().objects.create_user("bob", "bob@example.com")
    for number in range(3):
        comment_create(author=bob, body=f"Bob's reply {number}.", parent=parent)
    page.keyboard.press("Enter")
    expect(heading).to_be_focused()
    fold = discussion.locator("details.more")
    expect(fold.locator("summary")).to_contain_text("Show 1 more reply")
    folded = discussion.locator("article.comment").filter(has_text="Bob's reply 2.")
    expect(folded).to_be_hidden()
    tab_to(page, "#discussion-panel details.more > summary")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(fold).to_have_attribute("open", "")
    expect(folded).to_be_visible()
    page.keyboard.press("Space")
    expect(fold).not_to_have_attribute("open", "")
    expect(folded).to_be_hidden()
    page.keyboard.press("Space")
    expect(folded).to_be_visible()
    # And into the unfolded reply, whose "Reply" the keyboard reaches like any other.
    tab_to(page, "#discussion-panel details.more a.comment-action")
    expect(page.locator(":focus")).to_have_text("Reply")

    assert Comment.objects.filter(author=alice).count() == 3
    assert page.console_errors == []
