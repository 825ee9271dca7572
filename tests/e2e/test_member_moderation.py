"""A moderator sanctions a member from the browser: from the queue to the member's page, a
week's suspension with a reason; the member is then told why and until when as they try to
post; the moderator reinstates them. The member's page passes axe on a phone and on a wide
screen."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from commentary.models import Comment
from commentary.moderation.models import ModerationEvent, Sanction
from commentary.moderation.sanctions import user_suspend
from tests.e2e.axe import axe_violations, describe
from tests.e2e.screens import SCREENS, open_page
from tests.e2e.test_discussion import first_paragraph_key, make_reader, sign_in
from tests.e2e.test_moderation import make_moderator, open_discussion, write

pytestmark = pytest.mark.e2e

REASON = "Personal attacks on other readers."


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_moderator_suspends_a_member_for_a_week_and_reinstates_them(browser, live_server, seeded):
    nina = make_reader("nina")
    make_moderator()
    key = first_paragraph_key()
    write(nina, "You are all fools.", key=key, status=Comment.Status.PENDING)

    moderator = open_page(browser, "wide")
    sign_in(moderator, live_server, "mona")
    moderator.goto(f"{live_server.url}/moderation/")
    item = moderator.locator(".queue-item").filter(has_text="You are all fools.")
    item.get_by_role("link", name="nina's record").click()
    expect(moderator.get_by_role("heading", level=1)).to_have_text("nina")
    expect(moderator.locator("main")).to_contain_text("You are all fools.")
    suspend = moderator.get_by_role("form", name="Suspend")
    # The date is filled in a week ahead; the moderator only says why.
    expect(suspend.get_by_label("Suspended until")).not_to_have_value("")
    suspend.get_by_label("Reason (told to the member)").fill(REASON)
    suspend.get_by_role("button", name="Suspend").click()
    expect(moderator.locator("ul.messages")).to_contain_text("nina is suspended until")
    standing = moderator.locator("#scope-site .member-standing")
    expect(standing).to_contain_text("Suspended until")
    expect(standing).to_contain_text(REASON)
    sanction = Sanction.objects.get()
    assert 6 <= (sanction.until - sanction.created_at).days <= 7

    member = open_page(browser, "wide")
    sign_in(member, live_server, "nina")
    panel = open_discussion(member, live_server, key)
    # Told before writing, in place of the form (and in the header).
    expect(panel).to_contain_text("Your account is suspended until")
    expect(panel).to_contain_text(REASON)
    expect(panel.get_by_label("Your comment")).to_have_count(0)
    expect(member.locator(".account-nav-sanction")).to_contain_text("Suspended until")

    reinstate = moderator.get_by_role("form", name="Reinstate")
    reinstate.get_by_label("Reason (optional)").fill("Apologised.")
    reinstate.get_by_role("button", name="Reinstate").click()
    expect(moderator.locator("ul.messages")).to_contain_text("nina is reinstated.")
    expect(moderator.locator("#scope-site .member-standing")).to_have_text(
        "Not suspended or banned."
    )
    assert list(ModerationEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "suspend",
        "reinstate",
    ]

    panel = open_discussion(member, live_server, key)
    panel.get_by_label("Your comment").fill("Sorry, everyone.")
    panel.get_by_role("button", name="Post comment").click()
    expect(panel.locator("article.comment").filter(has_text="Sorry, everyone.")).to_have_count(1)
    assert moderator.console_errors == []
    for page in (moderator, member):
        page.context.close()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_members_page_passes_axe(browser, live_server, seeded, screen):
    nina = make_reader("nina")
    mona = make_moderator()
    write(nina, "A held comment.", status=Comment.Status.PENDING)
    user_suspend(user=nina, moderator=mona, until=timezone.now() + timedelta(days=3), reason="x")

    page = open_page(browser, screen)
    sign_in(page, live_server, "mona")
    found = {}
    page.goto(f"{live_server.url}/moderation/members/nina/")
    expect(page.locator("main")).to_contain_text("A held comment.")
    violations = axe_violations(page)
    if violations:
        found["page"] = describe(violations)
    # And with a refusal shown beside its form.
    page.get_by_role("form", name="Ban").get_by_role("button", name="Ban").click()
    expect(page.locator("main")).to_contain_text("Say why: the member is told.")
    violations = axe_violations(page)
    if violations:
        found["refused"] = describe(violations)
    assert found == {}, "\n\n".join(f"{what}\n{text}" for what, text in found.items())
    page.context.close()
