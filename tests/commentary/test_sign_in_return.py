"""Signing in to comment brings the reader back where they were reading: the reading page
of the version on screen, with the paragraph's discussion open."""

from urllib.parse import quote

import pytest

from commentary.pages.reading_links import discussion_url
from tests.commentary.builders import client_for, htmx_headers, paragraph_of
from tests.edition.builders import build_version, chapter_specs, para

pytestmark = pytest.mark.django_db

DISCUSSION = "/works/october-1917/p/p3/discussion/"


def login_url(next_url: str) -> str:
    return f"/accounts/login/?next={quote(next_url, safe='/')}"


def test_it_links_to_the_discussion_open_on_the_reading_page(work):
    paragraph = paragraph_of(work)

    assert discussion_url(paragraph) == "/works/october-1917/?discussion=p3#p3"
    assert discussion_url(paragraph, work.current_version) == (
        "/works/october-1917/?discussion=p3#p3"
    )


def test_it_links_to_the_discussion_open_on_an_earlier_version(work):
    first = work.current_version
    build_version(work, [para("A rewritten opening.", key="p3"), *chapter_specs()[3:]])

    assert discussion_url(paragraph_of(work), first) == (
        "/works/october-1917/v/1/?discussion=p3#p3"
    )


def test_it_signs_a_reader_in_back_to_the_open_discussion(work):
    html = client_for().get(DISCUSSION, headers=htmx_headers()).content.decode()

    assert f'href="{login_url("/works/october-1917/?discussion=p3#p3")}"' in html


def test_it_signs_a_reader_in_back_to_the_version_they_were_reading(work):
    build_version(work, [para("A rewritten opening.", key="p3"), *chapter_specs()[3:]])

    response = client_for().get(f"{DISCUSSION}?version=1", headers=htmx_headers())

    html = response.content.decode()
    assert f'href="{login_url("/works/october-1917/v/1/?discussion=p3#p3")}"' in html


def test_it_signs_a_reader_in_back_to_the_paragraph_page_they_were_on(work):
    html = client_for().get("/works/october-1917/p/p3/").content.decode()

    assert f'href="{login_url("/works/october-1917/p/p3/#discussion")}"' in html
