"""The exports of one chapter of a work in chapters (``?chapter=<slug>``): its passages and
the comments on them only, for the whole work without it; a chapter the version lacks is a
404 that says so; a reading group's chapter reaches its members only."""

import pathlib
import shutil
import subprocess

import pytest
from lxml import etree

from edition.parts import version_parts
from edition.reading import version_rows
from edition.seed import book_import
from tests.commentary.annotations.test_exports import TEI, XML_ID, tei_all
from tests.commentary.builders import client_for, make_user, post
from tests.commentary.group_people import CANARY, group_post, join, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(db):
    return book_import(chapters=3)


def chapter_key(work, number: int, nth: int = 0) -> str:
    parts = version_parts(work.current_version)
    part = parts.parts[number - 1]
    rows = version_rows(work.current_version)[part.start : part.end]
    return [row.key for row in rows if row.kind == "paragraph"][nth]


@pytest.fixture
def discussed(book):
    alice = make_user("alice", "Alice Liddell")
    return {
        number: post(alice, book, chapter_key(book, number), body=f"On chapter {number}.")
        for number in (1, 2, 3)
    }


def test_a_chapters_tei_holds_its_passages_and_their_comments_only(book, discussed):
    response = client_for().get(f"/works/{book.slug}/export/tei/?chapter=chapter-two")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="october-1917-book-v1-chapter-two.xml"'
    )
    document = etree.fromstring(response.content)
    assert tei_all().validate(document), tei_all().error_log.filter_from_errors()[:3]
    ids = {element.get(XML_ID) for element in document.iter() if element.get(XML_ID)}
    assert chapter_key(book, 2) in ids
    assert chapter_key(book, 1) not in ids and chapter_key(book, 3) not in ids
    notes = [note.text for note in document.iter(f"{TEI}note") if note.get("type") == "body"]
    assert notes == ["On chapter 2."]
    scope = document.find(f".//{TEI}biblScope")
    assert scope.get("unit") == "chapter" and scope.text.startswith("Chapter Two")
    for annotation in document.iter(f"{TEI}annotation"):
        assert annotation.get("target").removeprefix("#") in ids


def test_the_whole_works_export_holds_every_chapter(book, discussed):
    text = client_for().get(f"/works/{book.slug}/export/markdown/").content.decode()
    assert all(f"On chapter {number}." in text for number in (1, 2, 3))


def test_a_chapters_markdown_names_the_chapter_and_holds_its_comments_only(book, discussed):
    response = client_for().get(f"/works/{book.slug}/export/markdown/?chapter=chapter-three")
    text = response.content.decode()
    assert response["Content-Disposition"].endswith('-v1-chapter-three.md"')
    assert "(chapter 3)" in text and "On chapter 3." in text
    assert "On chapter 1." not in text and "On chapter 2." not in text
    assert "# Chapter Three" in text and "# Chapter Two" not in text


@pytest.mark.parametrize("kind", ["tei", "markdown", "epub"])
def test_a_chapter_the_version_lacks_is_a_404_that_says_so(book, kind):
    if kind == "epub" and shutil.which("pandoc") is None:
        pytest.skip("pandoc is not installed here")
    response = client_for().get(f"/works/{book.slug}/export/{kind}/?chapter=chapter-nine")
    assert response.status_code == 404
    assert "no chapter" in response.content.decode()


def test_an_undivided_work_has_no_chapter_to_export(work):
    response = client_for().get(f"/works/{work.slug}/export/tei/?chapter=chapter-one")
    assert response.status_code == 404
    assert "not divided into chapters" in response.content.decode()


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed here")
def test_a_chapters_epub_passes_epubcheck(book, discussed, tmp_path):
    response = client_for().get(f"/works/{book.slug}/export/epub/?chapter=chapter-two")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-v1-chapter-two.epub"')
    epubcheck = shutil.which("epubcheck")
    if epubcheck is None:
        pytest.skip("epubcheck is not installed here (CI installs Debian's)")
    path = tmp_path / "chapter.epub"
    path.write_bytes(response.content)
    jar = pathlib.Path(epubcheck).resolve()
    command = ["java", "-jar", str(jar)] if jar.suffix == ".jar" else [epubcheck]
    checked = subprocess.run(
        [*command, str(path)], capture_output=True, text=True, timeout=180, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    listing = subprocess.run(
        ["unzip", "-p", str(path)], capture_output=True, timeout=60, check=False
    ).stdout.decode("utf-8", "replace")
    assert "On chapter 2." in listing and "On chapter 1." not in listing


def test_a_groups_chapter_export_reaches_its_members_only(book):
    group, _olga, gus = make_seminar(book)
    una = make_user("una")
    join(group, una)
    group_post(gus, book, group, key=chapter_key(book, 2))
    outsiders = {"anonymous": None, "non-member": make_user("nina"), "moderator": make_moderator()}
    for kind in ("tei", "markdown"):
        url = f"/works/{book.slug}/export/{kind}/?chapter=chapter-two"
        in_group = f"{url}&group={group.slug}"
        member = client_for(gus).get(in_group)
        assert member.status_code == 200 and CANARY in member.content.decode()
        assert CANARY in client_for(una).get(in_group).content.decode()
        assert CANARY not in client_for(gus).get(url).content.decode()
        for name, user in outsiders.items():
            seen = client_for(user).get(in_group)
            nothing = client_for(user).get(f"{url}&group=no-such-group")
            assert seen.status_code == nothing.status_code == 404, (name, kind)
            assert CANARY not in seen.content.decode(), (name, kind)
            public = client_for(user).get(url)
            assert public.status_code == 200 and CANARY not in public.content.decode()


def test_the_chapter_page_and_the_title_page_link_their_downloads(book, discussed):
    chapter = client_for().get(f"/works/{book.slug}/chapter-two/").content.decode()
    assert "This chapter with its comments:" in chapter
    assert f'href="/works/{book.slug}/export/tei/?chapter=chapter-two"' in chapter
    assert f'href="/works/{book.slug}/export/markdown/?chapter=chapter-two"' in chapter
    assert f'href="/api/v1/works/{book.slug}/annotations/?chapter=chapter-two"' in chapter
    title = client_for().get(f"/works/{book.slug}/").content.decode()
    assert "The whole work with its comments:" in title
    assert f'href="/works/{book.slug}/export/tei/"' in title
    assert f'href="/api/v1/works/{book.slug}/annotations/"' in title
    old = client_for().get(f"/works/{book.slug}/v/1/chapter-two/").content.decode()
    assert f'href="/works/{book.slug}/export/tei/?chapter=chapter-two"' in old  # v1 is current


def test_a_groups_chapter_page_links_the_groups_downloads(book):
    group, _olga, gus = make_seminar(book)
    page = client_for(gus).get(f"/works/{book.slug}/chapter-two/?group={group.slug}")
    html = page.content.decode()
    assert f"/export/tei/?chapter=chapter-two&amp;group={group.slug}" in html
    assert f'href="/api/v1/groups/{group.slug}/annotations/?chapter=chapter-two"' in html
