"""In a "post first" group the margin and the panel tell the same: gus has written on a
paragraph, una has not; the margin says the group wrote there and that it appears once she
posts, as the panel does, and neither shows a word of it. Once she posts, both count it.
On a phone and a wide screen, with axe."""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from commentary.services import comment_create
from edition.models import Paragraph
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import READING, first_paragraph_key, sign_in
from tests.e2e.test_group_layer import GROUP_WORDS, control, make_seminar, panel

pytestmark = pytest.mark.e2e
SHOTS = Path(tempfile.gettempdir()) / "scholia-smalls-shots"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(params=["phone", "wide"])
def screen(request) -> str:
    return request.param


def test_the_margin_agrees_with_the_panel_before_and_after_posting(
    browser, live_server, seeded, screen
):
    group, _olga, members = make_seminar(post_first=True)
    key = first_paragraph_key()
    paragraph = Paragraph.objects.get(work__slug="october-1917", key=key)
    comment_create(author=members["gus"], body=GROUP_WORDS, paragraph=paragraph, group=group)
    page = open_page(browser, screen)
    sign_in(page, live_server, "una")

    page.goto(f"{live_server.url}{READING}?group={group.slug}")
    margin = control(page, key)
    expect(margin.locator(".comment-toggle-layer")).to_have_text("1 in group once you post")
    expect(margin.locator(".comment-toggle-name")).to_have_text(
        "0 public comments, 1 in Tuesday seminar, which appears once you post yours"
    )
    expect(margin).not_to_contain_text("0 in group")
    if screen == "phone":
        # The phone's margin shows the counts from attributes, the waiting one marked.
        drawn = margin.evaluate("e => getComputedStyle(e, '::before').content")
        assert drawn.startswith('"0·1✎"'), drawn
    else:
        expect(margin.locator(".comment-toggle-layer")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(GROUP_WORDS)
    assert_accessible(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    margin.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"post-first-margin-{screen}.png"))

    margin.click()
    in_group = panel(page).locator(f"#group-discussion-{key}")
    expect(in_group).to_contain_text(
        "1 reading from the group appears here once you post your own."
    )
    expect(page.locator("main")).not_to_contain_text(GROUP_WORDS)
    form = panel(page).locator("form[data-comment-form]")
    form.get_by_label("Your comment").fill("My own first reading.")
    form.get_by_role("button", name="Post comment").click()
    expect(in_group).to_contain_text(GROUP_WORDS)
    expect(margin.locator(".comment-toggle-layer")).to_have_text("2 in group")
    expect(margin).not_to_have_attribute("data-layer-waiting", re.compile(".*"))
    assert page.console_errors == []
    page.context.close()
