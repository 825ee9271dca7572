"""What the groups' pages tell, and only where it is true: the participation page offers
sorting in the way each screen can use it (headings on a wide screen, a "Sort by" list on
a phone, whose table shows no headings; both without JavaScript), and an invitation to a
"post first" group says what that means for the one who joins. Phone and wide, with axe.
"""

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from commentary.groups.services import group_create
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import make_reader, sign_in
from tests.e2e.test_groups import make_seminar

pytestmark = pytest.mark.e2e
SHOTS = Path(tempfile.gettempdir()) / "scholia-smalls-shots"
HINT = "Click a heading to sort by it."


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(params=["phone", "wide"])
def screen(request) -> str:
    return request.param


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def member_names(page) -> list[str]:
    return page.locator(".group-table tbody th[scope=row] a").all_inner_texts()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_participation_offers_sorting_only_in_a_way_the_screen_shows(
    browser, live_server, seeded, screen, javascript
):
    group = make_seminar()
    page = open_page(browser, screen, javascript=javascript)
    sign_in(page, live_server, "olga")
    page.goto(f"{live_server.url}/groups/{group.slug}/participation/")
    # By default the owner first; sorted by comments, gus (who wrote one) leads.
    assert member_names(page) == ["olga", "gus"]
    sort_by = page.get_by_role("navigation", name="Sort by")
    if screen == "phone":
        expect(page.get_by_text(HINT)).to_be_hidden()
        expect(page.locator(".group-table thead")).not_to_be_in_viewport()
        expect(sort_by).to_be_visible()
        sort_by.get_by_role("link", name="Comments").click()
        expect(sort_by.get_by_role("link", name="Comments")).to_have_attribute(
            "aria-current", "true"
        )
    else:
        expect(page.get_by_text(HINT)).to_be_visible()
        expect(sort_by).to_be_hidden()
        page.get_by_role("columnheader", name="Comments").get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/groups/{group.slug}/participation/?sort=comments")
    assert member_names(page) == ["gus", "olga"]
    if javascript:
        assert_accessible(page)
    shoot(page, f"participation-{screen}-{'js' if javascript else 'nojs'}")
    page.context.close()


def test_an_invitation_to_a_post_first_group_says_what_it_means(
    browser, live_server, seeded, screen
):
    olga = make_reader("olga")
    make_reader("pia")
    first = group_create(
        owner=olga, name="Write-first seminar", works=["october-1917"], post_first=True
    )
    plain = group_create(owner=olga, name="Open seminar", works=["october-1917"])
    page = open_page(browser, screen)
    sign_in(page, live_server, "pia")

    page.goto(f"{live_server.url}/groups/{first.slug}/join/{first.invite_code}/")
    note = page.locator(".group-post-first")
    expect(note).to_contain_text("This group writes first, then reads")
    expect(note).to_contain_text(
        "you see the others' comments on a passage once you have posted your own there"
    )
    assert_accessible(page)
    shoot(page, f"join-post-first-{screen}")

    page.goto(f"{live_server.url}/groups/{plain.slug}/join/{plain.invite_code}/")
    expect(page.get_by_role("heading", name="Join Open seminar")).to_be_visible()
    expect(page.locator(".group-post-first")).to_have_count(0)
    page.context.close()
