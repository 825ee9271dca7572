"""Mail and feeds as people meet them, in the browser, at a phone's and a wide size:

- a daily digest built twice sends once; its link opens the comment; its one-click
  unsubscribe address shows a confirmation page (a GET changes nothing), and a POST of
  ``List-Unsubscribe=One-Click`` with no session and no CSRF token answers 200 and stops the
  mail, as a mail client sends it;
- the feed links on the work page and on a profile lead to Atom feeds that the W3C Feed
  Validator passes (skipped where the validator is not there, as in tests/commentary).

axe finds nothing on the pages. Screenshots go to the temporary directory."""

import os
import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from commentary.notifications.follows import follow_create
from commentary.notifications.models import Digest, Frequency, Kind
from commentary.notifications.preferences import frequencies_of
from edition.models import Work
from tests.commentary.test_feeds_valid import errors_of, load_feedvalidator
from tests.e2e.axe import axe_violations, describe
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import make_reader, sign_in
from tests.e2e.test_moderation import write

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def shoot(page, name: str) -> None:
    folder = Path(os.environ.get("SCHOLIA_SHOTS") or tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def on_live_server(live_server, address: str) -> str:
    """``address`` (absolute, on whatever origin the mail was written for) on the server."""
    parts = urlsplit(address)
    return f"{live_server.url}{parts.path}" + (f"?{parts.query}" if parts.query else "")


@pytest.mark.parametrize("screen", ["phone", "wide"])
def test_a_digest_built_twice_is_sent_once_and_unsubscribes_in_one_click(
    browser, live_server, seeded, screen
):
    follower = make_reader("follower")
    writer = make_reader("writer")
    first = write(writer, "First of the day, on this passage.")
    work = Work.objects.get(slug="october-1917")
    follow_create(user=follower, work=work, paragraph=first.paragraph)  # daily by default
    second = write(writer, "Second of the day.", key=first.paragraph.key)
    mail.outbox.clear()

    call_command("send_digests", "--period", "daily")
    call_command("send_digests", "--period", "daily")

    (digest,) = mail.outbox
    assert digest.to == [follower.email]
    assert Digest.objects.filter(user=follower).count() == 1
    assert "Second of the day." in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The digest's link to the comment, followed by its reader.
    page = open_page(browser, screen)
    sign_in(page, live_server, "follower")
    (link,) = re.findall(rf"\S+/comments/{second.pk}/\S*", digest.body)
    page.goto(on_live_server(live_server, link))
    expect(page.locator("article.comment-target")).to_contain_text("Second of the day.")
    page.context.close()

    # The unsubscribe address, opened with no session: a confirmation page, nothing done.
    unsubscribe = on_live_server(live_server, digest.extra_headers["List-Unsubscribe"][1:-1])
    stranger = open_page(browser, screen)
    stranger.goto(unsubscribe)
    expect(stranger.get_by_role("heading", name="Stop mail", level=1)).to_be_visible()
    expect(stranger.get_by_role("button", name="Stop this mail")).to_be_visible()
    shoot(stranger, f"unsubscribe-confirm-{screen}")
    assert_accessible(stranger)
    assert set(frequencies_of(follower).values()) != {Frequency.NEVER}

    # A mail client's one-click POST: no cookie, no CSRF token.
    answer = stranger.request.post(unsubscribe, form={"List-Unsubscribe": "One-Click"})
    assert answer.status == 200
    assert "no longer receive mail" in answer.text()
    assert set(frequencies_of(follower).values()) == {Frequency.NEVER}
    assert stranger.context.cookies() == []

    # The page's own button does the same, and says so.
    stranger.get_by_role("button", name="Stop this mail").click()
    expect(stranger.locator("main p[role=status]")).to_contain_text(
        "You will no longer receive mail"
    )
    shoot(stranger, f"unsubscribe-done-{screen}")
    assert_accessible(stranger)
    assert stranger.console_errors == []

    # Nothing more reaches the follower.
    mail.outbox.clear()
    write(writer, "Third, tomorrow.", key=first.paragraph.key)
    call_command("send_digests", "--period", "daily")
    assert mail.outbox == []
    assert frequencies_of(follower)[Kind.PARAGRAPH] == Frequency.NEVER


@pytest.fixture
def feedvalidator():
    return load_feedvalidator()


@pytest.mark.parametrize("screen", ["phone", "wide"])
def test_the_feed_links_lead_to_valid_atom_feeds(
    browser, live_server, seeded, screen, feedvalidator
):
    writer = make_reader("writer")
    write(writer, "A comment worth a feed reader, with <angle> & ampersand.")

    page = open_page(browser, screen)
    for address, owner in (("/works/october-1917/", "work"), ("/users/writer/", "profile")):
        page.goto(f"{live_server.url}{address}")
        link = page.get_by_role("link", name=re.compile(r"^Atom feed of"))
        expect(link).to_be_visible()
        shoot(page, f"feed-link-{owner}-{screen}")
        assert_accessible(page)
        href = link.get_attribute("href")
        assert page.locator(f'link[rel="alternate"][href="{href}"]').count() == 1
        feed = page.request.get(f"{live_server.url}{href}")
        assert feed.status == 200
        assert feed.headers["content-type"].startswith("application/atom+xml")
        xml = feed.text()
        assert "A comment worth a feed reader" in xml
        assert errors_of(feedvalidator, xml, f"{live_server.url}{href}") == [], owner
    assert page.console_errors == []
