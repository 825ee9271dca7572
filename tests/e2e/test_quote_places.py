"""Where a quote stands, in the browser: a phrase after characters outside the BMP (an
emoji, U+1D504) is quoted at the place the server counts (code points, as the W3C
selectors do) and highlighted there; a quote found again in a later wording is highlighted
over the words found, with the words first quoted beside it. On a phone (390×844) and a
wide screen (1440×900), axe-core finding nothing."""

import pytest
from playwright.sync_api import expect

from commentary.models import Comment
from edition.models import VersionParagraph, Work
from tests.commentary.builders import post
from tests.e2e import test_versions_reader
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import make_reader, sign_in
from tests.e2e.test_discussion_layout import highlighted
from tests.e2e.test_quote_choice import select_occurrence
from tests.e2e.test_versions_reader import _fast_passwords, revise  # noqa: F401 (a fixture)
from tests.edition.builders import build_version, build_work, heading, para

screen = test_versions_reader.screen  # the phone and the wide screen

pytestmark = pytest.mark.e2e
# Two characters outside the BMP (two UTF-16 units each, one code point), then the phrase
# twice: the reader quotes the second one.
ASTRAL = "The letter 𝔄 and a 🎉 mark the same thing; read the same thing twice."
PHRASE = "the same thing"


def highlighted_at(page) -> list[int]:
    """Where each highlighted range starts, in UTF-16 units of its text node."""
    return page.evaluate(
        "() => Array.from(CSS.highlights.get('discussion-quote') || [], (r) => r.startOffset)"
    )


def test_a_phrase_after_an_emoji_is_quoted_and_highlighted_where_it_stands(
    browser, live_server, transactional_db, screen
):
    work = build_work()
    build_version(work, [heading("Characters beyond the plane"), para(ASTRAL)])
    key = VersionParagraph.objects.get(revision__text=ASTRAL).paragraph.key
    make_reader("alice")
    page = open_page(browser, screen)
    sign_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/works/october-1917/")

    select_occurrence(page, key, PHRASE, 1)
    page.get_by_role("button", name="Quote and comment").click()
    discussion = page.locator("#discussion-panel")
    form = discussion.locator("form[data-comment-form]")
    expect(form.locator("[data-quote-preview]")).to_contain_text(PHRASE)
    form.get_by_label("Your comment").fill("Read twice.")
    form.get_by_role("button", name="Post comment").click()

    quoted = discussion.locator("article.comment").filter(has_text="Read twice.")
    expect(quoted.locator("blockquote.comment-quote")).to_contain_text(PHRASE)
    comment = Comment.objects.get(body="Read twice.")
    at = ASTRAL.rindex(PHRASE)
    assert (comment.quote_start, comment.quote_end) == (at, at + len(PHRASE))
    page.wait_for_function("() => CSS.highlights.has('discussion-quote')", timeout=5000)
    assert highlighted(page) == [PHRASE]
    assert highlighted_at(page) == [len(ASTRAL[:at].encode("utf-16-le")) // 2]
    assert_accessible(page)
    assert page.console_errors == []
    page.context.close()


def test_a_respelt_name_is_highlighted_whole_beside_the_words_first_quoted(
    browser, live_server, seeded, screen
):
    work = Work.objects.get(slug="october-1917")
    key = VersionParagraph.objects.get(
        revision__text__contains="The following year Jdanov"
    ).paragraph.key
    post(make_reader("alice"), work, key=key, body="On the name.", quote={"exact": "Jdanov"})
    revise(work, ("year Jdanov,", "year Zhdanov,"))

    page = open_page(browser, screen)
    page.goto(f"{live_server.url}/works/october-1917/?discussion={key}#{key}")

    panel = page.locator("#discussion-panel")
    comment = panel.locator("article.comment").filter(has_text="On the name.")
    expect(comment.locator(".comment-quote-fuzzy")).to_have_text(
        "Quoting words that now read: Zhdanov"
    )
    expect(comment.locator(".comment-quote-origin")).to_have_text("Quoted on v1 as: Jdanov")
    page.wait_for_function("() => CSS.highlights.has('discussion-quote')", timeout=5000)
    assert highlighted(page) == ["Zhdanov"]
    assert_accessible(page)
    assert page.console_errors == []
    page.context.close()
