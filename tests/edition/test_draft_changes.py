"""The review of a draft reads what the draft records, and a corrected draft publishes
exactly what its review showed."""

import pytest
from django.test.html import parse_html

from edition.alignment import EDITED, MERGED, MOVED, NEW, REMOVED, RESTORED, SPLIT, UNCHANGED
from edition.drafts import draft_paragraph_edit, draft_paragraph_link, draft_review
from edition.models import ParagraphChange, VersionMerge, Work
from edition.services import version_import, version_publish
from tests.edition.test_pages import find_all, text_of
from tests.edition.test_revisions import (
    SHORT,
    A,
    B,
    C,
    D,
    E,
    first_version,
    para,
    revise,
)

pytestmark = pytest.mark.django_db

# A wording of D rewritten past recognition, which the alignment takes for a new paragraph.
D_REWRITTEN = "Western capitals, hostile from the start, worked to isolate the young republic."


@pytest.fixture
def work() -> Work:
    work = Work.objects.create(slug="october-1917", title="October 1917 Revolution")
    version_publish(version=version_import(work=work, blocks=first_version()).version)
    return work


def statuses(version) -> dict[str, str]:
    return {row.key: row.status for row in draft_review(version).rows}


def recorded(version) -> dict[str, tuple[str, str | None]]:
    return {
        change.paragraph.key: (change.status, change.other.key if change.other else None)
        for change in ParagraphChange.objects.filter(version=version).select_related(
            "paragraph", "other"
        )
    }


def test_the_review_shows_moved_for_a_block_moved_one_place(work):
    blocks = first_version()
    blocks[2], blocks[3] = blocks[3], blocks[2]
    draft = revise(work, blocks).version
    mover = next(key for key, (status, _) in recorded(draft).items() if status == MOVED)

    shown = statuses(draft)

    assert shown[mover] == MOVED
    assert list(shown.values()).count(MOVED) == 1


def test_the_review_shows_a_merge_the_draft_records(work):
    blocks = first_version()
    blocks[3:5] = [para(C + " " + D)]
    draft = revise(work, blocks).version

    review = {row.key: row for row in draft_review(draft).rows}

    assert (review["p4"].status, review["p4"].merged_into) == (MERGED, "p5")
    assert review["p5"].status == EDITED


def test_the_review_shows_a_split_and_where_it_came_from(work):
    blocks = first_version()
    blocks[2] = para(B + " " + SHORT)
    version_publish(version=revise(work, blocks).version)
    draft = revise(work, first_version()[:2] + [para(B), para(SHORT)] + first_version()[3:]).version
    split_key, (_, source) = next(
        (key, change) for key, change in recorded(draft).items() if change[0] == SPLIT
    )

    review = {row.key: row for row in draft_review(draft).rows}

    assert (review[split_key].status, review[split_key].split_from) == (SPLIT, source)


def test_the_review_shows_a_restored_paragraph(work):
    blocks = first_version()
    del blocks[4]
    version_publish(version=revise(work, blocks).version)

    draft = revise(work, first_version()).version

    assert statuses(draft)["p5"] == RESTORED


def test_a_corrected_merge_publishes_no_merge(work):
    blocks = first_version()
    blocks[3:5] = [para(C + " " + D)]
    draft = revise(work, blocks).version

    # The merged block continues C rather than D: D is then removed, and nothing merged.
    draft_paragraph_link(version=draft, key="p5", target_key="p4")
    shown = statuses(draft)
    version_publish(version=draft)

    assert (shown["p4"], shown["p5"]) == (EDITED, REMOVED)
    assert recorded(draft) == {"p4": (EDITED, None), "p5": (REMOVED, None)}
    assert not VersionMerge.objects.exists()


def test_a_link_correction_publishes_the_linked_key(work):
    blocks = first_version()
    blocks[4] = para(D_REWRITTEN)
    draft = revise(work, blocks).version
    assert recorded(draft) == {"p5": (REMOVED, None), "p7": (NEW, None)}

    draft_paragraph_link(version=draft, key="p7", target_key="p5")
    shown = statuses(draft)
    version_publish(version=draft)

    assert shown["p5"] == EDITED and "p7" not in shown
    assert recorded(draft) == {"p5": (EDITED, None)}
    assert [entry.paragraph.key for entry in draft.entries.order_by("position")] == [
        "p1",
        "p2",
        "p3",
        "p4",
        "p5",
        "p6",
    ]


def test_an_edit_back_to_the_published_wording_records_no_change(work):
    blocks = first_version()
    blocks[1] = para(A.replace("Lenin", "Lénine"))
    draft = revise(work, blocks).version
    assert recorded(draft) == {"p2": (EDITED, None)}

    draft_paragraph_edit(version=draft, key="p2", kind="paragraph", level=None, text=A)

    assert recorded(draft) == {}
    assert statuses(draft)["p2"] == UNCHANGED


def test_an_edit_of_an_unchanged_paragraph_records_it_as_edited(work):
    draft = revise(work, first_version() + [para("A closing remark on " + E)]).version

    draft_paragraph_edit(version=draft, key="p6", kind="paragraph", level=None, text=E + "!")

    assert recorded(draft)["p6"] == (EDITED, None)
    assert statuses(draft)["p6"] == EDITED


def test_the_review_page_shows_the_merge_the_draft_records(work, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("eleanor", is_staff=True))
    blocks = first_version()
    blocks[3:5] = [para(C + " " + D)]
    revise(work, blocks)

    html = parse_html(client.get("/works/october-1917/v/2/review/").content.decode())

    [row] = find_all(html, "li", id="row-p4")
    assert text_of(row).startswith("¶ 3 on v1 merged")
    assert "merged into ¶ 4 on v1, now ¶ 3" in text_of(row)
