"""Signing a persona in on a browser page without going through the sign-in form.

The form is what the sign-in tests drive (test_sign_in_return, test_keyboard,
test_group_story, test_editor_review, test_discussion's first test). Everywhere else a
signed-in persona is where a test starts, not what it tests: the session is made on the
server, as the form would make it, and handed to the page's browser context as its cookie
(the signed-in part of a Playwright storage state). That spares each sign-in the form's
page, its POST and its redirect. Each test flushes the database (the live server needs
``transactional_db``), personas and sessions with it, so a persona is signed in per test.
"""

from django.conf import settings
from django.test import Client
from playwright.sync_api import expect


def signed_in_cookies(live_server, username: str, password: str) -> list[dict]:
    """The cookies of a session of ``username``, signed in with ``password`` (checked as
    the form checks it), for a browser context on the live server."""
    client = Client()
    assert client.login(username=username, password=password), f"{username} cannot sign in"
    morsel = client.cookies[settings.SESSION_COOKIE_NAME]
    return [
        {
            "name": morsel.key,
            "value": morsel.value,
            "url": live_server.url,
            "httpOnly": bool(morsel["httponly"]),
            "secure": bool(morsel["secure"]),
            "sameSite": (morsel["samesite"] or "Lax").capitalize(),
        }
    ]


def sign_in_directly(page, live_server, username: str, password: str) -> None:
    """``username`` signed in on ``page``'s context, which then shows the page the form
    leads to (``LOGIN_REDIRECT_URL``) with the persona named in its header."""
    page.context.add_cookies(signed_in_cookies(live_server, username, password))
    page.goto(f"{live_server.url}{settings.LOGIN_REDIRECT_URL}")
    expect(page.get_by_role("navigation", name="Account")).to_contain_text(username)
