"""The reads the reading pages, the paragraph page, the API and the compare page share."""

import pytest

from edition.importer import Block
from edition.models import Work
from edition.reading import (
    comparison_rows,
    comparison_summary,
    paragraph_events,
    paragraph_history,
    version_rows,
)
from edition.services import version_import, version_publish
from tests.edition.builders import build_version, build_work, heading, item, para

pytestmark = pytest.mark.django_db


@pytest.fixture
def work():
    return build_work()


def test_it_numbers_a_versions_passages_without_counting_headings(work, django_assert_num_queries):
    version = build_version(
        work, [heading("One"), para("First."), item("- a point"), heading("Two"), para("Last.")]
    )

    with django_assert_num_queries(1):
        rows = version_rows(version)

    assert [(row.key, row.position, row.number) for row in rows] == [
        ("p1", 1, None),
        ("p2", 2, 1),
        ("p3", 3, 2),
        ("p4", 4, None),
        ("p5", 5, 3),
    ]
    assert (rows[0].kind, rows[0].level, rows[0].text) == ("heading", 2, "One")


def test_it_gathers_a_paragraphs_wordings_across_published_versions(work):
    build_version(work, [para("First wording.")])
    build_version(work, [para("Second wording.", key="p1")])
    build_version(work, [para("First wording.", key="p1"), para("New.")])
    build_version(work, [para("A draft wording.", key="p1")], publish=False)
    paragraph = work.paragraphs.get(key="p1")

    history = paragraph_history(paragraph)

    assert [entry.version.number for entry in history.entries] == [1, 2, 3]
    assert [(w.text, w.version_numbers, w.is_current) for w in history.wordings] == [
        ("First wording.", [1, 3], True),
        ("Second wording.", [2], False),
    ]
    assert history.current.version.number == 3
    assert history.current.revision.text == "First wording."


def test_it_has_no_current_entry_for_a_passage_gone_from_the_current_version(work):
    build_version(work, [para("Kept."), para("Dropped later.")])
    build_version(work, [para("Kept.", key="p1")])

    history = paragraph_history(work.paragraphs.get(key="p2"))

    assert history.current is None
    assert [entry.version.number for entry in history.entries] == [1]


def test_it_compares_two_versions_removed_passages_where_they_stood(work):
    first = build_version(work, [para("Stays."), para("Goes."), para("Changes a little.")])
    second = build_version(
        work, [para("Stays.", key="p1"), para("Changes a lot.", key="p3"), para("Arrives.")]
    )

    rows = comparison_rows(first, second)

    assert [(row["key"], row["status"]) for row in rows] == [
        ("p1", "unchanged"),
        ("p2", "removed"),
        ("p3", "edited"),
        ("p4", "new"),
    ]
    edited = rows[2]
    assert (edited["position_a"], edited["position_b"]) == (3, 2)
    assert {"op": "insert", "text": "lot"} in edited["diff"]
    assert comparison_summary(rows) == {
        "unchanged": 1,
        "edited": 1,
        "moved": 0,
        "split": 0,
        "new": 1,
        "removed": 1,
    }


def test_it_shows_a_passage_that_changed_place_as_moved(work):
    first = build_version(
        work, [para("One."), para("Two."), para("Three."), para("Four."), para("Five.")]
    )
    second = build_version(
        work,
        [
            para("One.", key="p1"),
            para("Three.", key="p3"),
            para("Four.", key="p4"),
            para("Two, corrected.", key="p2"),
            para("Five.", key="p5"),
        ],
    )

    rows = comparison_rows(first, second)

    assert [(row["key"], row["status"]) for row in rows] == [
        ("p1", "unchanged"),
        ("p3", "unchanged"),
        ("p4", "unchanged"),
        ("p2", "moved"),
        ("p5", "unchanged"),
    ]
    moved = rows[3]
    assert (moved["position_a"], moved["position_b"]) == (2, 4)
    assert {"op": "insert", "text": ", corrected"} in moved["diff"]
    assert comparison_summary(rows) == {
        "unchanged": 4,
        "edited": 0,
        "moved": 1,
        "split": 0,
        "new": 0,
        "removed": 0,
    }


def test_a_passage_shifted_by_an_insertion_is_not_moved(work):
    first = build_version(work, [para("One."), para("Two.")])
    second = build_version(
        work, [para("Inserted."), para("One.", key="p1"), para("Two.", key="p2")]
    )

    rows = comparison_rows(first, second)

    assert [row["status"] for row in rows] == ["new", "unchanged", "unchanged"]


def test_it_tells_what_each_published_version_did_to_a_paragraph(django_assert_num_queries):
    work = Work.objects.create(slug="events", title="Events")
    a = "Lenin, along with the Bolshevik leaders, shaped the history of the October revolution."
    b = "The imperialist West could not tolerate the very existence of the Soviet Union at all."

    def publish(*texts: str) -> None:
        blocks = [Block("paragraph", None, text) for text in texts]
        version_publish(version=version_import(work=work, blocks=blocks).version)

    publish(a + " Then Stalin did too.", b)
    publish(a, "Then Stalin did too.", b)  # v2: p3 split off p1
    publish(b, a, "Then Stalin did too.")  # v3: p2 (b) moved
    version_import(work=work, blocks=[Block("paragraph", None, f"{a} {b}")])  # a draft merge
    p1, p2, p3 = (work.paragraphs.get(key=key) for key in ("p1", "p2", "p3"))

    with django_assert_num_queries(1):
        events = paragraph_events(p1)

    assert [(e.version_number, e.status, e.other_key) for e in events] == [
        (2, "edited", None),
        (2, "split_off", "p3"),
    ]
    assert [(e.version_number, e.status, e.other_key) for e in paragraph_events(p3)] == [
        (2, "split", "p1")
    ]
    assert [(e.version_number, e.status) for e in paragraph_events(p2)] == [(3, "moved")]
