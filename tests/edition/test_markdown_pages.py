"""A text imported from Markdown reads as its author wrote it, and safely."""

import pytest

from edition.importer import parse_text
from edition.models import Work
from edition.services import version_import, version_publish
from tests.edition.test_importer import AUTHORED
from tests.edition.test_pages import attr, find_all, page, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def work() -> Work:
    work = Work.objects.create(slug="authored", title="Authored in Markdown")
    blocks = parse_text(AUTHORED, markdown=True).blocks
    version_publish(version=version_import(work=work, blocks=blocks).version)
    return work


def test_it_keeps_the_authors_heading_levels_one_apart(client, work):
    html = page(client, "/works/authored/")

    assert text_of(find_all(html, "h2", id="p1")[0]) == "Chapter One"
    assert text_of(find_all(html, "h3", id="p2")[0]) == "The first socialist project"
    assert text_of(find_all(find_all(html, "h3", id="p2")[0], "em")[0]) == "first"


def test_it_renders_emphasis_and_links_and_nothing_unsafe(client, work):
    html = page(client, "/works/authored/")
    passage = find_all(html, "p", id="p3")[0]

    assert text_of(find_all(passage, "strong")[0]) == "glorious"
    link = find_all(passage, "a")[0]
    assert (attr(link, "href"), attr(link, "rel")) == (
        "https://example.org/commune",
        "nofollow ugc noopener",
    )
    assert len(find_all(passage, "a")) == 1
    assert find_all(html, "script", src=None) == []
    assert "javascript:" not in str(find_all(passage, "a"))
    assert "<script>alert(1)</script>" in text_of(passage)


def test_it_numbers_an_ordered_list(client, work):
    html = page(client, "/works/authored/")

    lists = find_all(html, "ol", class_="block-ordered-list")
    assert len(lists) == 1
    items = find_all(lists[0], "li")
    assert [attr(item, "id") for item in items] == ["p4", "p5", "p6"]
    texts = [text_of(find_all(item, "div", class_="block-text")[0]) for item in items]
    assert texts == ["the form of property;", "the form of planning;", "the form of power."]


def test_it_shows_code_as_written_and_a_table_as_a_table(client, work):
    html = page(client, "/works/authored/")

    assert find_all(html, "pre", id="p7")
    source = client.get("/works/authored/").content.decode()
    assert "<code>def  plan(economy):\n    return   economy</code>" in source
    table = find_all(find_all(html, "div", id="p8")[0], "table")[0]
    assert [text_of(cell) for cell in find_all(table, "th")] == ["Year", "Event"]
    assert [text_of(cell) for cell in find_all(table, "td")] == ["1917", "October", "1921", "NEP"]


def test_the_paragraph_page_renders_the_formatting_too(client, work):
    html = page(client, "/works/authored/p/p3/")

    assert text_of(find_all(html, "strong")[0]) == "glorious"


def test_the_api_gives_the_words_and_the_markdown_the_author_wrote(client, work):
    paragraphs = client.get("/api/v1/works/authored/versions/1/").json()["paragraphs"]

    formatted = next(row for row in paragraphs if row["key"] == "p3")
    assert formatted["text"].startswith("It echoed the glorious Paris Commune (1871)")
    assert formatted["markup"].startswith("It echoed the **glorious** [Paris Commune](")
    assert [row["kind"] for row in paragraphs][3:8] == [
        "ordered_item",
        "ordered_item",
        "ordered_item",
        "code",
        "table",
    ]
    assert next(row for row in paragraphs if row["key"] == "p7")["markup"] == ""
