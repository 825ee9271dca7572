"""One way of writing dates across the site: "6 December 2026", "6 December 2026, 14:05"
(config/formats), never a format of a template's or a module's own."""

import re
from datetime import datetime
from pathlib import Path

from django.template import Context, Template
from django.utils import timezone
from django.utils.formats import date_format

ROOT = Path(__file__).resolve().parent.parent
# A date filter or date_format() given a format of its own ("c", the machine-readable
# one of <time datetime>, aside).
OWN_FORMAT = re.compile(
    r"""\|date:["'](?!c["'])(?!DATE(TIME)?_FORMAT["'])|date_format\([^)]*,\s*["'](?!DATE(TIME)?_FORMAT)"""
)


def test_no_template_or_module_writes_dates_its_own_way():
    places = [
        *ROOT.joinpath("templates").rglob("*.html"),
        *ROOT.joinpath("templates").rglob("*.txt"),
        *ROOT.joinpath("commentary").rglob("*.py"),
        *ROOT.joinpath("edition").rglob("*.py"),
    ]
    own = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in places
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if OWN_FORMAT.search(line)
    ]
    assert own == []


def test_dates_and_moments_read_the_same_everywhere():
    moment = timezone.make_aware(datetime(2026, 12, 6, 14, 5))

    assert date_format(moment, "DATE_FORMAT") == "6 December 2026"
    assert date_format(moment, "DATETIME_FORMAT") == "6 December 2026, 14:05"
    assert (
        Template('{{ moment|date:"DATETIME_FORMAT" }} / {{ moment|date }}').render(
            Context({"moment": moment})
        )
        == "6 December 2026, 14:05 / 6 December 2026"
    )
