"""A reading group's whole story in one browser run, through the pages only.

olga founds the Tuesday seminar from /groups/new/ and copies its invitation link from the
settings; gus opens the link in a browser of his own, signs in, joins, follows the group
page's link to the chapter and posts in the group. Somebody signed out and nina (signed in,
not a member) read the same chapter: neither the words nor a changed count reach them, and
the group's layer answers them 404. olga sees gus in the participation table and downloads
it; she turns "post first" on; una joins, is told the group's readings of gus's paragraph
wait for her own, posts, and then reads gus's. On a phone and on a wide screen, axe-core on
every page visited; and the joining and posting once more without JavaScript.
"""

import csv
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from commentary.groups.models import Membership, ReadingGroup
from commentary.groups.services import group_create
from commentary.models import Comment
from tests.e2e.axe import assert_accessible
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import PASSWORD, READING, first_paragraph_key, make_reader

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/shots-g-e2e")
TITLE = "October 1917 Revolution: A Century Later"
GROUP = "Tuesday seminar"
GUS_WORDS = "Our seminar reads this as a concession, not a verdict."
UNA_WORDS = "My own first reading: a verdict after all."


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    # The whole of a short page; of the long reading page, what is on screen.
    whole = page.evaluate("document.documentElement.scrollHeight") < 4000
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=whole)


def check(page) -> None:
    """axe on ``page`` as it is now. axe-core cannot run where scripts are off (its timers
    never fire), so a page read without JavaScript is checked as a copy: its markup, with
    no script, in a page of the same size that runs axe."""
    if not getattr(page.context, "javascript_off", False):
        assert_accessible(page)
        return
    html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.S)
    html = html.replace("<head>", f'<head><base href="{page.url}">', 1)
    copy = page.context.browser.new_context(viewport=page.viewport_size).new_page()
    copy.set_content(html, wait_until="load")
    try:
        assert_accessible(copy)
    finally:
        copy.context.close()


def opened(browser, screen: str, *, javascript: bool = True):
    page = open_page(browser, screen, javascript=javascript)
    page.context.javascript_off = not javascript
    return page


def visit(page, address: str):
    """Open ``address`` and check it with axe."""
    response = page.goto(address)
    check(page)
    return response


def sign_in_here(page, username: str) -> None:
    """Fill the sign-in form the page is on (where a link sent a signed-out visitor)."""
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def sign_in(page, live_server, username: str) -> None:
    visit(page, f"{live_server.url}/accounts/login/")
    sign_in_here(page, username)
    expect(page.get_by_role("navigation", name="Account")).to_contain_text(username)


def margin(page) -> dict[str, list[str]]:
    """Each paragraph's margin control: its public count and the words it shows."""
    return page.eval_on_selector_all(
        "[data-discussion-toggle]",
        """(controls) => Object.fromEntries(controls.map((control) => [
            control.dataset.discussionToggle,
            [control.dataset.count ?? "", control.textContent.trim()],
        ]))""",
    )


def control(page, key: str):
    return page.locator(f'[data-discussion-toggle="{key}"]')


def panel(page):
    return page.locator("#discussion-panel")


def join_by_link(page, link: str, username: str) -> None:
    """Open the invitation signed out, sign in on the way, and join."""
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    check(page)
    sign_in_here(page, username)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Join {GROUP}")
    check(page)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(GROUP)
    expect(page.locator("ul.messages")).to_contain_text(f"Welcome to {GROUP}.")
    check(page)


def open_group_discussion(page, group: ReadingGroup, key: str) -> None:
    """From the group's page, the chapter in the group's layer, then ¶ ``key``'s discussion."""
    page.get_by_role("region", name="What we read").get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(re.compile(rf"{READING}\?group={group.slug}$"))
    switch = page.get_by_role("navigation", name="Discussion:")
    expect(switch.get_by_role("link", name=GROUP)).to_have_attribute("aria-current", "page")
    check(page)
    control(page, key).click()
    expect(page).to_have_url(re.compile(rf"\?group={group.slug}&discussion={key}#{key}$"))
    expect(panel(page).locator(f"#group-discussion-{key}")).to_be_visible()


def post_in_group(page, key: str, words: str) -> None:
    form = panel(page).locator("form[data-comment-form]")
    expect(form.get_by_role("radio", name=re.compile(GROUP))).to_be_checked()
    form.get_by_label("Your comment").fill(words)
    form.get_by_role("button", name="Post comment").click()
    expect(panel(page).locator(f"#group-discussion-{key}")).to_contain_text(words)


