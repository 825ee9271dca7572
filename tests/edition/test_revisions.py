"""Revisions an editor would import, one kind of edit at a time, and what readers see of a
draft: its mapping, the keys it keeps or gives back, nothing before it is published and
nothing once it is discarded."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from edition.alignment import EDITED, MERGED, MOVED, NEW, REMOVED, RESTORED, SPLIT, UNCHANGED
from edition.importer import Block
from edition.models import Paragraph, ParagraphChange, PublishedVersionError, Version, Work
from edition.services import version_discard, version_import, version_publish
from tests.edition.builders import merged_into, split_origin
from tests.edition.conftest import edition_counts
from tests.edition.test_pages import page, text_of

pytestmark = pytest.mark.django_db

HEADING = "Soviet leaders facing the challenge of history"
A = "Lenin, along with the Bolshevik leaders, shaped the history of the October revolution."
B = "With the benefit of hindsight, I will indicate here the limitations of their analyses."
C = "Nevertheless, Lenin quickly learned the necessary historical lesson of the peasants."
D = "The imperialist West could not tolerate the very existence of the Soviet Union at all."
E = "Between the two world wars Stalin tried desperately to ally the Western democracies."
SHORT = "Then Stalin did too."


def para(text: str) -> Block:
    return Block("paragraph", None, text)


def heading(text: str) -> Block:
    return Block("heading", 2, text)


def first_version() -> list[Block]:
    return [heading(HEADING), para(A), para(B), para(C), para(D), para(E)]


def keys_and_texts(version: Version) -> list[tuple[str, str]]:
    return [
        (entry.paragraph.key, entry.revision.text)
        for entry in version.entries.select_related("paragraph", "revision").order_by("position")
    ]


def mapping(outcome) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(row.status, row.key, row.old_keys) for row in outcome.mapping]


@pytest.fixture
def work(db) -> Work:
    work = Work.objects.create(slug="october-1917", title="October 1917 Revolution")
    version_publish(version=version_import(work=work, blocks=first_version()).version)
    work.refresh_from_db()
    return work


def revise(work: Work, blocks: list[Block]):
    return version_import(work=work, blocks=blocks)


# --- one kind of edit at a time -------------------------------------------------------------


def test_typo_fixes_keep_their_keys_with_a_new_wording(work):
    fixed_a = A.replace("Bolshevik", "Bolsheviks'")
    fixed_c = C.replace("peasants", "peasantry")

    outcome = revise(
        work, [heading(HEADING), para(fixed_a), para(B), para(fixed_c), para(D), para(E)]
    )

    assert mapping(outcome) == [
        (UNCHANGED, "p1", ("p1",)),
        (EDITED, "p2", ("p2",)),
        (UNCHANGED, "p3", ("p3",)),
        (EDITED, "p4", ("p4",)),
        (UNCHANGED, "p5", ("p5",)),
        (UNCHANGED, "p6", ("p6",)),
    ]
    assert all(0.8 < row.score < 1.0 for row in outcome.mapping if row.status == EDITED)
    assert keys_and_texts(outcome.version)[1] == ("p2", fixed_a)


def test_a_split_keeps_the_key_on_the_closer_half_and_records_the_other_halfs_origin(work):
    blocks = first_version()
    blocks[2] = para(B + " " + SHORT)
    v2 = revise(work, blocks).version
    version_publish(version=v2)

    outcome = revise(work, first_version()[:2] + [para(B), para(SHORT)] + first_version()[3:])

    assert [(row.status, row.key, row.old_keys) for row in outcome.mapping][2:4] == [
        (EDITED, "p3", ("p3",)),
        (SPLIT, "p7", ("p3",)),
    ]
    version_publish(version=outcome.version)
    assert split_origin("p7") == "p3"


def test_a_merge_keeps_the_closer_key_and_records_the_other_as_merged_into_it(work):
    blocks = first_version()
    blocks[3:5] = [para(C + " " + D)]

    outcome = revise(work, blocks)

    # D is the longer of the two, so its key is the closer one.
    assert [(row.status, row.key, row.merged_into) for row in outcome.mapping][3:5] == [
        (MERGED, "p4", "p5"),
        (EDITED, "p5", None),
    ]


def test_a_paragraph_moved_a_few_places_keeps_its_key_and_its_wording(work):
    blocks = first_version()
    blocks = [blocks[0], blocks[1], blocks[3], blocks[4], blocks[2], blocks[5]]

    outcome = revise(work, blocks)

    moved = next(row for row in outcome.mapping if row.status == MOVED)
    assert (moved.key, moved.old_position, moved.new_position, moved.score) == ("p3", 3, 5, 1.0)
    assert [row.status for row in outcome.mapping].count(UNCHANGED) == 5
    assert keys_and_texts(outcome.version)[4] == ("p3", B)
    v1 = work.versions.get(number=1)
    assert outcome.version.entries.get(paragraph__key="p3").revision_id == (
        v1.entries.get(paragraph__key="p3").revision_id
    )


def test_a_removed_paragraph_is_reported_where_it_stood(work):
    blocks = first_version()
    del blocks[4]

    outcome = revise(work, blocks)

    assert (REMOVED, "p5", ("p5",)) in mapping(outcome)
    assert [row.key for row in outcome.mapping] == ["p1", "p2", "p3", "p4", "p5", "p6"]


def test_an_inserted_paragraph_gets_a_fresh_key(work):
    blocks = first_version()
    blocks.insert(3, para("An entirely new thought about planning and markets."))

    outcome = revise(work, blocks)

    assert mapping(outcome)[3] == (NEW, "p7", ())
    assert [row.status for row in outcome.mapping].count(UNCHANGED) == 6


def test_a_renamed_heading_keeps_its_key(work):
    blocks = first_version()
    blocks[0] = heading("Soviet leaders facing the challenges of their history")

    outcome = revise(work, blocks)

    assert mapping(outcome)[0] == (EDITED, "p1", ("p1",))


def test_a_revert_to_the_first_wording_gets_every_earlier_key_back(work):
    v1 = work.versions.get(number=1)
    revised = [
        heading("Soviet leaders and history"),
        para(A.replace("October", "Russian") + " " + B),  # p2 merged into p3
        para(C),
        para("An entirely new thought about planning and markets."),  # p7
        para(E),  # p5 (D) removed
    ]
    version_publish(version=revise(work, revised).version)

    outcome = revise(work, first_version())

    assert keys_and_texts(outcome.version) == keys_and_texts(v1)
    assert [(row.status, row.key) for row in outcome.mapping] == [
        (EDITED, "p1"),
        (RESTORED, "p2"),
        (EDITED, "p3"),
        (UNCHANGED, "p4"),
        (REMOVED, "p7"),
        (RESTORED, "p5"),
        (UNCHANGED, "p6"),
    ]
    # Every wording is the first version's own revision: nothing new was written.
    assert dict(outcome.version.entries.values_list("paragraph__key", "revision_id")) == dict(
        v1.entries.values_list("paragraph__key", "revision_id")
    )
    version_publish(version=outcome.version)
    assert merged_into("p3") is None


def test_reimporting_the_same_text_changes_nothing(work):
    before = edition_counts()

    outcome = revise(work, first_version())

    assert not outcome.created and edition_counts() == before


# --- nothing of a draft reaches readers -----------------------------------------------------


def merged_draft(work: Work) -> Version:
    blocks = first_version()
    blocks[3:5] = [para(C + " " + D)]
    blocks.append(para("A paragraph only the draft has, with its own new key."))
    return revise(work, blocks).version


def test_a_drafts_merge_shows_nowhere_until_it_is_published(
    work, client, django_capture_on_commit_callbacks
):
    draft = merged_draft(work)

    api = client.get("/api/v1/works/october-1917/paragraphs/p4/").json()
    assert api["merged_into"] is None
    assert "merged" not in client.get("/works/october-1917/p/p4/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        version_publish(version=draft)

    assert client.get("/api/v1/works/october-1917/paragraphs/p4/").json()["merged_into"] == "p5"
    merged_away = text_of(page(client, "/works/october-1917/p/p4/"))
    assert "It was merged into another passage." in merged_away


def test_a_drafts_new_keys_answer_404_until_it_is_published(work, client):
    merged_draft(work)

    assert client.get("/api/v1/works/october-1917/paragraphs/p7/").status_code == 404
    assert client.get("/works/october-1917/p/p7/").status_code == 404


def test_discarding_a_draft_leaves_no_trace(work):
    before = edition_counts()
    draft = merged_draft(work)
    assert ParagraphChange.objects.filter(version=draft).exists()

    version_discard(version=draft)

    assert edition_counts() == before
    assert not ParagraphChange.objects.exists()
    assert merged_into("p4") is None
    # The key the draft handed out is free again for the next import.
    assert revise(work, first_version() + [para("Something new.")]).mapping[-1].key == "p7"


def test_discarding_a_published_version_is_refused(work):
    with pytest.raises(PublishedVersionError, match="published"):
        version_discard(version=work.versions.get(number=1))
    assert work.versions.count() == 1


def test_replacing_a_draft_drops_the_paragraphs_only_it_had(work):
    merged_draft(work)

    revise(work, first_version() + [para(E + " Again.")])

    assert not Paragraph.objects.filter(entries__isnull=True).exists()


def test_the_admin_deletes_a_draft_through_the_discard_service(work, client):
    before = edition_counts()
    draft = merged_draft(work)
    editor = get_user_model().objects.create_superuser("editor", "e@example.org", "pw-1917")
    client.force_login(editor)

    response = client.post(f"/admin/edition/version/{draft.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert edition_counts() == before


def test_the_command_line_discards_a_draft(work, capsys):
    before = edition_counts()
    draft = merged_draft(work)

    call_command("discard_draft", "october-1917")

    assert edition_counts() == before
    assert f"Discarded draft version {draft.number}" in capsys.readouterr().out


# --- publishing -----------------------------------------------------------------------------


def test_a_failure_midway_through_publishing_leaves_the_previous_state_whole(work, monkeypatch):
    draft = merged_draft(work)
    v1 = work.current_version

    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(Version, "save", fail)
    with pytest.raises(RuntimeError):
        version_publish(version=draft)

    work.refresh_from_db()
    draft.refresh_from_db()
    assert work.current_version == v1
    assert draft.status == "draft" and draft.published_at is None
    assert merged_into("p4") is None


def test_the_api_says_where_a_split_off_paragraph_came_from_once_published(work, client):
    joined = first_version()
    joined[2] = para(B + " " + SHORT)
    version_publish(version=revise(work, joined).version)
    split = first_version()
    split.insert(3, para(SHORT))

    version_publish(version=revise(work, split).version)

    paragraph = client.get("/api/v1/works/october-1917/paragraphs/p7/").json()
    assert (paragraph["split_from"], paragraph["merged_into"]) == ("p3", None)


def test_two_blocks_with_two_earlier_wordings_of_one_paragraph_restore_it_once(work):
    edited_b = B.replace("indicate here", "point out")
    with_edit = [heading(HEADING), para(A), para(edited_b), para(C), para(D), para(E)]
    without_b = [heading(HEADING), para(A), para(C), para(D), para(E)]
    version_publish(version=revise(work, with_edit).version)  # p3 gets a second wording
    version_publish(version=revise(work, without_b).version)  # p3 removed

    outcome = revise(work, [*without_b, para(B), para(edited_b)])

    assert [(row.status, row.key) for row in outcome.mapping][-2:] == [
        (RESTORED, "p3"),
        (NEW, "p7"),
    ]


def test_a_merge_undone_by_correcting_the_draft_is_not_published(work):
    draft = merged_draft(work)
    # A correction gives the merged-away paragraph back a place in the draft.
    entry = work.versions.get(number=1).entries.get(paragraph__key="p4")
    draft.entries.create(
        position=draft.entries.count() + 1, paragraph=entry.paragraph, revision=entry.revision
    )

    version_publish(version=draft)

    assert merged_into("p4") is None
