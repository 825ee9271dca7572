"""``manage.py import_text WORK FILE``: import a plain-text or Markdown file as a draft version."""

from collections import Counter
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_slug
from django.db import transaction

from edition.alignment import (
    EDITED,
    MERGED,
    MOVED,
    RESTORED,
    SPLIT,
    UNCHANGED,
    MappingRow,
    summarize,
)
from edition.importer import ImportFileError, ParseResult, parse_text, read_source
from edition.models import BlockKind, Version, Work
from edition.services import (
    version_import,
    version_import_preview,
    version_publish,
    work_ensure,
)

FORMATS = ("auto", "text", "markdown")
MARKDOWN_SUFFIXES = (".md", ".markdown")


class Command(BaseCommand):
    help = (
        "Import a plain-text or Markdown file as a draft version of a work, aligned with the "
        "work's published version so unchanged and edited paragraphs keep their keys. "
        "Reports the blocks found, the doubtful decisions and the mapping."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("work", help="Slug of the work; created if it does not exist.")
        parser.add_argument("file", help="Path of the UTF-8 text or Markdown file.")
        parser.add_argument("--title", default="", help="Title (required for a new work).")
        parser.add_argument("--subtitle", default="")
        parser.add_argument("--author", default="")
        parser.add_argument("--publisher", default="")
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--note", default="", help="What changed in this version.")
        parser.add_argument(
            "--format",
            default="auto",
            choices=FORMATS,
            help="auto (the default) reads .md and .markdown files as Markdown, others as text.",
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish the draft the import leaves."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; write nothing."
        )

    def handle(self, *args, **options) -> None:
        slug = options["work"]
        path = Path(options["file"])
        fmt = options["format"]
        dry_run = options["dry_run"]
        try:
            validate_slug(slug)
        except ValidationError as error:
            raise CommandError(
                f"{slug!r} is not a valid work slug: use letters, digits, - and _."
            ) from error
        if fmt not in FORMATS:
            raise CommandError(f"Unknown format {fmt!r}: choose one of {', '.join(FORMATS)}.")
        year = options["year"]
        if year is not None and not 1 <= year <= 32767:
            raise CommandError(f"--year {year} is not a year.")

        try:
            text = read_source(path)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        markdown = fmt == "markdown" or (fmt == "auto" and path.suffix.lower() in MARKDOWN_SUFFIXES)
        parsed = parse_text(text, markdown=markdown)
        if not parsed.blocks:
            raise CommandError(f"{path}: no text to import (the file yields no blocks).")

        # Front matter gives the work's metadata; an option given on the command line wins.
        front = parsed.metadata
        if front:
            described = ", ".join(f"{name} “{value}”" for name, value in front.items())
            self.stdout.write(f"Front matter: {described}.")
        metadata = {
            name: options[name] or front.get(name, "")
            for name in ("title", "subtitle", "author", "publisher")
        }
        metadata["year"] = options["year"] if options["year"] is not None else _year(front)
        if front.get("language"):
            metadata["language"] = front["language"]

        work = Work.objects.filter(slug=slug).first()
        if work is None and not metadata["title"]:
            raise CommandError(
                f"There is no work {slug!r}; give --title (or a title in front matter) "
                "to create it."
            )

        self._report_blocks(path, parsed, markdown)
        if dry_run:
            try:
                preview = version_import_preview(work=work, blocks=parsed.blocks)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
            self._report_mapping(preview.mapping, preview.compared_with)
            if preview.same_as is not None:
                self.stdout.write(
                    f"Nothing would change: version {preview.same_as.number} already has this text."
                )
            self.stdout.write("Dry run: nothing was written.")
            return

        try:
            with transaction.atomic():
                work = work_ensure(slug=slug, **metadata)
                outcome = version_import(work=work, blocks=parsed.blocks, note=options["note"])
                version = outcome.version
                published_now = False
                if options["publish"] and not version.is_published:
                    version_publish(version=version)
                    published_now = True
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error

        self._report_mapping(outcome.mapping, outcome.compared_with)
        if not outcome.created:
            self.stdout.write(f"Nothing changed: version {version.number} already has this text.")
        elif outcome.replaced:
            self.stdout.write(f"Replaced the content of draft version {version.number}.")
        else:
            self.stdout.write(f"Created draft version {version.number}.")
        if published_now:
            self.stdout.write(self.style.SUCCESS(f"Published version {version.number}."))
        elif not version.is_published:
            self.stdout.write(
                f"Version {version.number} is a draft: review it, then publish it "
                "(run again with --publish)."
            )

    def _report_blocks(self, path: Path, parsed: ParseResult, markdown: bool) -> None:
        blocks = parsed.blocks
        kinds = Counter(block.kind for block in blocks)
        levels = Counter(block.level for block in blocks if block.kind == BlockKind.HEADING)
        by_level = ", ".join(f"level {level}: {levels[level]}" for level in sorted(levels))
        self.stdout.write(
            f"Read {path} as {'Markdown' if markdown else 'plain text'}: {len(blocks)} blocks."
        )
        self.stdout.write(
            f"  headings:    {kinds[BlockKind.HEADING]}" + (f" ({by_level})" if by_level else "")
        )
        self.stdout.write(f"  paragraphs:  {kinds[BlockKind.PARAGRAPH]}")
        self.stdout.write(f"  list items:  {kinds[BlockKind.LIST_ITEM]}")
        if kinds[BlockKind.ORDERED_ITEM]:
            self.stdout.write(f"  numbered:    {kinds[BlockKind.ORDERED_ITEM]}")
        self.stdout.write(f"  quotes:      {kinds[BlockKind.QUOTE]}")
        for kind, label in ((BlockKind.CODE, "code blocks"), (BlockKind.TABLE, "tables")):
            if kinds[kind]:
                self.stdout.write(f"  {label + ':':<12} {kinds[kind]}")
        if parsed.unsure:
            self.stdout.write(f"Check these {len(parsed.unsure)} decisions:")
            for line in parsed.unsure:
                self.stdout.write(f"  - {line}")
        else:
            self.stdout.write("No doubtful decisions.")

    def _report_mapping(self, mapping: list[MappingRow], compared_with: Version | None) -> None:
        counts = summarize(mapping)
        if compared_with is None:
            self.stdout.write(f"First version of this work: {counts['new']} new paragraphs.")
            return
        summary = ", ".join(f"{count} {status}" for status, count in counts.items())
        self.stdout.write(f"Against published version {compared_with.number}: {summary}.")
        for row in mapping:
            if row.status != UNCHANGED:
                self.stdout.write(f"  {row.key:>6} {_describe(row)}")


def _describe(row: MappingRow) -> str:
    """One line of the mapping: what happened to the paragraph, its similarity, its text."""
    if row.status == MERGED:
        return f"merged into {row.merged_into} ({row.score:.2f}): {_excerpt(row.old_text)}"
    if row.status == SPLIT:
        what = f"split from {row.split_from} ({row.score:.2f})"
    elif row.status == MOVED:
        what = f"moved from §{row.old_position} to §{row.new_position} ({row.score:.2f})"
    elif row.status in (EDITED, RESTORED):
        what = f"{row.status} ({row.score:.2f})"
    else:
        what = row.status
    return f"{what}: {_excerpt(row.new_text if row.new_text is not None else row.old_text)}"


def _year(front: dict[str, str]) -> int | None:
    value = front.get("year", "")
    return int(value) if value.isdigit() and 1 <= int(value) <= 32767 else None


def _excerpt(text: str, limit: int = 60) -> str:
    return f"“{text}”" if len(text) <= limit else f"“{text[:limit].rstrip()}…”"
