"""The importer takes chapter headings for the top level and says what parts it made."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from edition.importer import CHAPTERS, HEADING, parse_text
from edition.models import BlockKind
from edition.parts import part_bounds, part_slugs
from edition.reading import version_rows
from edition.seed import book_import, book_text


def headings(text: str, **options) -> list[tuple[int, str]]:
    return [(b.level, b.text) for b in parse_text(text, **options).blocks if b.kind == "heading"]


PLAIN = """Chapter One
The first title

A first paragraph of the first chapter.

A section of it

Its paragraph.

CHAPTER 2
The second title

A paragraph of the second chapter.

Part III: The third and last

The last paragraph.
"""


def test_it_takes_chapter_headings_for_the_top_level():
    assert headings(PLAIN) == [
        (2, "Chapter One"),
        (2, "The first title"),
        (3, "A section of it"),
        (2, "CHAPTER 2"),
        (2, "The second title"),
        (2, "Part III: The third and last"),
    ]


def test_it_lists_the_chapters_it_made_in_its_report():
    parsed = parse_text(PLAIN)
    chapters = [doubt for doubt in parsed.unsure if doubt.kind == CHAPTERS]
    assert [str(doubt).split(":")[0] for doubt in chapters] == ["line 1", "line 10", "line 15"]
    assert "chapter 2 of 3" in chapters[1]
    assert "“CHAPTER 2: The second title”" in chapters[1]
    assert any("chapter heading, level 2" in d for d in parsed.unsure if d.kind == HEADING)


def test_it_does_not_take_a_sentence_about_a_chapter_for_a_heading():
    text = "Chapter One\nTitle\n\nA paragraph.\n\nChapter two was harder than the first one.\n"
    assert headings(text) == [(2, "Chapter One"), (2, "Title")]


def test_it_reads_markdown_top_headings_as_chapters():
    parsed = parse_text("# One\n\nText.\n\n## A section\n\nMore.\n\n# Two\n\nEnd.\n", markdown=True)
    bounds = part_bounds(parsed.blocks)
    assert [bound.title for bound in bounds] == ["One", "Two"]
    assert [d for d in parsed.unsure if d.kind == CHAPTERS][1].startswith("line 9: chapter 2")


def test_the_seed_chapter_is_one_part_and_reports_no_chapters(seed_text):
    parsed = parse_text(seed_text)
    bounds = part_bounds(parsed.blocks)
    assert len(bounds) == 1
    assert bounds[0].title == (
        "Chapter One: The October 1917 Revolution started off the transformation of the world"
    )
    assert not [doubt for doubt in parsed.unsure if doubt.kind == CHAPTERS]


def test_part_slugs_are_unique_and_never_a_word_of_the_works_addresses():
    assert part_slugs(["Chapter One: A", "Chapter One: B", "Compare", "12", ""]) == [
        "chapter-one",
        "chapter-one-2",
        "part-compare",
        "part-12",
        "part-5",
    ]


def test_the_book_text_has_fifteen_chapters():
    bounds = part_bounds(parse_text(book_text()).blocks)
    assert len(bounds) == 15
    assert bounds[14].title.startswith("Chapter Fifteen: ")


@pytest.mark.django_db
def test_the_seed_book_imports_with_fifteen_chapters():
    report = StringIO()
    work = book_import(report=report)
    rows = version_rows(work.current_version)
    bounds = part_bounds(rows)
    assert len(bounds) == 15
    assert part_slugs([b.title for b in bounds])[-1] == "chapter-fifteen"
    assert sum(1 for row in rows if row.kind != BlockKind.HEADING) > 1400
    assert "chapter 15 of 15" in report.getvalue()


@pytest.mark.django_db
def test_the_book_command_refuses_a_book_of_no_chapters():
    with pytest.raises(CommandError, match="1 to 20 chapters"):
        call_command("import_seed_book", "--chapters", "0", stdout=StringIO())
