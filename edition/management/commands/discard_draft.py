"""``manage.py discard_draft WORK``: delete a work's draft version and leave no trace of it."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from edition.models import Version, Work
from edition.services import version_discard


class Command(BaseCommand):
    help = (
        "Discard the draft version of a work: the draft, its entries and the paragraphs and "
        "wordings only it held. Published versions are never touched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("work", help="Slug of the work.")

    def handle(self, *args, **options) -> None:
        work = Work.objects.filter(slug=options["work"]).first()
        if work is None:
            raise CommandError(f"There is no work {options['work']!r}.")
        draft = Version.objects.drafts().filter(work=work).order_by("-number").first()
        if draft is None:
            raise CommandError(f"{work.slug} has no draft version to discard.")
        try:
            version_discard(version=draft)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Discarded draft version {draft.number} of {work.slug}.")
