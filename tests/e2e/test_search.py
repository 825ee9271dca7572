"""Search and the reading-order list in a browser, on a phone and a wide screen.

A reader searches a phrase of the text and a word of ada's comment: the snippet marks it,
the link opens the paragraph, or the discussion at the comment. The reading-order page
filtered by a tag shows only the comments carrying it. axe finds nothing on either page;
screenshots of both, with and without JavaScript, go to the shots folder.
"""

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from commentary.services import comment_create
from edition.models import Paragraph
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import first_paragraph_key, make_reader

pytestmark = pytest.mark.e2e
SHOTS = Path(tempfile.gettempdir()) / "scholia-search-shots"
PHRASE = "set on the right path"
WORD = "palimpsest"


@pytest.fixture(params=["phone", "wide"])
def screen(request) -> str:
    return request.param


@pytest.fixture
def discussed(seeded):
    ada = make_reader("ada")
    paragraph = Paragraph.objects.get(work__slug="october-1917", key=first_paragraph_key())
    comment = comment_create(
        author=ada,
        body=f"The chapter reads like a {WORD}: <b>older</b> writing shows through.",
        paragraph=paragraph,
        tags=["question"],
    )
    other = comment_create(
        author=ada, body="Amin's sources are in the notes.", paragraph=paragraph, tags=["source"]
    )
    return comment, other


def search_for(page, query: str) -> None:
    page.get_by_label("Words, “a phrase”, -leave out, or").fill(query)
    page.get_by_role("button", name="Search", exact=True).click()


def shoot(page, name: str, screen: str, javascript: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if javascript else "-nojs"
    page.screenshot(path=str(SHOTS / f"{name}-{screen}{suffix}.png"), full_page=True)


def test_search_finds_the_text_and_a_comment_and_opens_them(
    browser, live_server, discussed, screen
):
    comment, _other = discussed
    page = open_page(browser, screen)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Search").click()
    search_for(page, f'"{PHRASE}"')
    hits = page.locator(".search-hit")
    # PostgreSQL marks each word of the phrase it matched ("set", "right", "path"), the
    # fallback the phrase whole: either way "path" is marked in the first hit.
    expect(hits.first.locator("mark").filter(has_text="path").first).to_be_visible()
    expect(page.locator(".search-count")).to_contain_text("in the text")
    assert_accessible(page)
    shoot(page, "search-text", screen)
    hits.first.locator(".search-hit-title a").click()
    expect(page).to_have_url(f"{live_server.url}/works/october-1917/v/1/#" + page.url.split("#")[1])
    expect(page.locator(f"#{page.url.split('#')[1]}")).to_contain_text("right path")

    page.goto(f"{live_server.url}/search/")
    search_for(page, WORD)
    hit = page.locator(".search-hit-comments")
    expect(hit).to_have_count(1)
    expect(hit.locator("mark")).to_have_text(WORD)
    # The comment's own markup is never HTML in the snippet: shown as text by the fallback,
    # left out by PostgreSQL's headline, which reads tags as tags.
    expect(hit.locator(".search-snippet")).to_contain_text("older")
    expect(hit.locator(".search-snippet b")).to_have_count(0)
    assert_accessible(page)
    shoot(page, "search-comment", screen)
    hit.locator(".search-hit-title a").click()
    expect(page).to_have_url(f"{live_server.url}/comments/{comment.pk}/#c{comment.pk}")
    expect(page.locator(f"#c{comment.pk}")).to_contain_text(WORD)
    assert page.console_errors == []


def test_the_reading_order_page_filters_by_a_tag(browser, live_server, discussed, screen):
    comment, other = discussed
    page = open_page(browser, screen)
    page.goto(f"{live_server.url}/works/october-1917/")
    page.get_by_role("link", name="Every comment, in reading order").click()
    comments = page.locator(".reading-order-comment")
    expect(comments).to_have_count(2)
    assert_accessible(page)
    shoot(page, "reading-order", screen)
    comments.filter(has_text=WORD).get_by_role("link", name="#question").click()
    expect(comments).to_have_count(1)
    expect(comments.first).to_contain_text(WORD)
    expect(page.get_by_role("textbox", name="Tag")).to_have_value("question")
    assert_accessible(page)
    shoot(page, "reading-order-tag", screen)

    page.goto(f"{live_server.url}/")
    activity = page.get_by_role("region", name="Recent activity")
    expect(activity.get_by_role("link", name="ada on October 1917")).to_have_count(2)
    assert_accessible(page)
    shoot(page, "home", screen)


def test_both_pages_work_without_javascript(browser, live_server, discussed, screen):
    page = open_page(browser, screen, javascript=False)
    page.goto(f"{live_server.url}/search/?q={WORD}")
    expect(page.locator(".search-hit-comments mark")).to_have_text(WORD)
    shoot(page, "search-comment", screen, javascript=False)
    page.goto(f"{live_server.url}/works/october-1917/comments/?tag=source")
    expect(page.locator(".reading-order-comment")).to_have_count(1)
    shoot(page, "reading-order-tag", screen, javascript=False)
