"""A pre-moderated reading group in a real browser: a member's comment waits, the group's
owner opens the queue from the group page and approves it, and the other member then reads
it; the leader's queue passes axe-core on a phone (390×844) and a wide screen (1440×900).

olga owns the Tuesday seminar; gus and una are its members.
"""

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
SHOTS = Path("/tmp/shots-g-queue")
WORDS = "The seminar should read this against the 1917 April Theses."


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_seminar():
    olga = make_reader("olga")
    group = group_create(
        owner=olga,
        name="Tuesday seminar",
        works=["october-1917"],
        moderation_policy="premoderated",
    )
    for name in ("gus", "una"):
        group_join(user=make_reader(name), code=group.invite_code)
    return group


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def open_group_discussion(page, live_server, group, key: str):
    page.goto(f"{live_server.url}{READING}?group={group.slug}")
    page.locator(f'[data-discussion-toggle="{key}"]').click()
    return page.locator(f"#group-discussion-{key}")


def test_the_owner_approves_a_members_held_comment_from_the_groups_queue(
    browser, live_server, seeded
):
    group = make_seminar()
    key = first_paragraph_key()

    # gus posts to the group (the default on its layer); the comment waits.
    member = open_page(browser, "wide")
    sign_in(member, live_server, "gus")
    open_group_discussion(member, live_server, group, key)
    form = member.locator("#discussion-panel form[data-comment-form]")
    expect(form.get_by_role("radio", name="Tuesday seminar")).to_be_checked()
    form.get_by_label("Your comment").fill(WORDS)
    form.get_by_role("button", name="Post comment").click()
    mine = member.locator("#discussion-panel article.comment").filter(has_text=WORDS)
    expect(mine).to_contain_text("awaiting moderation")
    assert Comment.objects.get(body=WORDS).status == Comment.Status.PENDING
    member.context.close()

    # una, the other member, does not see it yet.
    other = open_page(browser, "wide")
    sign_in(other, live_server, "una")
    expect(open_group_discussion(other, live_server, group, key)).not_to_contain_text(WORDS)

    # olga opens the queue from the group page, filtered to the group, and approves.
    leader = open_page(browser, "wide")
    sign_in(leader, live_server, "olga")
    leader.goto(f"{live_server.url}/groups/{group.slug}/")
    leader.get_by_role("link", name="Moderation queue (1 waiting)").click()
    expect(leader.get_by_role("heading", level=1)).to_have_text("Moderation queue")
    expect(leader.get_by_label("Reading group")).to_have_value(group.slug)
    item = leader.locator(".queue-item").filter(has_text=WORDS)
    expect(item).to_contain_text("In the reading group Tuesday seminar")
    expect(item).to_contain_text("Held")
    item.get_by_label("Reason (optional)").fill("Welcome to the seminar.")
    item.get_by_role("button", name="Approve").click()
    outcome = leader.locator(".queue-outcome")
    expect(outcome).to_have_text("Approved: the comment by gus is published.")
    expect(outcome.locator("p")).to_be_focused()
    assert leader.console_errors == []

    leader.goto(f"{live_server.url}/moderation/log/")
    row = leader.locator("table.moderation-log tbody tr").first
    expect(row).to_contain_text("Approved")
    expect(row).to_contain_text("Welcome to the seminar.")
    leader.context.close()

    # una now reads it in the group's layer.
    expect(open_group_discussion(other, live_server, group, key)).to_contain_text(WORDS)
    other.context.close()


@pytest.mark.parametrize("screen", ["phone", "wide"])
def test_the_group_leaders_queue_is_accessible(browser, live_server, seeded, screen):
    group = make_seminar()
    key = first_paragraph_key()
    paragraph = Paragraph.objects.get(work__slug="october-1917", key=key)
    gus = group.memberships.get(user__username="gus").user
    comment_create(author=gus, body=WORDS, paragraph=paragraph, group=group)

    page = open_page(browser, screen)
    sign_in(page, live_server, "olga")
    page.goto(f"{live_server.url}/moderation/?group={group.slug}")
    expect(page.locator(".queue-item")).to_have_count(1)
    assert_accessible(page)
    shoot(page, f"group-queue-{screen}")
    page.goto(f"{live_server.url}/groups/{group.slug}/")
    shoot(page, f"group-page-{screen}")
    page.context.close()
