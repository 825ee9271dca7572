"""The demo edition: Chapter One of Samir Amin's *October 1917 Revolution: A Century Later*,
imported from fixtures/ exactly as `make run` does. The demo, the browser tests and the
benchmark all start from here."""

import tempfile
from io import StringIO
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.core.management import call_command

from edition.models import Work

SEED_SLUG = "october-1917"
SEED_FILE = "october-1917-chapter-one.txt"
SEED_METADATA = {
    "title": "October 1917 Revolution: A Century Later",
    "subtitle": "Chapter One",
    "author": "Samir Amin",
    "publisher": "Daraja Press",
    "year": "2017",
}


def seed_import(*, report: TextIO | None = None) -> Work:
    """Import and publish the seed chapter; a second call changes nothing."""
    options: list[str] = []
    for name, value in SEED_METADATA.items():
        options += [f"--{name}", value]
    call_command(
        "import_text",
        SEED_SLUG,
        str(settings.BASE_DIR / "fixtures" / SEED_FILE),
        *options,
        "--publish",
        stdout=report or StringIO(),
    )
    return Work.objects.select_related("current_version").get(slug=SEED_SLUG)


BOOK_SLUG = "october-1917-book"
BOOK_CHAPTERS = 15
BOOK_METADATA = {**SEED_METADATA, "subtitle": "The whole book (a demonstration)"}
_CHAPTER_NAMES = [
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
    "Twenty",
]


def book_text(chapters: int = BOOK_CHAPTERS) -> str:
    """A book of ``chapters`` chapters built from the seed chapter: each opens with its
    heading ("Chapter Two") and a title line of its own, then the seed's text. Up to twenty
    chapters."""
    if not 1 <= chapters <= len(_CHAPTER_NAMES):
        raise ValueError(f"A book of 1 to {len(_CHAPTER_NAMES)} chapters, not {chapters}.")
    seed = (settings.BASE_DIR / "fixtures" / SEED_FILE).read_text(encoding="utf-8")
    # The seed opens with "Chapter One" and its title; the rest is the chapter's body.
    body = seed.split("\n", 2)[2]
    parts = []
    for number, name in enumerate(_CHAPTER_NAMES[:chapters], start=1):
        title = "The October 1917 Revolution started off the transformation of the world"
        if number > 1:
            title = f"The transformation of the world, {name.lower()}"
        parts.append(f"Chapter {name}\n{title}\n\n{body.rstrip()}\n")
    return "\n\n".join(parts)


def book_import(*, chapters: int = BOOK_CHAPTERS, report: TextIO | None = None) -> Work:
    """Import and publish the seed book of ``chapters`` chapters (``book_text``) as the
    work ``BOOK_SLUG``; a second call changes nothing."""
    options: list[str] = []
    for name, value in BOOK_METADATA.items():
        options += [f"--{name}", value]
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "october-1917-book.txt"
        path.write_text(book_text(chapters), encoding="utf-8")
        call_command(
            "import_text", BOOK_SLUG, str(path), *options, "--publish", stdout=report or StringIO()
        )
    return Work.objects.select_related("current_version").get(slug=BOOK_SLUG)
