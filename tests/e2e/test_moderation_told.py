"""What members and moderators are told, in the browser on a phone and on a wide screen,
each page passing axe: the log names the passage of each comment; a new member learns
before and after posting that a moderator reads their first comments; a suspended member
reads the suspension instead of the form, on their profile and in the header; the queue
counts what waits and ticks a whole page at once.

``SCHOLIA_SHOTS=<folder>`` keeps a screenshot of each page looked at.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from commentary.models import Comment
from commentary.moderation import comment_approve
from edition.numbering import passage_labels
from tests.e2e.axe import axe_violations, describe
from tests.e2e.screens import SCREENS, open_page
from tests.e2e.test_discussion import make_reader, sign_in
from tests.e2e.test_moderation import make_moderator, write

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def look(page, name: str) -> None:
    """No violation on the page as it is now; a screenshot kept when asked for."""
    folder = os.environ.get("SCHOLIA_SHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_log_names_the_passage_of_each_comment(browser, live_server, seeded, screen):
    nina = make_reader("nina")
    mona = make_moderator()
    held = write(nina, "A held comment.", status=Comment.Status.PENDING)
    comment_approve(comment=held, moderator=mona, reason="Fine.")
    pair = (held.version_id, held.paragraph_id)
    label = passage_labels([pair])[pair]
    assert label.startswith("¶ ")

    page = open_page(browser, screen)
    sign_in(page, live_server, "mona")
    page.goto(f"{live_server.url}/moderation/log/")
    target = page.locator("table.moderation-log tbody tr").first.locator("td").nth(3)
    expect(target).to_have_text(
        f"comment {held.pk} on October 1917 Revolution: A Century Later, {label} (by nina)"
    )
    look(page, f"log-{screen}")
    page.context.close()
