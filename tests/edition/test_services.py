import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from edition.alignment import (
    EDITED,
    MERGED,
    MOVED,
    NEW,
    REMOVED,
    RESTORED,
    SPLIT,
    UNCHANGED,
    summarize,
)
from edition.importer import Block, parse_text
from edition.models import (
    Paragraph,
    ParagraphRevision,
    PublishedVersionError,
    Version,
    VersionParagraph,
    Work,
    revision_checksum,
)
from edition.services import (
    version_import,
    version_import_preview,
    version_publish,
    work_ensure,
)
from tests.edition.builders import merged_into, split_origin
from tests.edition.conftest import edition_counts

pytestmark = pytest.mark.django_db

A = "Lenin, along with the Bolshevik leaders, shaped the history of the October revolution."
B = "With the benefit of hindsight, I will indicate here the limitations of their analyses."
C = "Nevertheless, Lenin quickly learned the necessary historical lesson of the peasants."
D = "The imperialist West could not tolerate the very existence of the Soviet Union at all."
E = "Between the two world wars Stalin tried desperately to ally the Western democracies."


def para(text: str) -> Block:
    return Block("paragraph", None, text)


def heading(text: str, level: int = 2) -> Block:
    return Block("heading", level, text)


def content(version: Version) -> list[tuple[str, str]]:
    """(key, text) of a version's paragraphs in order."""
    return [
        (entry.paragraph.key, entry.revision.text)
        for entry in version.entries.select_related("paragraph", "revision").order_by("position")
    ]


def revision_ids(version: Version) -> dict[str, int]:
    return dict(version.entries.values_list("paragraph__key", "revision_id"))


def published(work: Work, blocks: list[Block]) -> Version:
    return version_publish(version=version_import(work=work, blocks=blocks).version)


# --- work_ensure ----------------------------------------------------------------------------


def test_it_creates_a_work_with_its_metadata():
    work = work_ensure(slug="october-1917", title="October 1917", author="Samir Amin", year=2017)

    assert (work.slug, work.title, work.author, work.year, work.language) == (
        "october-1917",
        "October 1917",
        "Samir Amin",
        2017,
        "en",
    )


def test_it_updates_only_the_metadata_it_is_given(work):
    work.author = "Samir Amin"
    work.language = "fr"
    work.save()

    updated = work_ensure(slug=work.slug, title="", publisher="Daraja Press")

    updated.refresh_from_db()
    assert updated.pk == work.pk
    assert (updated.title, updated.author, updated.publisher, updated.language) == (
        "October 1917 Revolution",
        "Samir Amin",
        "Daraja Press",
        "fr",
    )


def test_it_writes_nothing_when_the_metadata_is_unchanged(work):
    with CaptureQueriesContext(connection) as captured:
        work_ensure(slug=work.slug, title=work.title)

    assert not any(q["sql"].startswith(("UPDATE", "INSERT")) for q in captured.captured_queries)


def test_it_refuses_a_new_work_without_a_title_or_with_a_bad_slug():
    with pytest.raises(ValidationError):
        work_ensure(slug="new-work", title="")
    with pytest.raises(ValidationError):
        work_ensure(slug="not a slug", title="A title")
    assert Work.objects.count() == 0


# --- version_import: the first version ------------------------------------------------------


def test_it_imports_a_first_version_as_a_draft_with_keys_in_order(work):
    outcome = version_import(work=work, blocks=[heading("Title"), para(A), para(B)], note="v1")

    version = outcome.version
    assert outcome.created and not outcome.replaced and outcome.compared_with is None
    assert (version.number, version.status, version.note) == (1, "draft", "v1")
    assert content(version) == [("p1", "Title"), ("p2", A), ("p3", B)]
    assert [(row.status, row.key) for row in outcome.mapping] == [
        (NEW, "p1"),
        (NEW, "p2"),
        (NEW, "p3"),
    ]
    revision = ParagraphRevision.objects.get(paragraph__key="p1")
    assert (revision.kind, revision.level) == ("heading", 2)


def test_it_stores_the_same_checksum_a_saved_revision_would_have(work):
    version_import(work=work, blocks=[para(A)])

    assert ParagraphRevision.objects.get().checksum == revision_checksum("paragraph", None, A)


def test_it_imports_each_of_two_identical_blocks_as_its_own_paragraph(work):
    version = version_import(work=work, blocks=[para(A), para(A)]).version

    assert content(version) == [("p1", A), ("p2", A)]


def test_it_refuses_an_empty_or_malformed_list_of_blocks(work):
    for blocks in ([], [Block("heading", None, "No level")], [Block("poem", None, "x")]):
        with pytest.raises(ValidationError):
            version_import(work=work, blocks=blocks)
    with pytest.raises(ValidationError):
        version_import(work=work, blocks=[para("  ")])
    assert Version.objects.count() == 0


# --- idempotency ----------------------------------------------------------------------------


