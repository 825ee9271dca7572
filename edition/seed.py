"""The demo edition: Chapter One of Samir Amin's *October 1917 Revolution: A Century Later*,
imported from fixtures/ exactly as `make run` does. The demo, the browser tests and the
benchmark all start from here."""

from io import StringIO
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
