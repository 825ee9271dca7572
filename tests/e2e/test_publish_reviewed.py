"""Two editors, one draft: the first reviews a revision, the second uploads another text as
the same draft, and the first one's "Publish" does not publish what they never read: it
answers 409 with the draft as it now is and says why; publishing from that page works."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from edition.models import Version, VersionParagraph
from edition.seed import SEED_FILE
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import SCREENS, open_page
from tests.e2e.test_discussion import sign_in
from tests.e2e.test_editor_review import make_editor

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("SCHOLIA_SHOTS")
FIRST = "is surely not to denigrate"
SECOND = "is by no means meant to denigrate"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def revision(words: str) -> str:
    text = (settings.BASE_DIR / "fixtures" / SEED_FILE).read_text(encoding="utf-8")
    return text.replace("is certainly not to denigrate", words)


def upload(page, live_server, words: str) -> None:
    page.goto(f"{live_server.url}/works/october-1917/revise/")
    page.get_by_label("Or paste the text").fill(revision(words))
    page.get_by_role("button", name="Upload and review").click()
    expect(page).to_have_url(re.compile(r"/works/october-1917/v/2/review/$"))


def shoot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=False)


@pytest.mark.parametrize("screen", list(SCREENS))
def test_an_editor_cannot_publish_a_text_another_editor_uploaded_after_their_review(
    browser, live_server, seeded, screen
):
    make_editor("ada"), make_editor("ben")
    ada, ben = open_page(browser, screen), open_page(browser, screen)
    sign_in(ada, live_server, "ada")
    sign_in(ben, live_server, "ben")

    upload(ada, live_server, FIRST)
    expect(ada.locator(".mapping-row-edited").first.locator("ins")).to_contain_text("surely")
    upload(ben, live_server, SECOND)

    with ada.expect_response(re.compile(r"/v/2/publish/$")) as answer:
        ada.get_by_role("button", name="Publish version 2").click()
    assert answer.value.status == 409
    expect(ada.locator("ul.messages")).to_contain_text(
        "Version 2 was not published: the draft changed since you opened this page"
    )
    edited = ada.locator(".mapping-row-edited").first
    expect(edited.locator("ins")).to_contain_text("by no means meant")
    assert not Version.objects.get(number=2).is_published
    shoot(ada, f"publish-refused-{screen}")
    assert_accessible(ada)

    # Ada has now read Ben's text: publishing from this page publishes it.
    ada.get_by_role("button", name="Publish version 2").click()
    expect(ada).to_have_url(re.compile(r"/works/october-1917/v/2/$"))
    expect(ada.locator("ul.messages")).to_contain_text("Version 2 is published.")
    assert VersionParagraph.objects.filter(
        version__number=2, revision__text__contains=SECOND
    ).exists()
    # The browser reports the refusal's status, and nothing else goes wrong.
    assert [e for e in ada.console_errors if "(Conflict)" not in e] == []
    assert ben.console_errors == []
    ada.context.close()
    ben.context.close()
