"""A book lists the passages its version no longer holds, with their comments, on its title
page only: a chapter page, signed in or not, never reads the whole book's wordings for it."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from commentary.pages import passages_gone
from commentary.services import comment_create
from tests.edition.builders import build_version, build_work, heading, para

pytestmark = pytest.mark.django_db

GONE = "Comments on passages no longer in this version"


@pytest.fixture
def book():
    work = build_work()
    build_version(
        work,
        [
            heading("Chapter One"),
            para("The first chapter's paragraph."),
            heading("Chapter Two"),
            para("A paragraph the second version takes out."),
            para("The second chapter's paragraph."),
        ],
    )
    alice = get_user_model().objects.create_user("alice", "alice@example.org", "pw-1917-alice")
    comment_create(author=alice, paragraph=work.paragraphs.get(key="p4"), body="Gone soon.")
    build_version(
        work,
        [
            heading("Chapter One", key="p1"),
            para("The first chapter's paragraph.", key="p2"),
            heading("Chapter Two", key="p3"),
            para("The second chapter's paragraph.", key="p5"),
        ],
    )
    work.refresh_from_db()
    return work, alice


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_title_page_lists_the_passages_gone_and_no_chapter_page_reads_them(
    book, signed_in, monkeypatch
):
    _work, alice = book
    client = Client()
    if signed_in:
        client.force_login(alice)
    title = client.get("/works/october-1917/").content.decode()
    assert GONE in title and "A paragraph the second version takes out." in title

    def never(*_arguments):
        raise AssertionError("a chapter page read the passages gone")

    monkeypatch.setattr(passages_gone, "version_wordings", never)
    for chapter in ("chapter-one", "chapter-two"):
        for _ in range(2):  # the shared page is stored, then filled
            page = client.get(f"/works/october-1917/{chapter}/")
            assert page.status_code == 200
            assert GONE not in page.content.decode()
