"""A profile marks the comments written in a reading group, for those who may read them.

gus writes one public comment and one in the Tuesday seminar. On his own profile the group
comment says which group holds it; nina, outside the group, sees on his profile only the
public comment and nothing of the group. On a phone and a wide screen, with axe.
"""

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from commentary.services import comment_create
from edition.models import Paragraph
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import first_paragraph_key, make_reader, sign_in
from tests.e2e.test_group_layer import make_seminar

pytestmark = pytest.mark.e2e
SHOTS = Path(tempfile.gettempdir()) / "scholia-smalls-shots"
PUBLIC_WORDS = "A reading for everyone."
GROUP_WORDS = "A reading for the seminar only."


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(params=["phone", "wide"])
def screen(request) -> str:
    return request.param


def test_own_profile_marks_group_comments_and_outsiders_see_none(
    browser, live_server, seeded, screen
):
    group, _olga, members = make_seminar()
    make_reader("nina")
    paragraph = Paragraph.objects.get(work__slug="october-1917", key=first_paragraph_key())
    comment_create(author=members["gus"], body=PUBLIC_WORDS, paragraph=paragraph)
    comment_create(author=members["gus"], body=GROUP_WORDS, paragraph=paragraph, group=group)

    page = open_page(browser, screen)
    sign_in(page, live_server, "gus")
    page.goto(f"{live_server.url}/users/gus/")
    comments = page.locator(".profile-comment")
    expect(comments).to_have_count(2)
    in_group = comments.filter(has_text=GROUP_WORDS)
    in_public = comments.filter(has_text=PUBLIC_WORDS)
    expect(in_group.locator(".profile-comment-group")).to_have_text(
        "In Tuesday seminar (members only)"
    )
    expect(in_group.get_by_role("link", name="Tuesday seminar")).to_have_attribute(
        "href", group.get_absolute_url()
    )
    expect(in_public.locator(".profile-comment-group")).to_have_count(0)
    assert_accessible(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"profile-own-{screen}.png"), full_page=True)
    page.context.close()

    outsider = open_page(browser, screen)
    sign_in(outsider, live_server, "nina")
    outsider.goto(f"{live_server.url}/users/gus/")
    expect(outsider.locator(".profile-comment")).to_have_count(1)
    expect(outsider.locator(".profile-comments")).to_contain_text(PUBLIC_WORDS)
    expect(outsider.locator("main")).not_to_contain_text(GROUP_WORDS)
    expect(outsider.locator("main")).not_to_contain_text("Tuesday seminar")
    expect(outsider.locator(".profile-comment-group")).to_have_count(0)
    assert_accessible(outsider)
    outsider.context.close()
