"""``manage.py import_seed_book``: the seed chapter made a book of chapters, imported and
published, to try a long work (its pages, contents and costs)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from edition.seed import BOOK_CHAPTERS, BOOK_SLUG, book_import


class Command(BaseCommand):
    help = (
        f"Import and publish the work {BOOK_SLUG!r}: the seed chapter repeated as a book of "
        f"--chapters chapters (default {BOOK_CHAPTERS}), each with its chapter heading."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chapters", type=int, default=BOOK_CHAPTERS)

    def handle(self, *args, **options) -> None:
        try:
            work = book_import(chapters=options["chapters"], report=self.stdout)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"The book is at {work.get_absolute_url()}"))
