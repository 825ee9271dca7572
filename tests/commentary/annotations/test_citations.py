"""Citations: Highwire meta tags on paragraph and comment pages, and CSL-JSON, BibTeX and
RIS downloads that name the version, each parsed."""

import json
import re
from html.parser import HTMLParser

import pytest

from tests.commentary.builders import client_for, post
from tests.commentary.group_people import group_post, make_seminar

pytestmark = pytest.mark.django_db


class MetaTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, str]] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("name", "").startswith("citation_"):
            self.tags.append((attributes["name"], attributes["content"]))
        if tag == "a" and "/cite/" in (attributes.get("href") or ""):
            self.links.append(attributes["href"])


def page_citations(response) -> MetaTags:
    parser = MetaTags()
    parser.feed(response.content.decode())
    return parser


def parse_bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    head = re.match(r"@(\w+)\{([^,]+),\n", text)
    fields = dict(re.findall(r"^  (\w+) = \{(.*)\},?$", text, re.M))
    assert text.rstrip().endswith("}")
    return head.group(1), head.group(2), fields


def parse_ris(text: str) -> list[tuple[str, str]]:
    lines = text.split("\r\n")
    assert lines[-1] == "" and lines[-2] == "ER  - "
    return [(line[:2], line[6:]) for line in lines[:-1]]


def test_a_paragraph_page_carries_highwire_tags(work):
    tags = dict(page_citations(client_for().get(f"/works/{work.slug}/p/p3/")).tags)
    assert tags["citation_title"] == f"{work.title}, ¶ 1 [p3]"
    assert tags["citation_inbook_title"].startswith(work.title)
    assert tags["citation_edition"] == "Version 1"
    assert tags["citation_public_url"].endswith(f"/works/{work.slug}/v/1/p/p3/")
    assert re.fullmatch(r"\d{4}/\d\d/\d\d", tags["citation_publication_date"])


def test_a_paragraphs_downloads_parse_and_name_the_version(work):
    links = page_citations(client_for().get(f"/works/{work.slug}/p/p3/")).links
    assert len(links) == 3
    csl, bib, ris = (client_for().get(link) for link in links)
    item = json.loads(csl.content)[0]
    assert item["type"] == "chapter" and item["version"] == "1"
    assert item["title"].endswith("[p3]") and item["URL"].endswith("/v/1/p/p3/")
    entry, key, fields = parse_bibtex(bib.content.decode())
    assert (entry, key) == ("incollection", f"{work.slug}-v1-p3")
    assert fields["edition"] == "Version 1" and fields["version"] == "1"
    records = parse_ris(ris.content.decode())
    assert records[0] == ("TY", "CHAP") and ("ET", "Version 1") in records
    assert ris["Content-Disposition"] == f'attachment; filename="{work.slug}-v1-p3.ris"'


def test_a_version_that_does_not_hold_the_paragraph_answers_404(work):
    url = f"/works/{work.slug}/p/p3/cite/bibtex/"
    assert client_for().get(f"{url}?version=7").status_code == 404
    assert client_for().get(f"/works/{work.slug}/p/p3/cite/docx/").status_code == 404


def test_a_comment_page_carries_highwire_tags_and_downloads(work, alice):
    comment = post(alice, work, body="A remark on the aim.\nAnd more.")
    found = page_citations(client_for().get(f"/comments/{comment.pk}/"))
    tags = dict(found.tags)
    assert tags["citation_author"] == "Alice Liddell"
    assert tags["citation_title"].endswith("[p3]: A remark on the aim.")
    assert tags["citation_edition"] == "Version 1"
    csl, bib, ris = (client_for().get(link) for link in found.links)
    assert json.loads(csl.content)[0]["author"] == [{"literal": "Alice Liddell"}]
    assert parse_bibtex(bib.content.decode())[2]["author"] == "{Alice Liddell}"
    assert ("AU", "Alice Liddell") in parse_ris(ris.content.decode())


def test_a_group_comments_citation_is_the_404_of_a_missing_one(work):
    group, _olga, gus = make_seminar(work)
    canary = group_post(gus, work, group)
    for fmt in ("csl", "bibtex", "ris"):
        assert client_for().get(f"/comments/{canary.pk}/cite/{fmt}/").status_code == 404
        assert client_for(gus).get(f"/comments/{canary.pk}/cite/{fmt}/").status_code == 200
