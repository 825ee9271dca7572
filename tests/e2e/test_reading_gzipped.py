"""A signed-in reader's kept reading page, as Chromium takes it: gzipped, with what every
reader shares compressed once and the reader's own pieces at each request
(``edition.pages.shared_page._gzipped``). The browser reads the stream whole: the reader's
header, the margin's counts and the discussion a toggle opens.
"""

import pytest
from playwright.sync_api import expect

from commentary.models import Comment
from edition.models import Work
from tests.commentary.builders import post, set_status
from tests.e2e.test_discussion import READING, first_paragraph_key, make_reader, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_kept_page_gzipped_reads_whole_in_the_browser(page, live_server, seeded):
    key = first_paragraph_key()
    work = Work.objects.get(slug="october-1917")
    comment = post(make_reader("wren"), work, key, body="A remark everybody reads.")
    set_status(comment, Comment.Status.PUBLISHED)
    make_reader("rosa")
    sign_in(page, live_server, "rosa")
    responses = [page.goto(f"{live_server.url}{READING}") for _ in range(3)]

    # The first renders the page and keeps rosa's part; the next are served from them.
    assert all(response.status == 200 for response in responses)
    assert all(response.headers.get("content-encoding") == "gzip" for response in responses)
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("rosa")
    toggle = page.locator(f'[data-discussion-toggle="{key}"]')
    expect(toggle).to_have_attribute("data-count", "1")
    expect(page.locator("footer")).to_be_visible()  # the end of the page arrived
    toggle.click()
    expect(page.get_by_text("A remark everybody reads.")).to_be_visible()
    assert page.console_errors == []
