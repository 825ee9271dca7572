"""The tokens page in a browser, without JavaScript: a member of a reading group makes a
read-only token limited to the group, sees its key once, and the list says what it may do;
the password page offers to revoke every token. axe finds nothing on either."""

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from commentary.accounts.models import ApiToken
from commentary.groups.invitations import group_join
from commentary.groups.services import group_create
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import make_reader, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("screen", ["phone", "wide"])
def test_a_member_makes_a_token_limited_to_their_group(browser, live_server, seeded, screen):
    gus = make_reader("gus")
    group = group_create(owner=make_reader("olga"), name="Tuesday seminar", works=["october-1917"])
    group_join(user=gus, code=group.invite_code)
    page = open_page(browser, screen, javascript=False)
    sign_in(page, live_server, "gus")

    page.goto(f"{live_server.url}/settings/tokens/")
    assert_accessible(page)
    page.get_by_label("Name").fill("seminar mirror")
    page.get_by_label("Expires").select_option("30")
    page.get_by_label("Limit it to the reading groups ticked below").check()
    page.get_by_label("Tuesday seminar").check()
    page.get_by_role("button", name="Create token").click()

    key = page.get_by_label("Key of “seminar mirror”").input_value()
    assert key.startswith("sch_")
    assert_accessible(page)
    page.get_by_role("link", name="Back to your tokens").click()
    row = page.get_by_role("row", name="seminar mirror")
    expect(row).to_contain_text("read")
    expect(row).to_contain_text("only in: Tuesday seminar")
    assert key not in page.content()
    page.screenshot(path=str(Path(tempfile.gettempdir()) / f"tokens-{screen}.png"), full_page=True)
    assert ApiToken.objects.get().group_ids() == {group.pk}

    page.goto(f"{live_server.url}/accounts/password/change/")
    expect(page.get_by_label("Also revoke all my API tokens")).to_be_visible()
    assert_accessible(page)
