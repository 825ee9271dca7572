"""The corrections to a draft, as services: what they refuse and what they leave behind."""

import pytest

from edition.drafts import (
    DraftError,
    draft_paragraph_edit,
    draft_paragraph_link,
    draft_paragraph_separate,
    draft_review,
)
from edition.models import Paragraph, ParagraphChange, ParagraphRevision, VersionParagraph
from edition.services import version_publish
from tests.edition.builders import build_version, build_work, merged_into, para

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    work = build_work()
    build_version(work, [para("One."), para("Two."), para("Three.")])
    return build_version(
        work, [para("One, edited.", key="p1"), para("Two.", key="p2"), para("Four.")], publish=False
    )


def keys_in(version) -> list[str]:
    return list(
        VersionParagraph.objects.filter(version=version)
        .order_by("position")
        .values_list("paragraph__key", flat=True)
    )


def test_it_refuses_a_link_to_a_paragraph_the_draft_already_holds(draft):
    with pytest.raises(DraftError, match="p2 is already in this draft"):
        draft_paragraph_link(version=draft, key="p4", target_key="p2")


def test_it_refuses_a_link_to_a_paragraph_that_does_not_exist(draft):
    with pytest.raises(DraftError, match="no published paragraph p99"):
        draft_paragraph_link(version=draft, key="p4", target_key="p99")


def test_it_refuses_a_correction_of_a_key_the_draft_does_not_hold(draft):
    with pytest.raises(DraftError, match="no paragraph p3 in this draft"):
        draft_paragraph_separate(version=draft, key="p3")


@pytest.mark.parametrize(
    ("kind", "level", "text", "message"),
    [
        ("paragraph", None, "   ", "The text cannot be empty."),
        ("heading", None, "A title", "A heading needs a level from 1 to 6."),
        ("heading", 7, "A title", "A heading needs a level from 1 to 6."),
        ("poem", None, "Verse.", "Unknown kind of block: poem."),
    ],
)
def test_it_refuses_a_wording_that_cannot_be_stored(draft, kind, level, text, message):
    with pytest.raises(DraftError, match=message):
        draft_paragraph_edit(version=draft, key="p1", kind=kind, level=level, text=text)


def test_it_reuses_a_wording_the_paragraph_already_had(draft):
    before = ParagraphRevision.objects.count()

    draft_paragraph_edit(version=draft, key="p1", kind="paragraph", level=None, text="One.")

    assert ParagraphRevision.objects.count() == before - 1  # the draft's edit is gone
    assert [row.status for row in draft_review(draft).rows] == [
        "unchanged",
        "unchanged",
        "removed",
        "new",
    ]


def test_a_separated_paragraph_takes_the_next_unused_key(draft):
    draft_paragraph_separate(version=draft, key="p1")

    assert keys_in(draft) == ["p5", "p2", "p4"]


def test_a_merge_into_a_separated_paragraph_follows_its_words(draft):
    ParagraphChange.objects.create(
        version=draft,
        paragraph=Paragraph.objects.get(key="p3"),
        status=ParagraphChange.Status.MERGED,
        other=Paragraph.objects.get(key="p1"),
        score=0.5,
    )

    draft_paragraph_separate(version=draft, key="p1")
    version_publish(version=draft)

    assert merged_into("p3") == "p5"


def test_a_linked_paragraph_is_no_longer_merged(draft):
    ParagraphChange.objects.create(
        version=draft,
        paragraph=Paragraph.objects.get(key="p3"),
        status=ParagraphChange.Status.MERGED,
        other=Paragraph.objects.get(key="p1"),
        score=0.5,
    )

    draft_paragraph_link(version=draft, key="p4", target_key="p3")
    version_publish(version=draft)

    assert merged_into("p3") is None
    assert keys_in(draft) == ["p1", "p2", "p3"]
    assert draft.changes.get(paragraph__key="p3").status == ParagraphChange.Status.EDITED


def test_nothing_is_corrected_once_published(draft):
    version_publish(version=draft)

    for correction in (
        lambda: draft_paragraph_separate(version=draft, key="p1"),
        lambda: draft_paragraph_link(version=draft, key="p4", target_key="p3"),
        lambda: draft_paragraph_edit(
            version=draft, key="p1", kind="paragraph", level=None, text="Again."
        ),
    ):
        with pytest.raises(DraftError, match="has been published"):
            correction()
