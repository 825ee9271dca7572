"""HTML goes out compressed to a browser that accepts gzip."""

import gzip

import pytest
from django.test import Client


@pytest.mark.django_db
def test_it_compresses_a_page_for_a_browser_that_accepts_gzip():
    response = Client().get("/", headers={"accept-encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content).startswith(b"<!doctype html>")


@pytest.mark.django_db
def test_it_sends_a_page_as_it_is_to_a_client_that_does_not():
    response = Client().get("/")
    assert not response.has_header("Content-Encoding")
    assert response.content.startswith(b"<!doctype html>")


@pytest.mark.django_db
def test_a_chapter_of_the_book_goes_out_compressed_at_a_fraction_of_its_size():
    from edition.seed import book_import

    book_import(chapters=2)
    url = "/works/october-1917-book/chapter-two/"
    plain = Client().get(url).content
    response = Client().get(url, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain
    assert len(response.content) < len(plain) / 3
