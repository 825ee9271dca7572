from dataclasses import dataclass

import pytest

from edition.alignment import (
    EDITED,
    MERGED,
    MOVE_THRESHOLD,
    MOVED,
    NEW,
    REMOVED,
    RESTORED,
    SPLIT,
    UNCHANGED,
    Pairing,
    align,
    similarity,
    summarize,
    word_diff,
)


@dataclass(frozen=True)
class Text:
    text: str

    @property
    def checksum(self) -> str:
        return f"sum:{self.text}"


def texts(*values: str) -> list[Text]:
    return [Text(value) for value in values]


A = "Lenin, along with the Bolshevik leaders, shaped the history of the October revolution."
B = "With the benefit of hindsight, I will indicate here the limitations of their analyses."
C = "Nevertheless, Lenin quickly learned the necessary historical lesson of the peasants."
D = "The imperialist West could not tolerate the very existence of the Soviet Union at all."
E = "Between the two world wars Stalin tried desperately to ally the Western democracies."


def statuses(pairings: list[Pairing]) -> list[tuple[str, int | None, int | None]]:
    return [(p.status, p.old, p.new) for p in pairings]


def test_it_keeps_identical_blocks_unchanged():
    pairings = align(texts(A, B, C), texts(A, B, C))

    assert statuses(pairings) == [(UNCHANGED, 0, 0), (UNCHANGED, 1, 1), (UNCHANGED, 2, 2)]
    assert {p.score for p in pairings} == {1.0}


def test_it_pairs_an_edited_block_with_its_old_wording():
    edited = B.replace("indicate here", "point out")

    pairings = align(texts(A, B, C), texts(A, edited, C))

    assert statuses(pairings) == [(UNCHANGED, 0, 0), (EDITED, 1, 1), (UNCHANGED, 2, 2)]
    assert 0.5 <= pairings[1].score < 1.0


def test_it_treats_a_rewritten_block_as_removed_and_new():
    rewritten = "Something else entirely, about planning and the market in a modern economy."

    pairings = align(texts(A, B, C), texts(A, rewritten, C))

    assert statuses(pairings) == [
        (UNCHANGED, 0, 0),
        (REMOVED, 1, None),
        (NEW, None, 1),
        (UNCHANGED, 2, 2),
    ]


def test_it_finds_inserted_and_deleted_blocks_among_unchanged_ones():
    pairings = align(texts(A, B, C, D), texts(A, C, E, D))

    assert statuses(pairings) == [
        (UNCHANGED, 0, 0),
        (REMOVED, 1, None),
        (UNCHANGED, 2, 1),
        (NEW, None, 2),
        (UNCHANGED, 3, 3),
    ]


def test_it_keeps_a_split_blocks_key_on_the_closer_half():
    long_half = "Lenin, along with the Bolshevik leaders, shaped the history of the revolution,"
    short_half = "then Stalin."
    old = texts(A + " " + "Then Stalin did too.", B)

    pairings = align(old, texts(long_half, short_half, B))

    assert statuses(pairings) == [(EDITED, 0, 0), (SPLIT, None, 1), (UNCHANGED, 1, 2)]


def test_it_keeps_the_key_on_the_second_half_of_a_split_when_that_is_closer():
    old = texts("Short opening words. " + A)

    pairings = align(old, texts("Short opening words.", A))

    assert statuses(pairings) == [(SPLIT, None, 0), (EDITED, 0, 1)]
    assert pairings[0].split_from == 0


def test_it_merges_two_blocks_into_the_closer_ones_key():
    pairings = align(texts(A, "Then Stalin.", B), texts(A + " Then Stalin.", B))

    assert statuses(pairings) == [(EDITED, 0, 0), (MERGED, 1, None), (UNCHANGED, 2, 1)]
    assert pairings[1].merged_into == 0
    assert pairings[1].score == 1.0


def test_it_merges_a_first_block_into_the_following_one():
    pairings = align(texts("Then Stalin.", A), texts("Then Stalin. " + A))

    assert statuses(pairings) == [(MERGED, 0, None), (EDITED, 1, 0)]
    assert pairings[0].merged_into == 0


def test_it_does_not_call_a_removed_block_merged_when_its_words_went_nowhere():
    pairings = align(texts(A, D), texts(A + " A few more words."))

    assert statuses(pairings) == [(EDITED, 0, 0), (REMOVED, 1, None)]


def test_it_pairs_changed_blocks_in_order():
    old = texts(A, B, C)
    new = texts(A + " Indeed.", B + " Indeed.", C + " Indeed.")

    assert statuses(align(old, new)) == [(EDITED, 0, 0), (EDITED, 1, 1), (EDITED, 2, 2)]


def test_it_handles_empty_sides():
    assert statuses(align([], texts(A, B))) == [(NEW, None, 0), (NEW, None, 1)]
    assert statuses(align(texts(A), [])) == [(REMOVED, 0, None)]
    assert align([], []) == []


def test_it_aligns_a_long_rewritten_text_by_the_nearby_blocks():
    old = texts(
        *(f"Paragraph number {n} says something quite particular about {n}." for n in range(300))
    )
    new = texts(
        *(f"Paragraph number {n} says something rather particular about {n}." for n in range(300))
    )

    pairings = align(old, new)

    assert statuses(pairings) == [(EDITED, n, n) for n in range(300)]


