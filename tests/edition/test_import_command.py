from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from edition.models import Paragraph, Version, Work
from tests.edition.conftest import edition_counts

pytestmark = pytest.mark.django_db

METADATA = [
    "--title",
    "October 1917 Revolution: A Century Later",
    "--subtitle",
    "Chapter One",
    "--author",
    "Samir Amin",
    "--publisher",
    "Daraja Press",
    "--year",
    "2017",
]


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_text", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_imports_and_publishes_the_seed(seed_path):
    output = run("october-1917", str(seed_path), *METADATA, "--publish")

    work = Work.objects.get(slug="october-1917")
    version = work.current_version
    assert (work.title, work.subtitle, work.author, work.publisher, work.year) == (
        "October 1917 Revolution: A Century Later",
        "Chapter One",
        "Samir Amin",
        "Daraja Press",
        2017,
    )
    assert (version.number, version.status) == (1, "published")
    assert version.entries.count() == 111
    assert "headings:    12 (level 2: 2, level 3: 5, level 4: 5)" in output
    assert "paragraphs:  93" in output
    assert "list items:  6" in output
    assert "quotes:      0" in output
    assert "lines 21–22: joined" in output
    assert "First version of this work: 111 new paragraphs." in output
    assert "Created draft version 1." in output
    assert "Published version 1." in output


def test_importing_the_same_file_again_changes_nothing(seed_path):
    run("october-1917", str(seed_path), *METADATA, "--publish")
    before = edition_counts()
    version = Work.objects.get().current_version

    output = run("october-1917", str(seed_path), *METADATA, "--publish")

    assert edition_counts() == before
    assert Work.objects.get().current_version == version
    assert "Nothing changed: version 1 already has this text." in output
    assert (
        "111 unchanged, 0 edited, 0 moved, 0 split, 0 merged, 0 restored, 0 new, 0 removed"
        in output
    )


def test_it_imports_a_revised_file_as_a_draft_and_reports_the_mapping(seed_path, tmp_path):
    run("october-1917", str(seed_path), *METADATA, "--publish")
    revised = tmp_path / "revised.txt"
    revised.write_text(
        seed_path.read_text(encoding="utf-8").replace("Two: Autocratic Power", "Two: Autocracy"),
        encoding="utf-8",
    )

    output = run("october-1917", str(revised), "--note", "Sub-heading renamed")

    draft = Version.objects.get(number=2)
    assert (draft.status, draft.note) == ("draft", "Sub-heading renamed")
    assert "Against published version 1: 110 unchanged, 1 edited, 0 moved" in output
    assert "edited" in output and "“Two: Autocracy”" in output
    assert "Created draft version 2." in output
    assert Work.objects.get().current_version.number == 1


def test_a_dry_run_reports_and_writes_nothing(seed_path):
    output = run("october-1917", str(seed_path), *METADATA, "--dry-run")

    assert edition_counts() == {
        "Work": 0,
        "Version": 0,
        "Paragraph": 0,
        "ParagraphRevision": 0,
        "VersionParagraph": 0,
    }
    assert "paragraphs:  93" in output
    assert "Dry run: nothing was written." in output


def test_a_dry_run_of_an_imported_file_says_nothing_would_change(seed_path):
    run("october-1917", str(seed_path), *METADATA, "--publish")
    before = edition_counts()

    output = run("october-1917", str(seed_path), "--dry-run", "--publish")

    assert edition_counts() == before
    assert "Nothing would change: version 1 already has this text." in output


def test_it_reads_a_markdown_file_by_its_extension(tmp_path):
    path = tmp_path / "chapter.md"
    path.write_text("# A Title\n\nA paragraph\nover two lines.\n\n> A quote.\n", encoding="utf-8")

    output = run("md-work", str(path), "--title", "Markdown work")

    assert "as Markdown: 3 blocks" in output
    kinds = list(
        Version.objects.get().entries.order_by("position").values_list("revision__kind", flat=True)
    )
    assert kinds == ["heading", "paragraph", "quote"]


