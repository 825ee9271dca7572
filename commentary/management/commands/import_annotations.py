"""``manage.py import_annotations WORK FILE --user NAME [--group SLUG]``: import a
Hypothesis export or a W3C AnnotationPage (see ``commentary.annotations.importer``) and
print its report. Running it again on the same file changes nothing."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from commentary.annotations.importer import ImportRefused, annotations_import
from commentary.annotations.report import report_lines
from commentary.groups.models import ReadingGroup
from edition.models import Work


class Command(BaseCommand):
    help = "Import annotations (a Hypothesis export or a W3C AnnotationPage) into a work."

    def add_arguments(self, parser):
        parser.add_argument("work", help="The work's slug.")
        parser.add_argument("file", help="The JSON file.")
        parser.add_argument("--user", required=True, help="Whose account the comments are in.")
        parser.add_argument("--group", help="A reading group's slug; else the public discussion.")

    def handle(self, *args, **options):
        work = Work.objects.filter(slug=options["work"]).first()
        if work is None or work.current_version is None:
            raise CommandError(f"No work {options['work']!r} with a current version.")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}; no account is made for an import.")
        group = None
        if options["group"]:
            group = ReadingGroup.objects.filter(slug=options["group"]).first()
            if group is None:
                raise CommandError(f"No reading group {options['group']!r}.")
        try:
            with open(options["file"], encoding="utf-8") as source:
                data = json.load(source)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        try:
            run = annotations_import(
                work=work, importer=user, data=data, group=group, source_name=options["file"]
            )
        except ImportRefused as error:
            raise CommandError(str(error)) from error
        for line in report_lines(run.report):
            self.stdout.write(line)