def test_it_writes_nothing_when_the_published_version_already_has_the_blocks(work):
    first = published(work, [heading("Title"), para(A), para(B)])
    before = edition_counts()

    outcome = version_import(work=work, blocks=[heading("Title"), para(A), para(B)])

    assert outcome.version == first and not outcome.created
    assert summarize(outcome.mapping)[UNCHANGED] == 3
    assert edition_counts() == before


def test_it_writes_nothing_when_the_draft_already_has_the_blocks(work):
    published(work, [para(A), para(B)])
    draft = version_import(work=work, blocks=[para(A), para(C)]).version
    before = edition_counts()

    outcome = version_import(work=work, blocks=[para(A), para(C)])

    assert outcome.version == draft and not outcome.created
    assert edition_counts() == before
    assert [(row.status, row.key) for row in outcome.mapping] == [
        (UNCHANGED, "p1"),
        (REMOVED, "p2"),
        (NEW, "p3"),
    ]


# --- version_import: alignment with the published version -----------------------------------


def test_it_keeps_an_edited_paragraphs_key_and_shares_the_others_revisions(work):
    v1 = published(work, [heading("Title"), para(A), para(B), para(C)])
    edited = B.replace("indicate here", "point out")

    outcome = version_import(work=work, blocks=[heading("Title"), para(A), para(edited), para(C)])

    v2 = outcome.version
    assert v2.number == 2 and outcome.compared_with == v1
    assert content(v2) == [("p1", "Title"), ("p2", A), ("p3", edited), ("p4", C)]
    old, new = revision_ids(v1), revision_ids(v2)
    assert old["p1"] == new["p1"] and old["p2"] == new["p2"] and old["p4"] == new["p4"]
    assert old["p3"] != new["p3"]
    assert ParagraphRevision.objects.filter(paragraph__key="p3").count() == 2
    assert Paragraph.objects.count() == 4
    row = outcome.mapping[2]
    assert (row.status, row.key, row.old_text, row.new_text) == (EDITED, "p3", B, edited)


def test_it_gives_a_split_paragraphs_key_to_the_closer_half(work):
    published(work, [para(A + " Then Stalin did too."), para(B)])

    outcome = version_import(work=work, blocks=[para(A), para("Then Stalin did too."), para(B)])

    assert content(outcome.version) == [("p1", A), ("p3", "Then Stalin did too."), ("p2", B)]
    assert [row.status for row in outcome.mapping] == [EDITED, SPLIT, UNCHANGED]
    split = outcome.mapping[1]
    assert (split.key, split.split_from, split.old_keys) == ("p3", "p1", ("p1",))
    assert split_origin("p3") is None  # not before it is published

    version_publish(version=outcome.version)

    assert split_origin("p3") == "p1"


def test_it_merges_a_paragraph_into_the_closer_ones_key(work):
    published(work, [para(A), para("Then Stalin."), para(B)])

    outcome = version_import(work=work, blocks=[para(A + " Then Stalin."), para(B)])

    assert content(outcome.version) == [("p1", A + " Then Stalin."), ("p3", B)]
    merged = next(row for row in outcome.mapping if row.status == MERGED)
    assert (merged.key, merged.merged_into) == ("p2", "p1")
    assert merged_into("p2") is None  # not before it is published

    version_publish(version=outcome.version)

    assert merged_into("p2") == "p1"


def test_it_adds_new_paragraphs_with_fresh_keys_and_never_reuses_a_removed_one(work):
    published(work, [para(A), para(B), para(C)])
    published(work, [para(A), para(C)])  # p2 removed

    outcome = version_import(work=work, blocks=[para(A), para(D), para(C), para(E)])

    assert content(outcome.version) == [("p1", A), ("p4", D), ("p3", C), ("p5", E)]
    assert [row.status for row in outcome.mapping] == [UNCHANGED, NEW, UNCHANGED, NEW]


def test_it_reports_removed_paragraphs_where_they_stood(work):
    published(work, [para(A), para(B), para(C)])

    outcome = version_import(work=work, blocks=[para(A), para(C)])

    assert [(row.status, row.key, row.old_text) for row in outcome.mapping] == [
        (UNCHANGED, "p1", A),
        (REMOVED, "p2", B),
        (UNCHANGED, "p3", C),
    ]


def test_it_reuses_a_paragraphs_earlier_revision_when_a_wording_comes_back(work):
    v1 = published(work, [para(A), para(B)])
    edited = B.replace("indicate here", "point out")
    published(work, [para(A), para(edited)])

    v3 = version_import(work=work, blocks=[para(A), para(B)]).version

    assert revision_ids(v3) == revision_ids(v1)
    assert ParagraphRevision.objects.count() == 3


def test_it_aligns_with_the_latest_published_version(work):
    published(work, [para(A)])
    published(work, [para(A), para(B)])

    outcome = version_import(work=work, blocks=[para(A), para(B), para(C)])

    assert outcome.compared_with.number == 2
    assert [row.status for row in outcome.mapping] == [UNCHANGED, UNCHANGED, NEW]


# --- replacing a draft ----------------------------------------------------------------------


