"""The webhooks settings page in a browser. Without JavaScript, alice registers an endpoint
to a receiver on 127.0.0.1, copies the secret shown once, sends a test event, reads it in
the delivery log and disables the endpoint. Then (axe needs JavaScript to run) axe passes
on each of those pages, on a phone and on a wide screen; screenshots go to
SCHOLIA_SCREENSHOTS_DIR when it is set."""

import os

import pytest
from playwright.sync_api import expect
from standardwebhooks import Webhook

from tests.commentary.webhook_receiver import start_receiver
from tests.e2e.axe import axe_violations, describe
from tests.e2e.screens import open_page
from tests.e2e.test_discussion import make_reader, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _audit(page, name: str, screen: str, found: dict) -> None:
    violations = axe_violations(page)
    if violations:
        found[name] = describe(violations)
    folder = os.environ.get("SCHOLIA_SCREENSHOTS_DIR")
    if folder:
        page.screenshot(path=f"{folder}/webhooks-{name}-{screen}.png", full_page=True)


@pytest.mark.parametrize("screen", ["phone", "wide"])
def test_registering_and_testing_a_webhook_without_javascript(
    browser, live_server, transactional_db, screen
):
    make_reader("alice")
    receiver = start_receiver()
    page = open_page(browser, screen, javascript=False)
    try:
        sign_in(page, live_server, "alice")
        page.goto(f"{live_server.url}/settings/webhooks/")
        expect(page.get_by_text("You have no webhooks yet.")).to_be_visible()
        page.get_by_label("URL").fill(receiver.url)
        page.get_by_label("Description").fill("My course mirror")
        page.get_by_label("A comment was written").check()
        page.get_by_label("A comment was deleted by its author").check()
        page.get_by_role("button", name="Register endpoint").click()

        secret = page.get_by_label(f"Signing secret of {receiver.url}").input_value()
        assert secret.startswith("whsec_")
        page.get_by_role("link", name="Back to the webhook").click()
        detail_url = page.url

        page.get_by_role("button", name="Send a test event").click()
        expect(page.get_by_role("table")).to_contain_text("webhook.test")
        expect(page.get_by_role("table")).to_contain_text("(200)")
        received = receiver.received[0]
        assert Webhook(secret).verify(received.body, received.headers)["type"] == "webhook.test"
        page.get_by_role("button", name="Disable").click()
        expect(page.get_by_role("button", name="Enable again")).to_be_visible()
        page.get_by_role("link", name="All your webhooks").click()
        expect(page.get_by_role("table")).to_contain_text("Disabled")
    finally:
        receiver.close()

    found: dict = {}
    audited = open_page(browser, screen)
    sign_in(audited, live_server, "alice")
    audited.goto(f"{live_server.url}/settings/webhooks/")
    _audit(audited, "list", screen, found)
    audited.goto(detail_url)
    _audit(audited, "detail", screen, found)
    audited.get_by_role("button", name="Make a new secret").click()
    expect(audited.get_by_role("heading", name="Your webhook's secret")).to_be_visible()
    expect(audited.get_by_text("each delivery is signed with the old secret too")).to_be_visible()
    _audit(audited, "secret", screen, found)
    audited.goto(detail_url)
    # Deleting asks for the box to be ticked first: the browser keeps the form until it is.
    audited.get_by_role("button", name="Delete this webhook").click()
    expect(audited.get_by_role("heading", name="Delete")).to_be_visible()
    assert "/settings/webhooks/" in audited.url and audited.url.rstrip("/") != (
        f"{live_server.url}/settings/webhooks"
    )
    audited.get_by_label("Yes, delete this webhook and its delivery log").check()
    audited.get_by_role("button", name="Delete this webhook").click()
    expect(audited.get_by_text("The endpoint to")).to_contain_text("was deleted.")
    assert found == {}, "\n\n".join(f"{name}\n{text}" for name, text in found.items())
    assert page.console_errors == [] and audited.console_errors == []