@pytest.mark.parametrize("screen", ["phone", "wide"])
def test_a_seminar_runs_its_discussion_inside_its_group(browser, live_server, seeded, screen):
    for name in ("olga", "gus", "una", "nina"):
        make_reader(name)
    key = first_paragraph_key()
    reading = f"{live_server.url}{READING}"

    # What outsiders see before anything is written.
    anonymous = opened(browser, screen)
    visit(anonymous, reading)
    before = margin(anonymous)
    assert before[key] == ["0", "Comment on ¶ 1"]

    # olga founds the group and copies the invitation link.
    owner = opened(browser, screen)
    owner.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(owner, live_server, "olga")
    owner.get_by_role("navigation", name="Account").get_by_role("link", name="Groups").click()
    check(owner)
    owner.get_by_role("link", name="Start a reading group").click()
    check(owner)
    owner.get_by_label("Name").fill(GROUP)
    owner.get_by_label("Description").fill("We read chapter one on Tuesdays.")
    owner.get_by_label(TITLE).check()
    owner.get_by_role("button", name="Start the group").click()
    expect(owner.get_by_role("heading", level=1)).to_have_text(GROUP)
    check(owner)
    group = ReadingGroup.objects.get()

    owner.get_by_role("navigation", name="Group pages").get_by_role("link", name="Settings").click()
    check(owner)
    owner.get_by_role("button", name="Copy", exact=True).click()
    expect(owner.locator(".copy-status")).to_have_text("Copied")
    link = owner.evaluate("navigator.clipboard.readText()")
    assert link == owner.get_by_label("Invitation link").input_value()
    assert link == f"{live_server.url}/groups/{group.slug}/join/{group.invite_code}/"

    # A new group's participation table: the owner alone, nothing written yet.
    owner.get_by_role("navigation", name="Group pages").get_by_role(
        "link", name="Participation"
    ).click()
    check(owner)
    expect(owner.get_by_role("row").filter(has_text="olga")).to_contain_text("not yet")
    expect(owner.locator(".notice")).to_contain_text("Nobody else is in the group yet.")
    shoot(owner, f"participation-new-{screen}")

    # gus joins through the link, reads with the group and posts in it.
    second = opened(browser, screen)
    join_by_link(second, link, "gus")
    shoot(second, f"group-page-{screen}")
    open_group_discussion(second, group, key)
    check(second)
    # axe leaves empty style attributes behind, which htmx would carry into the new form.
    second.reload()
    post_in_group(second, key, GUS_WORDS)
    in_group = panel(second).locator(f"#group-discussion-{key}")
    expect(in_group.get_by_role("heading", name=GROUP)).to_be_visible()
    expect(in_group).to_contain_text("Only the group's members see these comments.")
    expect(control(second, key)).to_have_attribute("data-layer-count", "1")
    expect(control(second, key)).to_have_attribute("data-count", "0")
    expect(control(second, key).locator(".comment-toggle-name")).to_have_text(
        f"0 public comments, 1 in {GROUP}"
    )
    check(second)
    shoot(second, f"layer-panel-{screen}")
    posted = Comment.objects.get(body=GUS_WORDS)
    assert posted.group == group and posted.author.username == "gus"
    # The layered page leads back to the group's page, where the comment now is (on a
    # phone the panel covers the page: it is closed first).
    panel(second).get_by_role("link", name=re.compile("^Close")).click()
    second.get_by_role("navigation", name="Discussion:").get_by_role(
        "link", name="The group's page"
    ).click()
    expect(second.get_by_role("region", name="Recent discussion")).to_contain_text(GUS_WORDS)

    # Outsiders: the same margin as before, not a word of it, and no way into the layer.
    nina = opened(browser, screen)
    sign_in(nina, live_server, "nina")
    for outsider in (anonymous, nina):
        visit(outsider, reading)
        assert margin(outsider) == before
        expect(outsider.get_by_role("navigation", name="Discussion:")).to_have_count(0)
        visit(outsider, f"{reading}?discussion={key}")
        expect(panel(outsider)).to_contain_text("No comments yet.")
        expect(outsider.locator("body")).not_to_contain_text(GUS_WORDS)
        expect(outsider.locator("body")).not_to_contain_text(GROUP)
        for address in (
            f"{reading}?group={group.slug}",
            f"{reading}?group={group.slug}&discussion={key}",
        ):
            refused = outsider.goto(address)
            assert refused.status == 404
            expect(outsider.locator("body")).not_to_contain_text(GUS_WORDS)
        refused = outsider.goto(f"{live_server.url}/groups/{group.slug}/")
        assert refused.status == 404

    # olga sees gus in the participation table and downloads it.
    visit(owner, f"{live_server.url}/groups/{group.slug}/participation/")
    gus_row = owner.get_by_role("row").filter(has_text="gus")
    expect(gus_row.get_by_role("cell").first).to_have_text("1")
    with owner.expect_download() as download_info:
        owner.get_by_role("link", name="Download as CSV").click()
    download = download_info.value
    assert download.suggested_filename == f"{group.slug}-participation.csv"
    with open(download.path(), encoding="utf-8", newline="") as exported:
        rows = {row["username"]: row for row in csv.DictReader(exported)}
    assert set(rows) == {"olga", "gus"}
    assert rows["gus"]["comments"] == "1" and rows["gus"]["paragraphs"] == "1"
    assert rows["olga"]["comments"] == "0"

    # olga turns "post first" on.
    owner.get_by_role("navigation", name="Group pages").get_by_role("link", name="Settings").click()
    owner.get_by_label("Post first, then see the others").check()
    owner.get_by_role("button", name="Save settings").click()
    expect(owner.locator("ul.messages")).to_contain_text("The group's settings are saved.")
    expect(owner.get_by_label("Post first, then see the others")).to_be_checked()
    expect(owner.get_by_label(TITLE)).to_be_checked()
    check(owner)
    group.refresh_from_db()
    assert group.post_first and list(group.works.values_list("slug", flat=True)) == ["october-1917"]

    # una joins, and reads gus's paragraph: its group readings wait for her own.
    third = opened(browser, screen)
    join_by_link(third, link, "una")
    expect(third.get_by_role("region", name="Recent discussion")).not_to_contain_text(GUS_WORDS)
    open_group_discussion(third, group, key)
    in_group = panel(third).locator(f"#group-discussion-{key}")
    expect(in_group).to_contain_text(
        "1 reading from the group appears here once you post your own."
    )
    # On a phone the sheet covers the switch, out of reach while it is open: read as written.
    expect(third.locator("nav.layer-switch")).to_contain_text(
        "you see the others' comments on a passage once you have written there"
    )
    expect(panel(third)).not_to_contain_text(GUS_WORDS)
    check(third)
    shoot(third, f"post-first-waiting-{screen}")
    third.reload()
    post_in_group(third, key, UNA_WORDS)
    in_group = panel(third).locator(f"#group-discussion-{key}")
    expect(in_group).to_contain_text(GUS_WORDS)
    expect(in_group).not_to_contain_text("once you post your own")
    expect(control(third, key)).to_have_attribute("data-layer-count", "2")
    check(third)
    assert Membership.objects.filter(group=group).count() == 3

    # And still nothing of it outside.
    for outsider in (anonymous, nina):
        outsider.goto(reading)
        assert margin(outsider) == before
    for browsed in (owner, second, third, anonymous, nina):
        assert all("404" in error for error in browsed.console_errors)
        browsed.context.close()


