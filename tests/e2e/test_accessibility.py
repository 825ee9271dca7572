"""axe-core (WCAG 2.2 A and AA, target size on) over every kind of page, on a phone and on
a wide screen: signed out, then signed in, then with a long discussion open."""

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import axe_violations, describe
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import READING, sign_in
from tests.e2e.test_discussion_layout import long_thread, short_paragraph

pytestmark = pytest.mark.e2e

SIGNED_OUT = ["/", READING, "/accounts/login/", "/accounts/signup/"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("screen", ["phone", "wide"])
def test_every_page_passes_axe(browser, live_server, seeded, screen):
    key, number, _text = short_paragraph()
    deepest = long_thread(key, size=40)[-1]
    signed_in = [
        READING,
        f"/works/october-1917/p/{key}/",
        f"/comments/{deepest.pk}/",
        "/users/alice/",
        "/settings/tokens/",
        f"{READING}?discussion={key}",
    ]
    page = open_page(browser, screen)
    found = {}

    def audit(url: str) -> None:
        page.goto(f"{live_server.url}{url}")
        violations = axe_violations(page)
        if violations:
            found[url] = describe(violations)

    for url in SIGNED_OUT:
        audit(url)
    sign_in(page, live_server, "alice")
    for url in signed_in:
        audit(url)
    # The discussion opened in place, with a reply form open in it.
    page.goto(f"{live_server.url}{READING}")
    page.locator(f'[data-discussion-toggle="{key}"]').click()
    panel = page.locator("#discussion-panel")
    expect(panel.get_by_role("heading", name=f"Discussion of ¶ {number}")).to_be_focused()
    panel.locator(f"#c{deepest.root_id}").get_by_role("link", name="Reply").click()
    expect(panel.get_by_label("Your reply")).to_be_focused()
    violations = axe_violations(page)
    if violations:
        found["the open discussion, replying"] = describe(violations)

    assert found == {}, "\n\n".join(f"{url}\n{text}" for url, text in found.items())
    assert page.console_errors == []
    page.context.close()
