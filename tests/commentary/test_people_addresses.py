"""Addresses of people's pages: whatever is typed after /users/, the answer is a page."""

import pytest

from tests.commentary.builders import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/users/%00/", "/users/a%00b/", "/users/alice%00/"])
def test_it_answers_404_to_a_username_with_a_null_character(client, alice, path):
    # PostgreSQL refuses NUL in text, so the address must be refused before any lookup.
    client.raise_request_exception = False

    response = client.get(path)

    assert response.status_code == 404
    assert "There is nothing at this address." in response.content.decode()


def test_it_still_finds_a_username_with_every_character_a_sign_up_allows(client):
    make_user("a.b@c+d-e_f")

    response = client.get("/users/a.b@c+d-e_f/")

    assert response.status_code == 200
