"""A member downloads their data and deletes their account, on a phone and a wide screen.

zelda, who wrote a comment that oscar answered, finds "Download your data" on her profile
settings, prepares it and downloads the JSON, which holds her comment. Then she deletes her
account with her password: she is signed out, and the thread still shows oscar's reply under
the placeholder left where her comment was. With axe on each page.
"""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from commentary.services import comment_create
from edition.models import Paragraph
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import PASSWORD, first_paragraph_key, make_reader, sign_in

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/scholia-cluster-shots")
HER_WORDS = "Zelda reads the third paragraph closely."
HIS_WORDS = "Oscar answers Zelda."


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(params=["phone", "wide"])
def screen(request) -> str:
    return request.param


@pytest.fixture
def thread(seeded):
    zelda, oscar = make_reader("zelda"), make_reader("oscar")
    paragraph = Paragraph.objects.get(work__slug="october-1917", key=first_paragraph_key())
    root = comment_create(author=zelda, body=HER_WORDS, paragraph=paragraph)
    comment_create(author=oscar, body=HIS_WORDS, parent=root)
    return root


def shoot(page, name: str, screen: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{screen}.png"), full_page=True)


def test_a_member_downloads_their_data_from_the_settings(browser, live_server, thread, screen):
    page = open_page(browser, screen)
    sign_in(page, live_server, "zelda")
    page.goto(f"{live_server.url}/settings/profile/")
    page.get_by_role("link", name="Download your data").click()
    expect(page.get_by_role("heading", name="Your data", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("You have not downloaded your data yet.")

    page.get_by_role("button", name="Prepare my data").click()
    expect(page.locator("main")).to_contain_text("Your data is ready to download.")
    expect(page.locator(".export-item")).to_have_count(1)
    expect(page.locator(".export-item")).to_contain_text("1 comment")
    assert_accessible(page)
    shoot(page, "own-data", screen)

    with page.expect_download() as download:
        page.locator(".export-item").get_by_role("link", name="JSON").click()
    data = json.loads(Path(download.value.path()).read_text())
    assert data["profile"]["username"] == "zelda"
    assert [comment["body"] for comment in data["comments"]] == [HER_WORDS]
    assert HIS_WORDS not in json.dumps(data)
    with page.expect_download() as download:
        page.locator(".export-item").get_by_role("link", name="Markdown").click()
    assert HER_WORDS in Path(download.value.path()).read_text()
    assert page.console_errors == []
    page.context.close()


def test_a_member_deletes_their_account_and_the_thread_stays(browser, live_server, thread, screen):
    page = open_page(browser, screen)
    sign_in(page, live_server, "zelda")
    page.goto(f"{live_server.url}/settings/data/")
    page.get_by_role("link", name="Delete your account…").click()
    expect(page.get_by_role("heading", name="Delete your account", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Your password").fill("wrong password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator(".form-errors, .errorlist").first).to_contain_text(
        "That is not your password."
    )
    # The refusal answered 400, which the browser reports; nothing else may be reported.
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    page.console_errors.clear()
    page.get_by_label("Your password").fill(PASSWORD)
    shoot(page, "account-delete", screen)
    page.get_by_role("button", name="Delete my account").click()

    expect(page.locator("main")).to_contain_text("Your account is deleted.")
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("Sign in")
    page.goto(f"{live_server.url}{thread.get_absolute_url()}")
    expect(page.locator("main")).to_contain_text(HIS_WORDS)
    # Her comment is a tombstone: the thread keeps its place, nothing of hers is shown.
    expect(page.locator("main")).to_contain_text("This comment was deleted.")
    expect(page.locator("main")).not_to_contain_text(HER_WORDS)
    expect(page.locator("main")).not_to_contain_text("zelda")
    assert_accessible(page)
    shoot(page, "thread-after-deletion", screen)
    assert page.console_errors == []
    page.context.close()