def test_format_overrides_the_extension(tmp_path):
    path = tmp_path / "chapter.txt"
    path.write_text("# A Title\n\nText.\n", encoding="utf-8")

    output = run("md-work", str(path), "--title", "Markdown work", "--format", "markdown")

    assert "as Markdown: 2 blocks" in output


# --- refusals: a clear message, a non-zero exit, nothing written ----------------------------


def refuse(*args: str, match: str) -> None:
    before = edition_counts()
    with pytest.raises(CommandError, match=match):
        run(*args)
    assert edition_counts() == before


def test_it_refuses_a_missing_file(tmp_path):
    refuse("w", str(tmp_path / "nowhere.txt"), "--title", "W", match="no such file")


def test_it_refuses_an_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text(" \n\n \n")
    refuse("w", str(path), "--title", "W", match="empty")


def test_it_refuses_a_binary_file(tmp_path):
    path = tmp_path / "picture.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    refuse("w", str(path), "--title", "W", match="binary")


def test_it_refuses_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Révolution d’octobre".encode("cp1252"))
    refuse("w", str(path), "--title", "W", match="not UTF-8")


def test_it_refuses_a_file_over_the_size_limit(tmp_path, settings):
    settings.SCHOLIA_IMPORT_MAX_BYTES = 10
    path = tmp_path / "big.txt"
    path.write_text("A paragraph longer than ten bytes.")
    refuse("w", str(path), "--title", "W", match="import limit")


def test_it_refuses_a_file_that_yields_no_blocks(tmp_path):
    path = tmp_path / "artefact.txt"
    path.write_text("[bookmark: _GoBack]\n")
    refuse("w", str(path), "--title", "W", match="no blocks")


def test_it_refuses_an_unknown_format(seed_path):
    refuse("w", str(seed_path), "--title", "W", "--format", "docx", match="docx")


def test_it_refuses_a_new_work_without_a_title(seed_path):
    refuse("new-work", str(seed_path), match="give --title")


def test_it_refuses_a_bad_slug(seed_path):
    refuse("not a slug", str(seed_path), "--title", "W", match="not a valid work slug")


def test_it_refuses_a_year_out_of_range(seed_path):
    refuse("w", str(seed_path), "--title", "W", "--year", "-5", match="not a year")


def test_it_refuses_a_title_too_long_and_writes_nothing(seed_path):
    refuse("w", str(seed_path), "--title", "T" * 301, match="at most 300")


def test_a_refused_publish_leaves_nothing_behind(seed_path, monkeypatch):
    from edition import services

    def refuse_publish(**kwargs):
        raise services.PublishedVersionError("refused")

    monkeypatch.setattr("edition.management.commands.import_text.version_publish", refuse_publish)

    refuse("w", str(seed_path), "--title", "W", "--publish", match="refused")
    assert not Paragraph.objects.exists()


def test_it_takes_the_title_and_author_from_markdown_front_matter(tmp_path):
    path = tmp_path / "chapter.md"
    path.write_text(
        "---\ntitle: A Century Later\nauthor: Samir Amin\n---\n\n# One\n\n1. *First*\n2. Second\n\n"
        "```\ncode  as  written\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSee the note.[^1]\n",
        encoding="utf-8",
    )

    output = run("authored", str(path), "--publish")

    work = Work.objects.get(slug="authored")
    assert (work.title, work.author) == ("A Century Later", "Samir Amin")
    assert "Front matter: title “A Century Later”, author “Samir Amin”." in output
    assert "numbered:    2" in output
    assert "code blocks: 1" in output and "tables:      1" in output
    assert "footnote reference [^1] kept in the text as written" in output


def test_an_option_wins_over_the_front_matter(tmp_path):
    path = tmp_path / "chapter.md"
    path.write_text("---\ntitle: From the file\n---\n\nText.\n", encoding="utf-8")

    run("authored", str(path), "--title", "From the command line")

    assert Work.objects.get(slug="authored").title == "From the command line"
