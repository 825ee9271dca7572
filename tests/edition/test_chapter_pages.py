"""A work divided into chapters is read a chapter a page, from a title page with contents."""

import re

import pytest
from django.core.cache import caches
from django.test import Client

from edition.parts import version_parts
from edition.reading import version_rows
from edition.seed import SEED_SLUG, book_import, seed_import


@pytest.fixture
def book(db):
    return book_import(chapters=3)


def key_in_chapter(work, number: int, nth_paragraph: int = 0) -> str:
    parts = version_parts(work.current_version)
    part = parts.parts[number - 1]
    rows = version_rows(work.current_version)[part.start : part.end]
    return [row.key for row in rows if row.kind == "paragraph"][nth_paragraph]


def test_the_works_page_is_its_title_page_and_contents(book):
    page = Client().get("/works/october-1917-book/").content.decode()
    assert '<h1 class="work-title">October 1917 Revolution: A Century Later</h1>' in page
    assert "Contents: 3 chapters" in page
    for slug in ("chapter-one", "chapter-two", "chapter-three"):
        assert f'href="/works/october-1917-book/{slug}/"' in page
    assert "Soviet leaders facing the challenge of history" in page  # a folded section
    assert 'class="block-text"' not in page  # no text on the title page
    assert '<link rel="next" href="/works/october-1917-book/chapter-one/">' in page


def test_a_chapter_page_holds_its_chapter_only_with_links_to_the_others(book):
    page = Client().get("/works/october-1917-book/chapter-two/").content.decode()
    assert page.count('<h2 id="') == 2  # "Chapter Two" and its title
    assert key_in_chapter(book, 2) in page
    assert f'id="{key_in_chapter(book, 1)}"' not in page
    assert f'id="{key_in_chapter(book, 3)}"' not in page
    assert page.count('rel="prev" href="/works/october-1917-book/chapter-one/"') == 3
    assert page.count('rel="next" href="/works/october-1917-book/chapter-three/"') == 3
    assert 'aria-current="page">Chapter Two: ' in page
    assert "Chapter 2 of 3" in page


def test_the_last_chapter_has_no_next_and_the_first_leads_back_to_the_title_page(book):
    last = Client().get("/works/october-1917-book/chapter-three/").content.decode()
    assert 'rel="next"' not in last
    first = Client().get("/works/october-1917-book/chapter-one/").content.decode()
    assert 'rel="prev" href="/works/october-1917-book/"' in first


def test_a_chapter_of_a_version_has_its_own_address(book):
    response = Client().get("/works/october-1917-book/v/1/chapter-three/")
    assert response.status_code == 200
    assert f'id="{key_in_chapter(book, 3)}"' in response.content.decode()


def test_an_unknown_chapter_is_a_404(book):
    assert Client().get("/works/october-1917-book/chapter-nine/").status_code == 404
    assert Client().get("/works/october-1917-book/v/1/chapter-nine/").status_code == 404


def test_an_undivided_work_has_no_chapter_pages_and_reads_as_before(db):
    seed_import()
    assert Client().get(f"/works/{SEED_SLUG}/chapter-one/").status_code == 404
    page = Client().get(f"/works/{SEED_SLUG}/").content.decode()
    assert 'class="block-text"' in page
    assert "chapter-nav" not in page


def test_a_discussion_asked_of_the_title_page_opens_in_its_chapter(book):
    key = key_in_chapter(book, 3, 5)
    response = Client().get(f"/works/october-1917-book/?discussion={key}")
    assert response.status_code == 302
    assert response["Location"] == (
        f"/works/october-1917-book/chapter-three/?discussion={key}#{key}"
    )
    page = Client().get(response["Location"]).content.decode()
    assert 'class="discussion' in page


def test_a_discussion_asked_of_another_chapter_goes_to_the_passages_chapter(book):
    key = key_in_chapter(book, 1)
    response = Client().get(f"/works/october-1917-book/chapter-three/?discussion={key}")
    assert response["Location"] == f"/works/october-1917-book/chapter-one/?discussion={key}"


def test_an_old_anchor_sent_by_the_title_pages_script_lands_in_its_chapter(book):
    key = key_in_chapter(book, 2, 3)
    response = Client().get(f"/works/october-1917-book/?at={key}")
    assert response["Location"] == f"/works/october-1917-book/chapter-two/#{key}"
    made_up = Client().get("/works/october-1917-book/?at=p999999")
    assert made_up["Location"] == "/works/october-1917-book/"