@pytest.mark.parametrize("screen", ["phone", "wide"])
def test_joining_and_posting_work_without_javascript(browser, live_server, seeded, screen):
    olga = make_reader("olga")
    make_reader("gus")
    group = group_create(owner=olga, name=GROUP, works=["october-1917"])
    key = first_paragraph_key()
    link = f"{live_server.url}/groups/{group.slug}/join/{group.invite_code}/"

    page = opened(browser, screen, javascript=False)
    join_by_link(page, link, "gus")
    shoot(page, f"group-page-nojs-{screen}")
    open_group_discussion(page, group, key)
    check(page)

    # A refused comment comes back on a page of its own, with the reader's words and choice
    # of layer kept, and a way back to the group's discussion.
    form = panel(page).locator("form[data-comment-form]")
    form.get_by_role("radio", name=re.compile("Public")).check()
    form.get_by_label("Your comment").fill("   ")
    form.get_by_role("button", name="Post comment").click()
    form = page.locator("form[data-comment-form]")
    expect(form.get_by_label("Your comment")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_role("radio", name=re.compile("Public"))).to_be_checked()
    expect(page.get_by_role("link", name="Back to the discussion")).to_have_attribute(
        "href", f"/works/october-1917/p/{key}/?group={group.slug}#discussion"
    )
    check(page)
    shoot(page, f"refused-nojs-{screen}")

    form.get_by_role("radio", name=re.compile(GROUP)).check()
    form.get_by_label("Your comment").fill(GUS_WORDS)
    form.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(re.compile(rf"\?group={group.slug}&discussion={key}#c\d+$"))
    in_group = panel(page).locator(f"#group-discussion-{key}")
    expect(in_group).to_contain_text(GUS_WORDS)
    expect(control(page, key)).to_have_attribute("data-layer-count", "1")
    expect(control(page, key)).to_have_attribute("data-count", "0")
    check(page)
    shoot(page, f"layer-panel-nojs-{screen}")
    assert Comment.objects.get(body=GUS_WORDS).group == group
    page.context.close()
