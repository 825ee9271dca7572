"""A version of a work read in chapters lists its chapters, and each paragraph its chapter."""

import pytest
from django.test import Client

from edition.seed import SEED_SLUG, book_import, seed_import

pytestmark = pytest.mark.django_db


def test_a_version_in_chapters_lists_them_and_places_each_paragraph():
    book_import(chapters=3)
    body = Client().get("/api/v1/works/october-1917-book/versions/1/").json()
    assert [(c["number"], c["slug"]) for c in body["chapters"]] == [
        (1, "chapter-one"),
        (2, "chapter-two"),
        (3, "chapter-three"),
    ]
    second = body["chapters"][1]
    assert second["title"].startswith("Chapter Two: ")
    assert second["html_url"] == "http://testserver/works/october-1917-book/chapter-two/"
    assert sum(c["paragraph_count"] for c in body["chapters"]) == len(body["paragraphs"])
    opening = next(p for p in body["paragraphs"] if p["key"] == second["key"])
    assert opening["chapter"] == "chapter-two"
    assert opening["text"] == "Chapter Two"
    assert body["paragraphs"][0]["chapter"] == "chapter-one"


def test_an_undivided_version_has_no_chapters():
    seed_import()
    body = Client().get(f"/api/v1/works/{SEED_SLUG}/versions/1/").json()
    assert body["chapters"] == []
    assert {p["chapter"] for p in body["paragraphs"]} == {None}
