"""A comment's tags in its thread, at a phone's and a wide size: shown under the comment in
the discussion beside the text, each a link to the work's comments in reading order
filtered by it; axe finds nothing on either page."""

import pytest
from playwright.sync_api import expect

from commentary.services import comment_create
from edition.models import Paragraph
from tests.e2e.axe import axe_violations, describe
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import first_paragraph_key, make_reader, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("screen", ["phone", "wide"])
def test_a_tag_in_the_thread_leads_to_the_list_filtered_by_it(browser, live_server, seeded, screen):
    writer = make_reader("writer")
    key = first_paragraph_key()
    paragraph = Paragraph.objects.get(work__slug="october-1917", key=key)
    tagged = comment_create(
        author=writer, paragraph=paragraph, body="Where is the NEP?", tags="question, nep"
    )
    comment_create(author=writer, paragraph=paragraph, body="Untagged aside.")

    page = open_page(browser, screen)
    sign_in(page, live_server, "writer")
    page.goto(f"{live_server.url}/works/october-1917/?discussion={key}#{key}")
    article = page.locator(f"#discussion-panel #c{tagged.pk}")
    tags = article.get_by_role("list", name="Tags")
    expect(tags.get_by_role("link")).to_have_text(["#nep", "#question"])
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    tags.get_by_role("link", name="#question").click()
    expect(page).to_have_url(f"{live_server.url}/works/october-1917/comments/?tag=question")
    expect(page.get_by_text("Where is the NEP?")).to_be_visible()
    expect(page.get_by_text("Untagged aside.")).to_have_count(0)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert page.console_errors == []
