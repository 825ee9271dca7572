"""The API's answer to a flood says how long to wait once, in the same words as the pages."""

import pytest
from django.test import Client

from tests.commentary.builders import post

pytestmark = pytest.mark.django_db


def test_it_says_the_wait_once(alice, work, settings):
    settings.SCHOLIA_COMMENT_RATE = "3/60"
    client = Client()
    client.force_login(alice)
    for _ in range(3):
        post(alice, work)

    response = client.post(
        "/api/v1/comments/",
        {"work": "october-1917", "paragraph": "p3", "body": "Flood."},
        content_type="application/json",
    )

    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert response.json()["detail"] == (f"You are posting too fast. Try again in {wait} seconds.")
