"""The demo's second version of the chapter, imported over the seed as an editor would."""

from pathlib import Path

import pytest

from edition.alignment import EDITED, MOVED, NEW, SPLIT, UNCHANGED, summarize
from edition.importer import parse_text
from edition.models import Work
from edition.services import version_import, version_publish
from tests.edition.builders import split_origin
from tests.edition.test_import_command import METADATA, run

pytestmark = pytest.mark.django_db

REVISION = Path(__file__).resolve().parents[2] / "fixtures" / "october-1917-chapter-one-v2.txt"


@pytest.fixture
def seeded(seed_path) -> Work:
    run("october-1917", str(seed_path), *METADATA, "--publish")
    return Work.objects.get(slug="october-1917")


def changed_rows(outcome) -> list[tuple[str, str, tuple[str, ...]]]:
    return [
        (row.status, row.key, row.old_keys) for row in outcome.mapping if row.status != UNCHANGED
    ]


def test_the_second_version_corrects_splits_moves_and_inserts_and_loses_no_key(seeded):
    blocks = parse_text(REVISION.read_text(encoding="utf-8")).blocks

    outcome = version_import(work=seeded, blocks=blocks)

    assert changed_rows(outcome) == [
        (EDITED, "p14", ("p14",)),  # Jdanov → Zhdanov
        (EDITED, "p15", ("p15",)),  # Jdanov → Zhdanov
        (EDITED, "p16", ("p16",)),  # Jdanov → Zhdanov
        (NEW, "p112", ()),  # the editor's note
        (MOVED, "p17", ("p17",)),  # three paragraphs later
        (EDITED, "p24", ("p24",)),  # the first half of a split
        (SPLIT, "p113", ("p24",)),  # the second half
        (EDITED, "p29", ("p29",)),  # clientship → clientelism
    ]
    assert summarize(outcome.mapping) == {
        "unchanged": 105,
        "edited": 5,
        "moved": 1,
        "split": 1,
        "merged": 0,
        "restored": 0,
        "new": 1,
        "removed": 0,
    }
    rows = {row.key: row for row in outcome.mapping}
    assert "Zhdanov" in rows["p15"].new_text and "Jdanov" in rows["p15"].old_text
    assert (rows["p17"].old_position, rows["p17"].new_position, rows["p17"].score) == (
        17,
        21,
        1.0,
    )
    assert rows["p113"].new_text.startswith("The next period of so-called Brezhnev glaciation")
    old_keys = {entry.paragraph.key for entry in seeded.current_version.entries.all()}
    new_keys = {entry.paragraph.key for entry in outcome.version.entries.all()}
    assert old_keys <= new_keys and new_keys - old_keys == {"p112", "p113"}


def test_publishing_it_records_where_the_split_off_half_came_from(seeded):
    blocks = parse_text(REVISION.read_text(encoding="utf-8")).blocks

    version = version_publish(version=version_import(work=seeded, blocks=blocks).version)

    assert version.number == 2
    assert split_origin("p113") == "p24"


def test_the_command_line_prints_the_mapping_of_the_second_version(seeded):
    output = run("october-1917", str(REVISION), "--note", "Corrected spellings, one split, a move.")

    assert (
        "Against published version 1: 105 unchanged, 5 edited, 1 moved, 1 split, 0 merged, "
        "0 restored, 1 new, 0 removed." in output
    )
    assert "p17 moved from §17 to §21 (1.00): “Nevertheless I can bear" in output
    assert "p113 split from p24 (1.00): “The next period of so-called Brezhnev" in output
    assert "p112 new: “Editor’s note: this edition spells the name Zhdanov" in output
    assert "Created draft version 2." in output
