"""Reading groups in the browser: an owner founds a group and copies its invitation link, a
second person opens it, signs in and joins; an outsider gets 404; the owner downloads the
participation CSV; the group's pages pass axe on a phone and on a wide screen."""

import csv
import io

import pytest
from playwright.sync_api import expect

from commentary.groups.invitations import group_join
from commentary.groups.models import Membership, ReadingGroup
from commentary.groups.services import group_create
from commentary.services import comment_create
from edition.models import Paragraph
from tests.e2e.axe import axe_violations, describe
from tests.e2e.screens import SCREENS, open_page
from tests.e2e.test_discussion import PASSWORD, first_paragraph_key, make_reader, sign_in

pytestmark = pytest.mark.e2e

GROUP_WORDS = "Only the seminar reads this."


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_seminar() -> ReadingGroup:
    """olga's group, with gus in it and a comment of his."""
    olga, gus = make_reader("olga"), make_reader("gus")
    group = group_create(
        owner=olga,
        name="Tuesday seminar",
        works=["october-1917"],
        description="We read chapter one on Tuesdays.",
    )
    group_join(user=gus, code=group.invite_code)
    paragraph = Paragraph.objects.get(work__slug="october-1917", key=first_paragraph_key())
    comment_create(author=gus, paragraph=paragraph, body=GROUP_WORDS, group=group)
    return group


def test_an_owner_founds_a_group_and_a_second_person_joins_by_its_link(
    browser, live_server, seeded
):
    make_reader("olga")
    make_reader("ted")
    make_reader("nina")

    owner = open_page(browser, "wide")
    owner.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(owner, live_server, "olga")
    owner.get_by_role("navigation", name="Account").get_by_role("link", name="Groups").click()
    owner.get_by_role("link", name="Start a reading group").click()
    owner.get_by_label("Name").fill("Tuesday seminar")
    owner.get_by_label("Description").fill("We read chapter one on Tuesdays.")
    owner.get_by_label("October 1917 Revolution: A Century Later").check()
    owner.get_by_role("button", name="Start the group").click()
    expect(owner.get_by_role("heading", level=1)).to_have_text("Tuesday seminar")
    group = ReadingGroup.objects.get()
    expect(
        owner.get_by_role("link", name="October 1917 Revolution: A Century Later")
    ).to_have_attribute("href", f"/works/october-1917/?group={group.slug}")

    owner.get_by_role("navigation", name="Group pages").get_by_role("link", name="Settings").click()
    field = owner.get_by_label("Invitation link")
    link = field.input_value()
    assert link == f"{live_server.url}/groups/{group.slug}/join/{group.invite_code}/"
    owner.get_by_role("button", name="Copy", exact=True).click()
    expect(owner.locator(".copy-status")).to_have_text("Copied")
    assert owner.evaluate("navigator.clipboard.readText()") == link
    assert owner.console_errors == []

    joiner = open_page(browser, "phone")
    joiner.goto(link)
    joiner.get_by_label("Username or email").fill("ted")
    joiner.get_by_label("Password").fill(PASSWORD)
    joiner.get_by_role("button", name="Sign In").click()
    expect(joiner.get_by_role("heading", level=1)).to_have_text("Join Tuesday seminar")
    joiner.get_by_role("button", name="Join").click()
    expect(joiner.get_by_role("heading", level=1)).to_have_text("Tuesday seminar")
    expect(joiner.locator("ul.messages")).to_contain_text("Welcome to Tuesday seminar.")
    assert Membership.objects.get(group=group, user__username="ted").role == "member"

    outsider = open_page(browser, "wide")
    sign_in(outsider, live_server, "nina")
    response = outsider.goto(f"{live_server.url}/groups/{group.slug}/")
    assert response.status == 404
    expect(outsider.locator("body")).not_to_contain_text("Tuesday seminar")
    for page in (owner, joiner, outsider):
        page.context.close()


def test_the_owner_downloads_the_participation_csv(browser, live_server, seeded):
    group = make_seminar()

    page = open_page(browser, "wide")
    sign_in(page, live_server, "olga")
    page.goto(f"{live_server.url}/groups/{group.slug}/participation/")
    gus_row = page.get_by_role("row").filter(has_text="gus")
    expect(gus_row).to_contain_text("1")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as CSV").click()
    download = download_info.value

    assert download.suggested_filename == f"{group.slug}-participation.csv"
    with open(download.path(), encoding="utf-8") as exported:
        rows = {row["username"]: row for row in csv.DictReader(io.StringIO(exported.read()))}
    assert set(rows) == {"olga", "gus"}
    assert rows["gus"]["comments"] == "1" and rows["gus"]["paragraphs"] == "1"
    page.context.close()


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_the_groups_pages_pass_axe(browser, live_server, seeded, screen):
    group = make_seminar()
    base = f"{live_server.url}/groups/{group.slug}"
    addresses = [
        f"{live_server.url}/groups/",
        f"{live_server.url}/groups/new/",
        f"{base}/",
        f"{base}/settings/",
        f"{base}/participation/",
        f"{base}/comments/",
    ]

    page = open_page(browser, screen)
    sign_in(page, live_server, "olga")
    for address in addresses:
        page.goto(address)
        violations = axe_violations(page)
        assert not violations, f"axe on {address} ({screen}):\n{describe(violations)}"
    expect(page.locator(".group-comment")).to_contain_text(GROUP_WORDS)

    joiner = open_page(browser, screen)
    sign_in(joiner, live_server, make_reader("ted").username)
    ReadingGroup.objects.filter(pk=group.pk).update(discoverable=True)
    # The confirmation, a code that does not work, and a discoverable group's card.
    for address in (f"{base}/join/{group.invite_code}/", f"{base}/join/wrong-code/", f"{base}/"):
        joiner.goto(address)
        violations = axe_violations(joiner)
        assert not violations, f"axe on {address} ({screen}):\n{describe(violations)}"
    assert page.console_errors == []
    # The one error a browser reports is the wrong code's 404 status.
    assert all("404" in error for error in joiner.console_errors)
    for opened in (page, joiner):
        opened.context.close()