def test_it_lists_every_new_block_once_in_order():
    old = texts(A, B, C, D, E)
    new = texts(E, "New words entirely about another thing.", A + " More.", C)

    news = [p.new for p in align(old, new) if p.new is not None]

    assert news == [0, 1, 2, 3]


def test_similarity_is_word_level_and_ignores_case():
    assert similarity("The cat sat.", "the cat sat.") == 1.0
    assert similarity("alpha beta", "gamma delta") == 0.0
    assert 0.5 < similarity(A, A.replace("October", "Russian")) < 1.0


def test_summarize_counts_every_status():
    pairings = align(texts(A, B, C), texts(A, B + " More.", E))

    assert summarize(pairings) == {
        UNCHANGED: 1,
        EDITED: 1,
        MOVED: 0,
        SPLIT: 0,
        MERGED: 0,
        RESTORED: 0,
        NEW: 1,
        REMOVED: 1,
    }


# --- word_diff ------------------------------------------------------------------------------


def test_word_diff_marks_replaced_inserted_and_deleted_words():
    diff = word_diff("the cat sat on the mat.", "a dog sat on the red mat!")

    assert diff == [
        ("delete", "the cat"),
        ("insert", "a dog"),
        ("equal", " sat on the "),
        ("insert", "red "),
        ("equal", "mat"),
        ("delete", "."),
        ("insert", "!"),
    ]


def test_word_diff_of_equal_texts_is_one_equal_run():
    assert word_diff(A, A) == [("equal", A)]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (A, B),
        ("", "Words appear."),
        ("Words vanish.", ""),
        ("Yes, but…. Lenin", "Yes – but… Lenin and  Stalin"),
        (C, C.replace("Lenin", "Stalin").replace("lesson", "lessons")),
    ],
)
def test_word_diff_rebuilds_both_texts(old, new):
    diff = word_diff(old, new)

    assert "".join(text for op, text in diff if op != "insert") == old
    assert "".join(text for op, text in diff if op != "delete") == new
    assert {op for op, _ in diff} <= {"equal", "insert", "delete"}
    assert all(text for _, text in diff)


# --- moves, splits, restorations ------------------------------------------------------------


def test_it_finds_a_paragraph_moved_a_few_places_later():
    pairings = align(texts(A, B, C, D, E), texts(A, C, D, B, E))

    assert statuses(pairings) == [
        (UNCHANGED, 0, 0),
        (UNCHANGED, 2, 1),
        (UNCHANGED, 3, 2),
        (MOVED, 1, 3),
        (UNCHANGED, 4, 4),
    ]
    assert pairings[3].score == 1.0


def test_it_finds_a_moved_paragraph_whose_wording_was_also_corrected():
    corrected = B.replace("hindsight", "hind-sight")

    pairings = align(texts(A, B, C, D, E), texts(A, C, D, E, corrected))

    moved = next(p for p in pairings if p.status == MOVED)
    assert (moved.old, moved.new) == (1, 4)
    assert MOVE_THRESHOLD <= moved.score < 1.0
    assert REMOVED not in {p.status for p in pairings} and NEW not in {p.status for p in pairings}


def test_it_does_not_call_a_loosely_similar_paragraph_elsewhere_a_move():
    rewritten = "With hindsight, their analyses had limitations I will not list here at all."

    pairings = align(texts(A, B, C, D), texts(A, C, D, rewritten))

    assert statuses(pairings) == [
        (UNCHANGED, 0, 0),
        (REMOVED, 1, None),
        (UNCHANGED, 2, 1),
        (UNCHANGED, 3, 2),
        (NEW, None, 3),
    ]


def test_it_records_where_the_new_half_of_a_split_came_from():
    pairings = align(texts(A + " Then Stalin did too.", B), texts(A, "Then Stalin did too.", B))

    assert statuses(pairings) == [(EDITED, 0, 0), (SPLIT, None, 1), (UNCHANGED, 1, 2)]
    assert pairings[1].split_from == 0
    assert pairings[1].score == 1.0


def test_it_restores_a_paragraph_the_old_version_no_longer_had():
    earlier = texts(B)

    pairings = align(texts(A, C), texts(A, B, C), earlier)

    assert statuses(pairings) == [(UNCHANGED, 0, 0), (RESTORED, None, 1), (UNCHANGED, 1, 2)]
    assert (pairings[1].earlier, pairings[1].score) == (0, 1.0)


def test_it_restores_a_merged_away_paragraph_rather_than_calling_it_split_off():
    # v1 had A and "Then Stalin."; v2 merged them; the revision goes back to v1's wording.
    earlier = texts("Then Stalin.")

    pairings = align(texts(A + " Then Stalin.", B), texts(A, "Then Stalin.", B), earlier)

    assert statuses(pairings) == [(EDITED, 0, 0), (RESTORED, None, 1), (UNCHANGED, 1, 2)]


def test_it_prefers_an_exact_move_to_a_near_restoration():
    earlier = texts(B.replace("hindsight", "hind-sight"))

    pairings = align(texts(A, B, C, D), texts(A, C, D, B), earlier)

    assert statuses(pairings) == [
        (UNCHANGED, 0, 0),
        (UNCHANGED, 2, 1),
        (UNCHANGED, 3, 2),
        (MOVED, 1, 3),
    ]
