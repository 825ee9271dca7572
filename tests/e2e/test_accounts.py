"""Accounts in a real browser: sign up, confirm the email, sign out, sign in again."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
PASSWORD = "a-long-browser-password"


def account_menu(page):
    return page.get_by_role("navigation", name="Account")


def test_it_signs_up_confirms_the_email_signs_out_and_signs_in(
    page, live_server, transactional_db, settings
):
    # The test environment already sends mail to django.core.mail.outbox (locmem).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    mail.outbox = []

    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Email").fill("carol@example.com")
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["carol@example.com"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Email Address")
    page.get_by_role("button", name="Confirm").click()

    expect(account_menu(page).get_by_role("link", name="carol")).to_be_visible()
    carol = get_user_model().objects.get(username="carol")
    assert carol.emailaddress_set.get().verified
    assert carol.profile is not None

    account_menu(page).get_by_role("button", name="Sign out").click()
    expect(account_menu(page).get_by_role("link", name="Sign in")).to_be_visible()

    account_menu(page).get_by_role("link", name="Sign in").click()
    page.get_by_label("Username or email").fill("carol")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    expect(account_menu(page).get_by_role("link", name="carol")).to_be_visible()
    assert page.console_errors == []


def test_it_ties_a_sign_up_error_to_its_field(page, live_server, transactional_db):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Email").fill("dave@example.com")
    page.get_by_label("Username").fill("dave")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD + "-typo")
    page.get_by_role("button", name="Sign Up").click()

    again = page.get_by_label("Password (again)")
    expect(again).to_have_attribute("aria-invalid", "true")
    described_by = again.get_attribute("aria-describedby").split()
    errors = " ".join(page.locator(f"#{ident}").inner_text() for ident in described_by)
    assert "same password" in errors
