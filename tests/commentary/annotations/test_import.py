"""Importing a Hypothesis export: the fixture has a page note, an empty highlight, a
three-deep reply chain, a quote after an astral character, a repeated quote, a vanished
quote and a misspelt one. A second import changes nothing."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from commentary.annotations.importer import annotations_import
from commentary.annotations.models import AnnotationImport
from commentary.models import Comment
from tests.commentary.builders import make_user
from tests.edition.builders import build_version, build_work, chapter_specs, para

pytestmark = pytest.mark.django_db
EXPORT = Path(__file__).with_name("hypothesis_export.json")
ASTRAL = "The letter \U0001d504 opens the gloss, and the gloss goes on."


@pytest.fixture
def work():
    work = build_work()
    build_version(work, [*chapter_specs(), para(ASTRAL)])
    work.refresh_from_db()
    return work


@pytest.fixture
def importer():
    return make_user("ivan", "Ivan the Importer")


def run_import(work, importer) -> dict:
    data = json.loads(EXPORT.read_text())
    return annotations_import(work=work, importer=importer, data=data).report


def by_source(report: dict, part: str) -> dict:
    return {line["source"]: line for line in report[part]}


def test_it_imports_what_it_can_and_reports_the_rest(work, importer):
    report = run_import(work, importer)
    imported = by_source(report, "imported")
    assert set(imported) == {
        "hypothesis:root1",
        "hypothesis:reply1",
        "hypothesis:reply2",
        "hypothesis:reply3",
        "hypothesis:astral1",
        "hypothesis:repeat1",
        "hypothesis:fuzzy1",
    }
    assert by_source(report, "skipped") == {
        "hypothesis:note1": {"source": "hypothesis:note1", "reason": "a page note"},
        "hypothesis:empty1": {"source": "hypothesis:empty1", "reason": "an empty highlight"},
    }
    assert report["orphaned"] == [
        {
            "source": "hypothesis:vanished1",
            "quote": "a sentence that no version of the text contains",
        }
    ]
    fuzzy = by_source(report, "fuzzy")
    assert list(fuzzy) == ["hypothesis:fuzzy1"]
    assert 0.7 <= fuzzy["hypothesis:fuzzy1"]["score"] < 1


def test_replies_hang_from_their_parents_three_deep(work, importer):
    imported = by_source(run_import(work, importer), "imported")
    root, r1, r2, r3 = (
        Comment.objects.get(pk=imported[f"hypothesis:{name}"]["comment"])
        for name in ("root1", "reply1", "reply2", "reply3")
    )
    assert (r1.parent, r2.parent, r3.parent) == (root, r1, r2)
    assert r3.depth == 3 and r3.root == root
    assert root.quote_exact == "denigrate" and root.paragraph.key == "p3"


def test_quotes_land_where_they_stand_in_code_points(work, importer):
    imported = by_source(run_import(work, importer), "imported")
    astral = Comment.objects.get(pk=imported["hypothesis:astral1"]["comment"])
    assert astral.quote_start == ASTRAL.index("opens the gloss")
    assert astral.revision.text[astral.quote_start : astral.quote_end] == "opens the gloss"
    repeated = Comment.objects.get(pk=imported["hypothesis:repeat1"]["comment"])
    assert repeated.revision.text == "the form of planning;"


def test_it_keeps_created_and_names_the_author_without_making_accounts(work, importer):
    users_before = type(importer).objects.count()
    imported = by_source(run_import(work, importer), "imported")
    root = Comment.objects.get(pk=imported["hypothesis:root1"]["comment"])
    assert root.author == importer
    assert root.created_at.isoformat().startswith("2024-03-01T10:00:00")
    assert root.body.startswith("*Written by Hanna Arendt on 2024-03-01; imported.*")
    assert "Tags: tone" in root.body
    assert type(importer).objects.count() == users_before


def test_the_importers_own_annotations_carry_no_provenance_line(work):
    hanna = make_user("hanna")
    imported = by_source(run_import(work, hanna), "imported")
    assert Comment.objects.get(pk=imported["hypothesis:root1"]["comment"]).body == (
        "Why *denigrate*?\n\nTags: tone"
    )


def test_a_second_import_changes_nothing(work, importer):
    run_import(work, importer)
    comments = list(Comment.objects.order_by("pk").values())
    again = run_import(work, importer)
    assert list(Comment.objects.order_by("pk").values()) == comments
    assert again["imported"] == [] and again["orphaned"] == [
        {
            "source": "hypothesis:vanished1",
            "quote": "a sentence that no version of the text contains",
        }
    ]
    assert {line["reason"] for line in again["skipped"]} >= {"already imported"}


def test_the_command_prints_the_report(work, importer):
    out = StringIO()
    call_command("import_annotations", work.slug, str(EXPORT), "--user", "ivan", stdout=out)
    assert out.getvalue().startswith("Imported 7 (1 found again fuzzily), orphaned 1, skipped 2.")
    assert AnnotationImport.objects.get().imported_by == importer


def test_the_command_refuses_an_unknown_user(work, tmp_path):
    with pytest.raises(CommandError, match="no account is made"):
        call_command("import_annotations", work.slug, str(EXPORT), "--user", "nobody")


def test_it_imports_a_w3c_annotation_page_with_its_replies(work, importer):
    page = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationPage",
        "items": [
            {
                "id": "https://elsewhere.example/anno/1",
                "type": "Annotation",
                "creator": {"type": "Person", "name": "Rosa"},
                "created": "2025-05-01T08:00:00Z",
                "body": {"type": "TextualBody", "value": "On leaders.", "format": "text/markdown"},
                "target": {
                    "source": "https://elsewhere.example/chapter",
                    "selector": [{"type": "TextQuoteSelector", "exact": "Bolshevik leaders"}],
                },
            },
            {
                "id": "https://elsewhere.example/anno/2",
                "type": "Annotation",
                "motivation": "replying",
                "creator": {"type": "Person", "name": "Karl"},
                "created": "2025-05-01T09:00:00Z",
                "body": {"type": "TextualBody", "value": "Which ones?"},
                "target": "https://elsewhere.example/anno/1",
            },
        ],
    }
    report = annotations_import(work=work, importer=importer, data=page).report
    imported = by_source(report, "imported")
    root = Comment.objects.get(pk=imported["w3c:https://elsewhere.example/anno/1"]["comment"])
    reply = Comment.objects.get(pk=imported["w3c:https://elsewhere.example/anno/2"]["comment"])
    assert root.paragraph.key == "p6" and root.quote_exact == "Bolshevik leaders"
    assert reply.parent == root and "Written by Karl" in reply.body
    assert annotations_import(work=work, importer=importer, data=page).report["imported"] == []


def test_hypothesis_positions_only_break_ties_counted_in_utf16_units(work, importer):
    # "the form of" opens two list items with nothing around it to tell them apart: the
    # page position says which, counted in UTF-16 units (the astral letter counts two).
    entries = list(
        work.current_version.entries.select_related("revision", "paragraph").order_by("position")
    )
    offsets, at = {}, 0
    for entry in entries:
        offsets[entry.paragraph.key] = at
        at += len(entry.revision.text.encode("utf-16-le")) // 2 + 1
    rows = [
        {
            "id": f"tie-{key}",
            "uri": "https://example.org/",
            "text": f"Near {key}.",
            "user": "acct:hanna@hypothes.is",
            "target": [
                {
                    "source": "https://example.org/",
                    "selector": [
                        {"type": "TextQuoteSelector", "exact": "the form of"},
                        {"type": "TextPositionSelector", "start": offsets[key] + 1, "end": 0},
                    ],
                }
            ],
        }
        for key in ("p8", "p7")
    ]
    imported = by_source(
        annotations_import(work=work, importer=importer, data=rows).report, "imported"
    )
    assert imported["hypothesis:tie-p7"]["paragraph"] == "p7"
    assert imported["hypothesis:tie-p8"]["paragraph"] == "p8"
