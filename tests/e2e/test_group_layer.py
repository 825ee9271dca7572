"""Reading with a group in a real browser: the layer switch, the two counts in the margin,
posting in the group, "post first", outsiders who see nothing of it; with JavaScript and
without, on a phone (390×844) and a wide screen (1440×900), axe-core on every view.

olga owns the Tuesday seminar; gus and una join it through its invitation code (the
``group_join`` service, as the join page and the API do); nina is signed in but not in it.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from commentary.groups.invitations import group_join
from commentary.groups.services import group_create
from commentary.models import Comment
from commentary.services import comment_create
from edition.models import Paragraph
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import READING, first_paragraph_key, make_reader, sign_in

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/shots-g-layer")
GROUP_WORDS = "Our seminar reads this as a concession, not a verdict."


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(params=["phone", "wide"])
def screen(request) -> str:
    return request.param


def make_seminar(*, post_first: bool = False):
    olga = make_reader("olga")
    group = group_create(
        owner=olga, name="Tuesday seminar", works=["october-1917"], post_first=post_first
    )
    members = {}
    for name in ("gus", "una"):
        members[name] = make_reader(name)
        group_join(user=members[name], code=group.invite_code)
    return group, olga, members


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def control(page, key: str):
    return page.locator(f'[data-discussion-toggle="{key}"]')


def panel(page):
    return page.locator("#discussion-panel")


def test_a_member_posts_in_the_group_and_outsiders_see_nothing_of_it(
    browser, live_server, seeded, screen
):
    group, _olga, _members = make_seminar()
    make_reader("nina")
    key = first_paragraph_key()
    page = open_page(browser, screen)
    sign_in(page, live_server, "gus")

    # The switch is there at once, the public discussion current; gus chooses the group.
    page.goto(f"{live_server.url}{READING}")
    switch = page.get_by_role("navigation", name="Discussion:")
    expect(switch.get_by_role("link", name="Public")).to_have_attribute("aria-current", "page")
    switch.get_by_role("link", name="Tuesday seminar").click()
    expect(page).to_have_url(re.compile(rf"\?group={group.slug}$"))
    expect(switch.get_by_role("link", name="Tuesday seminar")).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)
    shoot(page, f"layer-{screen}")

    control(page, key).click()
    expect(page).to_have_url(re.compile(rf"\?group={group.slug}&discussion={key}#{key}$"))
    form = panel(page).locator("form[data-comment-form]")
    expect(form.get_by_role("radio", name=re.compile("Tuesday seminar"))).to_be_checked()
    assert_accessible(page)
    form.get_by_label("Your comment").fill(GROUP_WORDS)
    form.get_by_role("button", name="Post comment").click()

    in_group = panel(page).locator(f"#group-discussion-{key}")
    expect(in_group.get_by_role("heading", name="Tuesday seminar")).to_be_visible()
    expect(in_group.locator(".comment-body")).to_have_text(GROUP_WORDS)
    expect(control(page, key)).to_have_attribute("data-layer-count", "1")
    expect(control(page, key)).to_have_attribute("data-count", "0")
    expect(control(page, key).locator(".comment-toggle-name")).to_have_text(
        "0 public comments, 1 in Tuesday seminar"
    )
    assert_accessible(page)
    shoot(page, f"layer-posted-{screen}")
    assert Comment.objects.get(body=GROUP_WORDS).group == group
    assert page.console_errors == []
    page.context.close()

    # Outsiders: the same margin as before anything was written, and no way into the layer.
    for outsider in (None, "nina"):
        other = open_page(browser, screen)
        if outsider:
            sign_in(other, live_server, outsider)
        other.goto(f"{live_server.url}{READING}?discussion={key}")
        expect(control(other, key)).to_have_attribute("data-count", "0")
        expect(other.get_by_role("navigation", name="Discussion:")).to_have_count(0)
        expect(panel(other)).not_to_contain_text(GROUP_WORDS)
        refused = other.goto(f"{live_server.url}{READING}?group={group.slug}")
        assert refused.status == 404
        other.context.close()


def test_post_first_shows_a_member_the_others_readings_only_after_their_own(
    browser, live_server, seeded, screen
):
    group, _olga, members = make_seminar(post_first=True)
    key = first_paragraph_key()
    paragraph = Paragraph.objects.get(work__slug="october-1917", key=key)
    comment_create(author=members["gus"], body=GROUP_WORDS, paragraph=paragraph, group=group)
    page = open_page(browser, screen)
    sign_in(page, live_server, "una")

    page.goto(f"{live_server.url}{READING}?group={group.slug}&discussion={key}#{key}")
    in_group = panel(page).locator(f"#group-discussion-{key}")
    expect(in_group).to_contain_text(
        "1 reading from the group appears here once you post your own."
    )
    expect(panel(page)).not_to_contain_text(GROUP_WORDS)
    assert_accessible(page)
    shoot(page, f"post-first-waiting-{screen}")
    # axe leaves empty style attributes behind, which htmx would carry into the new form.
    page.reload()

    form = panel(page).locator("form[data-comment-form]")
    form.get_by_label("Your comment").fill("My own first reading.")
    form.get_by_role("button", name="Post comment").click()

    in_group = panel(page).locator(f"#group-discussion-{key}")
    expect(in_group).to_contain_text(GROUP_WORDS)
    expect(in_group).to_contain_text("My own first reading.")
    expect(in_group).not_to_contain_text("once you post your own")
    expect(control(page, key)).to_have_attribute("data-layer-count", "2")
    assert_accessible(page)
    shoot(page, f"post-first-open-{screen}")
    assert page.console_errors == []
    page.context.close()


def test_the_switch_and_posting_work_without_javascript(browser, live_server, seeded):
    group, _olga, _members = make_seminar(post_first=True)
    key = first_paragraph_key()
    paragraph = Paragraph.objects.get(work__slug="october-1917", key=key)
    comment_create(author=_olga, body=GROUP_WORDS, paragraph=paragraph, group=group)
    page = open_page(browser, "wide", javascript=False)
    sign_in(page, live_server, "una")

    # With a discussion open, the switch keeps it open in the other layer.
    page.goto(f"{live_server.url}{READING}?discussion={key}")
    page.get_by_role("navigation", name="Discussion:").get_by_role(
        "link", name="Tuesday seminar"
    ).click()
    expect(page).to_have_url(re.compile(rf"\?group={group.slug}&discussion={key}#{key}$"))
    expect(panel(page)).to_contain_text("appears here once you post your own")
    expect(panel(page)).not_to_contain_text(GROUP_WORDS)

    form = panel(page).locator("form[data-comment-form]")
    form.get_by_label("Your comment").fill("Written without script.")
    form.get_by_role("button", name="Post comment").click()

    expect(page).to_have_url(re.compile(rf"\?group={group.slug}&discussion={key}#c\d+$"))
    in_group = panel(page).locator(f"#group-discussion-{key}")
    expect(in_group).to_contain_text("Written without script.")
    expect(in_group).to_contain_text(GROUP_WORDS)
    expect(control(page, key)).to_have_attribute("data-layer-count", "2")

    # Back to the public discussion: the group's comments are not there.
    page.get_by_role("navigation", name="Discussion:").get_by_role("link", name="Public").click()
    expect(page).to_have_url(re.compile(rf"\?discussion={key}#{key}$"))
    expect(panel(page)).not_to_contain_text("Written without script.")
    page.context.close()


def test_with_javascript_the_switch_follows_the_open_discussion(browser, live_server, seeded):
    group, _olga, _members = make_seminar()
    key = first_paragraph_key()
    page = open_page(browser, "wide")
    sign_in(page, live_server, "gus")
    page.goto(f"{live_server.url}{READING}")

    control(page, key).click()
    expect(panel(page).locator("[data-discussion]")).to_have_count(1)
    switch = page.get_by_role("navigation", name="Discussion:")
    expect(switch.get_by_role("link", name="Tuesday seminar")).to_have_attribute(
        "href", re.compile(rf"\?group={group.slug}&discussion={key}#{key}$")
    )
    switch.get_by_role("link", name="Tuesday seminar").click()
    expect(page).to_have_url(re.compile(rf"\?group={group.slug}&discussion={key}#{key}$"))
    expect(panel(page).locator(f"#group-discussion-{key}")).to_be_visible()

    # Closing the discussion takes it out of the switch's links too; Back reopens it.
    panel(page).get_by_role("link", name=re.compile("^Close")).click()
    expect(switch.get_by_role("link", name="Public")).to_have_attribute(
        "href", re.compile(r"/works/october-1917/$")
    )
    page.go_back()
    expect(panel(page).locator(f"#group-discussion-{key}")).to_be_visible()
    assert page.console_errors == []
    page.context.close()
