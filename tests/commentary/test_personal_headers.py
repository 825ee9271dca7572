"""Pages made for one person say so to every cache on the way: ``Cache-Control: private``
and ``Vary: Cookie``; account mail links to the site, never to the host a request named."""

import pytest

from tests.commentary.builders import client_for

pytestmark = pytest.mark.django_db


def vary_of(response) -> set[str]:
    return {part.strip() for part in response.get("Vary", "").split(",") if part.strip()}


@pytest.mark.parametrize("url", ["/settings/tokens/", "/settings/profile/", "/works/october-1917/"])
def test_it_marks_a_signed_in_page_private(alice, work, url):
    response = client_for(alice).get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "Cookie" in vary_of(response)


def test_it_marks_an_api_answer_to_a_token_private(client, alice, work):
    from commentary.accounts.tokens import token_create

    _, key = token_create(user=alice, name="script")
    response = client.get("/api/v1/comments/", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_it_leaves_the_anonymous_reading_page_public_and_varying_on_the_cookie(client, work):
    for _ in range(2):  # a miss, then a hit
        response = client.get(work.get_absolute_url())
        assert "private" not in response.get("Cache-Control", "")
        assert "Cookie" in vary_of(response)


def test_it_mails_a_password_reset_link_to_the_sites_own_address(
    client, alice, settings, mailoutbox
):
    settings.SCHOLIA_SITE_URL = "https://scholia.example.org"
    response = client.post(
        "/accounts/password/reset/",
        {"email": alice.email},
        headers={"Host": "127.0.0.1:6666"},
    )
    assert response.status_code == 302
    [message] = mailoutbox
    assert "https://scholia.example.org/accounts/password/reset/key/" in message.body
    assert "6666" not in message.body


def test_it_mails_a_confirmation_link_to_the_sites_own_address(client, settings, mailoutbox):
    settings.SCHOLIA_SITE_URL = "https://scholia.example.org"
    client.post(
        "/accounts/signup/",
        {
            "email": "carol@example.com",
            "username": "carol",
            "password1": "a-long-test-password",
            "password2": "a-long-test-password",
        },
        headers={"Host": "127.0.0.1:6666"},
    )
    [message] = mailoutbox
    assert "https://scholia.example.org/accounts/confirm-email/" in message.body
    assert "6666" not in message.body