def test_a_paragraphs_page_reads_it_in_context_in_its_chapter(book):
    key = key_in_chapter(book, 3)
    page = Client().get(f"/works/october-1917-book/p/{key}/").content.decode()
    assert f'href="/works/october-1917-book/chapter-three/#{key}"' in page


def test_the_discussion_closes_onto_the_passages_chapter(book):
    key = key_in_chapter(book, 2)
    fragment = (
        Client()
        .get(
            f"/works/october-1917-book/p/{key}/discussion/",
            headers={"HX-Request": "true"},
        )
        .content.decode()
    )
    assert re.search(rf'href="/works/october-1917-book/chapter-two/#{key}"', fragment)


@pytest.mark.parametrize(
    "url", ["/works/october-1917-book/", "/works/october-1917-book/chapter-two/"]
)
def test_a_chapter_page_and_the_title_page_cost_a_fixed_number_of_queries(
    book, url, django_assert_max_num_queries, settings
):
    settings.SCHOLIA_PAGE_CACHE = False
    caches["default"].clear()
    with django_assert_max_num_queries(10):  # nothing kept yet: the text is rendered
        assert Client().get(url).status_code == 200
    with django_assert_max_num_queries(6):
        assert Client().get(url).status_code == 200


def test_an_earlier_versions_chapters_link_to_that_versions_chapters(book):
    from edition.importer import parse_text
    from edition.seed import book_text
    from edition.services import version_import, version_publish

    revised = book_text(3).replace("Soviet leaders facing", "Soviet leaders meeting", 1)
    version_publish(version=version_import(work=book, blocks=parse_text(revised).blocks).version)

    page = Client().get("/works/october-1917-book/v/1/chapter-two/").content.decode()
    assert 'rel="prev" href="/works/october-1917-book/v/1/chapter-one/"' in page
    assert 'rel="next" href="/works/october-1917-book/v/1/chapter-three/"' in page
    assert "This is not the current version of the text." in page
    title = Client().get("/works/october-1917-book/v/1/").content.decode()
    assert 'href="/works/october-1917-book/v/1/chapter-three/"' in title


def test_the_editor_makes_a_chapter_heading_a_section_in_the_review_and_the_chapters_follow(
    book,
):
    from edition.drafts import draft_paragraph_edit
    from edition.importer import parse_text
    from edition.seed import book_text
    from edition.services import version_import, version_publish

    revised = book_text(3).replace("Soviet leaders facing", "Soviet leaders meeting", 1)
    draft = version_import(work=book, blocks=parse_text(revised).blocks).version
    heading = version_parts(book.current_version).parts[2].heading_key
    for key in (heading, key_after(book, heading)):
        row = next(r for r in version_rows(draft) if r.key == key)
        draft_paragraph_edit(version=draft, key=key, kind="heading", level=3, text=row.text)
    assert len(version_parts(draft).parts) == 2
    version_publish(version=draft)

    assert Client().get("/works/october-1917-book/chapter-three/").status_code == 404
    page = Client().get("/works/october-1917-book/chapter-two/").content.decode()
    assert f'<h3 id="{heading}"' in page


def key_after(work, key: str) -> str:
    rows = version_rows(work.current_version)
    index = next(n for n, row in enumerate(rows) if row.key == key)
    return rows[index + 1].key


def test_a_signed_in_reader_shares_each_chapters_own_page(book, django_user_model):
    """The page every signed-in reader shares is kept per chapter: each chapter's shared
    page holds its own text, and a second reader gets it with their own header."""
    from edition.pages import shared_page

    readers = []
    for name in ("rosa", "karl"):
        client = Client()
        client.force_login(django_user_model.objects.create_user(name))
        readers.append((name, client))
    for number, slug in ((2, "chapter-two"), (3, "chapter-three")):
        for name, client in readers:
            page = client.get(f"/works/october-1917-book/{slug}/").content.decode()
            assert f'id="{key_in_chapter(book, number)}"' in page
            assert f'id="{key_in_chapter(book, 1)}"' not in page
            assert name in re.search(r'<nav class="account-nav".*?</nav>', page, re.S)[0]
        stored = caches["default"].get(
            shared_page.page_name(book.current_version, "", "http", slug)
        )
        assert stored is not None and f'id="{key_in_chapter(book, number)}"' in stored[1]