def test_it_replaces_the_content_of_a_draft_instead_of_making_another(work):
    published(work, [para(A), para(B)])
    draft = version_import(work=work, blocks=[para(A), para(C)], note="first try").version

    outcome = version_import(work=work, blocks=[para(A), para(B), para(D)], note="second try")

    assert outcome.version == draft and outcome.created and outcome.replaced
    assert Version.objects.count() == 2
    draft.refresh_from_db()
    assert draft.note == "second try"
    # p3 was the first try's new paragraph, seen by no reader: the second try's new one has it.
    assert content(draft) == [("p1", A), ("p2", B), ("p3", D)]
    assert Paragraph.objects.count() == 3


def test_it_reuses_the_drafts_own_revisions_when_importing_it_again_with_one_change(work):
    version_import(work=work, blocks=[para(A), para(B)])
    before = ParagraphRevision.objects.count()

    version = version_import(work=work, blocks=[para(A), para(B), para(C)]).version

    assert content(version) == [("p1", A), ("p2", B), ("p3", C)]
    assert ParagraphRevision.objects.count() == before + 1
    assert Version.objects.count() == 1


def test_it_forgets_the_merges_of_a_replaced_draft(work):
    published(work, [para(A), para("Then Stalin."), para(B)])
    version_import(work=work, blocks=[para(A + " Then Stalin."), para(B)])

    draft = version_import(work=work, blocks=[para(A), para("Then Stalin."), para(C)]).version
    version_publish(version=draft)

    assert merged_into("p2") is None
    assert set(draft.changes.values_list("status", flat=True)) == {"removed", "new"}


def test_preview_shows_the_mapping_and_writes_nothing(work):
    published(work, [para(A), para(B)])
    before = edition_counts()

    preview = version_import_preview(work=work, blocks=[para(A), para(C)])

    assert [(row.status, row.key) for row in preview.mapping] == [
        (UNCHANGED, "p1"),
        (REMOVED, "p2"),
        (NEW, "p3"),
    ]
    assert preview.same_as is None and preview.compared_with.number == 1
    assert edition_counts() == before


def test_preview_for_a_work_that_does_not_exist_yet_lists_every_block_as_new(db):
    preview = version_import_preview(work=None, blocks=[para(A), para(B)])

    assert [(row.status, row.key) for row in preview.mapping] == [(NEW, "p1"), (NEW, "p2")]


# --- version_publish ------------------------------------------------------------------------


def test_it_publishes_a_draft_and_makes_it_current(work):
    draft = version_import(work=work, blocks=[para(A)]).version

    version = version_publish(version=draft)

    version.refresh_from_db()
    work.refresh_from_db()
    assert version.status == "published" and version.published_at is not None
    assert work.current_version == version


def test_it_refuses_to_publish_twice(work):
    version = published(work, [para(A)])

    with pytest.raises(PublishedVersionError, match="already published"):
        version_publish(version=version)


def test_it_refuses_to_publish_an_empty_version(work):
    empty = Version.objects.create(work=work, number=1)

    with pytest.raises(PublishedVersionError, match="no paragraphs"):
        version_publish(version=empty)
    empty.refresh_from_db()
    assert empty.status == "draft"


def test_a_published_version_refuses_a_new_import_into_it(work):
    version = published(work, [para(A)])

    outcome = version_import(work=work, blocks=[para(B)])

    assert outcome.version != version
    assert content(version) == [("p1", A)]


# --- cost -----------------------------------------------------------------------------------


# SQLite takes at most 999 parameters a query, so bulk inserts go in batches of ~200 rows:
# the 1,000-row import costs 25 queries there and fewer on PostgreSQL.
MAX_QUERIES = 30


def long_text(size: int) -> list[Block]:
    return [
        para(f"Paragraph {n} of the long text, whose words are particular to number {n}.")
        for n in range(size)
    ]


def test_importing_a_thousand_paragraphs_costs_a_bounded_number_of_queries(
    work, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES):
        outcome = version_import(work=work, blocks=long_text(1000))

    assert VersionParagraph.objects.filter(version=outcome.version).count() == 1000


def test_revising_a_thousand_paragraphs_costs_a_bounded_number_of_queries(
    work, django_assert_max_num_queries
):
    published(work, long_text(1000))
    blocks = long_text(1000)
    blocks[500] = para(blocks[500].text + " Edited.")
    blocks.insert(10, para("A new paragraph with nothing in common."))
    del blocks[900]

    with django_assert_max_num_queries(MAX_QUERIES):
        outcome = version_import(work=work, blocks=blocks)

    assert summarize(outcome.mapping) == {
        UNCHANGED: 998,
        EDITED: 1,
        MOVED: 0,
        SPLIT: 0,
        MERGED: 0,
        RESTORED: 0,
        NEW: 1,
        REMOVED: 1,
    }
    assert ParagraphRevision.objects.count() == 1002


def test_it_imports_the_seed_text(work, seed_text):
    blocks = parse_text(seed_text).blocks

    version = version_import(work=work, blocks=blocks).version

    assert version.entries.count() == 111
    assert content(version)[0] == ("p1", "Chapter One")
