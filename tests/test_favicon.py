"""The site's icon: pages link it, and /favicon.ico, which browsers and feed readers ask
for whatever a page says, leads to it."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_answers_favicon_ico_with_the_icon():
    response = Client().get("/favicon.ico", follow=True)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in b"".join(response.streaming_content)


def test_it_links_the_icon_from_every_page():
    html = Client().get("/").content.decode()

    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
