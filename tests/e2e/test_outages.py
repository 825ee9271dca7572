"""Readers in the browser while a Redis server is down: the reading page and a paragraph
page answer, signed-in readers stay signed in and can comment, and once the server is back
the anonymous pages come from the cache again."""

import os
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.screens import SCREENS, open_page
from tests.e2e.test_discussion import READING, first_paragraph_key, make_reader, sign_in
from tests.redis_servers import caches_on_own_servers

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("SCHOLIA_SHOTS")  # a folder to keep screenshots in, if set


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def watched(page) -> list[tuple[int, str]]:
    """The server errors ``page`` will receive."""
    errors: list[tuple[int, str]] = []
    page.on(
        "response",
        lambda response: (
            errors.append((response.status, response.url)) if response.status >= 500 else None
        ),
    )
    return errors


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png")


@pytest.mark.parametrize("stopped", ["pages", "counters"])
def test_readers_read_and_comment_while_a_redis_is_down(browser, live_server, seeded, stopped):
    with caches_on_own_servers() as (pages, counters):
        server = {"pages": pages, "counters": counters}[stopped]
        make_reader("alice")
        key = first_paragraph_key()
        paragraph_url = f"{live_server.url}/works/october-1917/p/{key}/"
        server.stop()
        errors = []
        for screen in SCREENS:
            anonymous = open_page(browser, screen)
            errors += watched(anonymous)
            assert anonymous.goto(f"{live_server.url}{READING}").status == 200
            assert_accessible(anonymous)
            shot(anonymous, f"{stopped}-down-anonymous-reading-{screen}")
            assert anonymous.goto(paragraph_url).status == 200
            assert_accessible(anonymous)

            reader = open_page(browser, screen)
            errors += watched(reader)
            sign_in(reader, live_server, "alice")
            reader.goto(f"{live_server.url}{READING}")
            reader.locator(f'[data-discussion-toggle="{key}"]').click()
            discussion = reader.locator("#discussion-panel")
            discussion.get_by_label("Your comment").fill(f"Posted on a {screen} in the outage.")
            discussion.get_by_role("button", name="Post comment").click()
            expect(discussion.locator("article.comment").filter(has_text=screen)).to_be_visible()
            # By its class: on a phone the open sheet makes the header behind it inert.
            expect(reader.locator(".account-nav")).to_contain_text("alice")
            assert_accessible(reader)
            shot(reader, f"{stopped}-down-signed-in-reading-{screen}")

            assert anonymous.goto(paragraph_url).status == 200
            expect(anonymous.locator("main")).to_contain_text(f"Posted on a {screen}")
            reader.context.close()
            anonymous.context.close()

        server.start()
        anonymous = open_page(browser, "wide")
        errors += watched(anonymous)
        deadline = time.monotonic() + 10
        while anonymous.goto(paragraph_url).headers.get("x-page-cache") != "hit":
            assert time.monotonic() < deadline, "the cache never served the page again"
            time.sleep(0.2)
        expect(anonymous.locator("main")).to_contain_text("Posted on a phone")
        anonymous.context.close()
        assert errors == []
