"""An editor publishes a revision from the browser; a reader compares the two versions."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from edition.models import Paragraph, Version, VersionParagraph
from edition.seed import SEED_FILE

pytestmark = pytest.mark.e2e
PASSWORD = "a-long-browser-password"
REMOVED_START = "However, neither is the objective of this study"
INSERTED = (
    "This paragraph is new in the second version: it looks at the peasants, the land and "
    "the towns in the year of the revolution."
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_editor(username: str):
    user = get_user_model().objects.create_user(
        username, f"{username}@example.com", PASSWORD, is_staff=True
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def revision_of_the_seed() -> bytes:
    """The seed with a word corrected, one paragraph gone and a new one in its place."""
    text = (settings.BASE_DIR / "fixtures" / SEED_FILE).read_text(encoding="utf-8")
    text = text.replace("is certainly not to denigrate", "is surely not to denigrate")
    lines = [INSERTED if line.startswith(REMOVED_START) else line for line in text.splitlines()]
    return "\n".join(lines).encode()


def test_an_editor_reviews_corrects_and_publishes_a_revision(page, browser, live_server, seeded):
    removed_key = VersionParagraph.objects.get(
        revision__text__startswith=REMOVED_START
    ).paragraph.key
    make_editor("eleanor")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or email").fill("eleanor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("eleanor")

    page.goto(f"{live_server.url}/works/october-1917/")
    page.get_by_role("link", name="Upload a revision").click()
    page.get_by_label("Text file").set_input_files(
        files=[{"name": "chapter.txt", "mimeType": "text/plain", "buffer": revision_of_the_seed()}]
    )
    page.get_by_label("What changed in this version").fill("A spelling, and a new passage.")
    page.get_by_role("button", name="Upload and review").click()

    expect(page).to_have_url(re.compile(r"/works/october-1917/v/2/review/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Review the draft of version 2")
    edited = page.locator(".mapping-row-edited").first
    expect(edited.locator("del")).to_contain_text("certainly")
    expect(edited.locator("ins")).to_contain_text("surely")
    expect(page.locator(f"#row-{removed_key} .mapping-status")).to_have_text("removed")
    new_row = page.locator(".mapping-row-new")
    expect(new_row).to_have_count(1)
    new_key = new_row.get_attribute("id").removeprefix("row-")

    # The new passage replaces the removed one: link it, so it keeps that key.
    new_row.locator("summary").click()
    new_row.get_by_label("It continues").select_option(removed_key)
    new_row.get_by_role("button", name="Link to this paragraph").click()

    expect(page.locator("ul.messages")).to_contain_text("The draft is corrected.")
    linked = page.locator(f"#row-{removed_key}")
    expect(linked.locator(".mapping-status")).to_have_text("edited")
    expect(linked.locator(".mapping-text")).to_contain_text("peasants")
    expect(page.locator(".mapping-row-new")).to_have_count(0)

    page.get_by_role("button", name="Publish version 2").click()

    expect(page).to_have_url(re.compile(r"/works/october-1917/v/2/$"))
    expect(page.locator("ul.messages")).to_contain_text("Version 2 is published.")
    assert Version.objects.get(number=2).is_published
    assert not Paragraph.objects.filter(key=new_key).exists()
    assert page.console_errors == []

    # A reader, signed out, compares the two versions.
    reader = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    reader.goto(f"{live_server.url}/works/october-1917/")
    reader.get_by_role("link", name="Compare versions").click()
    expect(reader.get_by_label("From version")).to_have_value("1")
    expect(reader.get_by_label("To version")).to_have_value("2")
    reader.get_by_role("button", name="Compare").click()

    expect(reader).to_have_url(re.compile(r"/works/october-1917/compare/1\.\.\.2/$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text("Version 1 and version 2 compared")
    changed = reader.locator(f"#{removed_key}")
    expect(changed.locator(".mapping-status")).to_have_text("edited")
    expect(changed.locator(".mapping-text")).to_contain_text("peasants")
    unchanged = reader.locator("details.mapping-unchanged").first
    expect(unchanged).not_to_have_attribute("open", "")
    reader.context.close()
