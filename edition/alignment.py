"""Align a new version's blocks to the previous version's paragraphs, and diff wordings.

Pure functions over plain values, no database: the import service feeds them what it read
and writes what they decide.

``align`` first keeps equal runs (same checksum, in order) as *unchanged*. Inside each gap
between equal runs it pairs changed blocks by word-level similarity, in order, choosing the
pairing with the greatest total similarity: an *edited* pair keeps the old paragraph's key.
Because one old block pairs with at most one new block, a split keeps the key on the closer
half and the other half is *new*; a merge keeps the closer old key and the other old block,
whose words the merged block contains, is *merged* into it. What is left is new or removed.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Protocol

UNCHANGED = "unchanged"
EDITED = "edited"
NEW = "new"
REMOVED = "removed"
MERGED = "merged"

# Below this word-level ratio two wordings are different passages, not an edit of one.
PAIR_THRESHOLD = 0.5
# Share of an unpaired old block's words found in a neighbouring new block to call it merged.
MERGE_THRESHOLD = 0.6
# Gaps larger than this (old × new blocks) compare each block only with those near the
# diagonal, so that rewriting a long text stays fast; edits are local in practice.
FULL_COMPARISON_CELLS = 10_000
BAND = 25

_WORD = re.compile(r"\w+|[^\w\s]")
_DIFF_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


class Comparable(Protocol):
    @property
    def checksum(self) -> str: ...

    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class Pairing:
    """One line of an alignment, by index into the old and new sequences.

    ``merged_into`` is, for a MERGED old block, the index of the new block it went into.
    """

    status: str
    old: int | None
    new: int | None
    score: float
    merged_into: int | None = None


@dataclass(frozen=True)
class MappingRow:
    """One paragraph of an import as an editor reviews it.

    ``key`` is the paragraph's key (for a merged row, the key of the paragraph that was
    merged away, and ``merged_into`` the key it went into); ``score`` is the word-level
    similarity of the two wordings (1.0 unchanged, 0.0 new or removed).
    """

    status: str
    key: str
    old_text: str | None
    new_text: str | None
    score: float
    merged_into: str | None = None


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def similarity(old: str, new: str) -> float:
    """Word-level similarity of two wordings, from 0.0 (nothing shared) to 1.0 (same words)."""
    return SequenceMatcher(None, words(old), words(new), autojunk=False).ratio()


def _ratio_if_paired(matcher: SequenceMatcher, old_words: list[str]) -> float:
    """Ratio of ``old_words`` against the matcher's second sequence, or 0.0 when it is below
    PAIR_THRESHOLD; the cheap upper bounds rule most pairs out before the full comparison."""
    matcher.set_seq1(old_words)
    if matcher.real_quick_ratio() < PAIR_THRESHOLD or matcher.quick_ratio() < PAIR_THRESHOLD:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= PAIR_THRESHOLD else 0.0


def _contained(part: list[str], whole: list[str]) -> float:
    """Share of ``part``'s words that appear, in order, in ``whole``."""
    if not part:
        return 0.0
    matcher = SequenceMatcher(None, part, whole, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(part)


def align(old: Sequence[Comparable], new: Sequence[Comparable]) -> list[Pairing]:
    """Pair ``old`` blocks with ``new`` ones; the result lists every new block once, in order,
    with the old blocks that were removed or merged placed where they stood."""
    matcher = SequenceMatcher(
        None, [block.checksum for block in old], [block.checksum for block in new], autojunk=False
    )
    result: list[Pairing] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.extend(Pairing(UNCHANGED, i1 + k, j1 + k, 1.0) for k in range(i2 - i1))
        else:
            result.extend(_align_gap(old, new, range(i1, i2), range(j1, j2)))
    return result


def _align_gap(
    old: Sequence[Comparable],
    new: Sequence[Comparable],
    old_range: range,
    new_range: range,
) -> list[Pairing]:
    old_words = [words(old[i].text) for i in old_range]
    new_words = [words(new[j].text) for j in new_range]
    n, m = len(old_words), len(new_words)
    scores = _gap_scores(old_words, new_words)

    # best[a][b]: the greatest total similarity pairing old_words[a:] with new_words[b:] in order.
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(n - 1, -1, -1):
        row, below = best[a], best[a + 1]
        for b in range(m - 1, -1, -1):
            skip = max(below[b], row[b + 1])
            score = scores.get((a, b), 0.0)
            row[b] = max(skip, score + below[b + 1]) if score else skip

    pairs: list[tuple[int, int, float]] = []
    a = b = 0
    while a < n and b < m:
        score = scores.get((a, b), 0.0)
        if score and best[a][b] == score + best[a + 1][b + 1]:
            pairs.append((a, b, score))
            a, b = a + 1, b + 1
        elif best[a][b] == best[a + 1][b]:
            a += 1
        else:
            b += 1

    partner = {a: b for a, b, _ in pairs}
    merged_into: dict[int, tuple[int, float]] = {}
    for a in range(n):
        if a in partner:
            continue
        for neighbour in (_nearest_paired(partner, a, -1, n), _nearest_paired(partner, a, 1, n)):
            if neighbour is None:
                continue
            target = partner[neighbour]
            contained = _contained(old_words[a], new_words[target])
            if contained >= MERGE_THRESHOLD and contained > merged_into.get(a, (None, 0.0))[1]:
                merged_into[a] = (target, contained)

    def left_over_old(a: int) -> Pairing:
        if a in merged_into:
            target, contained = merged_into[a]
            return Pairing(MERGED, old_range[a], None, contained, new_range[target])
        return Pairing(REMOVED, old_range[a], None, 0.0)

    result: list[Pairing] = []
    a = b = 0
    for pair_a, pair_b, score in pairs:
        result.extend(left_over_old(x) for x in range(a, pair_a))
        result.extend(Pairing(NEW, None, new_range[y], 0.0) for y in range(b, pair_b))
        result.append(Pairing(EDITED, old_range[pair_a], new_range[pair_b], score))
        a, b = pair_a + 1, pair_b + 1
    result.extend(left_over_old(x) for x in range(a, n))
    result.extend(Pairing(NEW, None, new_range[y], 0.0) for y in range(b, m))
    return result


def _gap_scores(
    old_words: list[list[str]], new_words: list[list[str]]
) -> dict[tuple[int, int], float]:
    """Similarity of the pairs worth considering, only those at or above PAIR_THRESHOLD."""
    n, m = len(old_words), len(new_words)
    scores: dict[tuple[int, int], float] = {}
    banded = n * m > FULL_COMPARISON_CELLS
    for b, new_block in enumerate(new_words):
        matcher = SequenceMatcher(None, b=new_block, autojunk=False)
        if banded:
            centre = b * n // m
            candidates = range(max(0, centre - BAND), min(n, centre + BAND + 1))
        else:
            candidates = range(n)
        for a in candidates:
            score = _ratio_if_paired(matcher, old_words[a])
            if score:
                scores[(a, b)] = score
    return scores


def _nearest_paired(partner: dict[int, int], a: int, step: int, n: int) -> int | None:
    """The closest old block before (step -1) or after (step 1) ``a`` that has a partner."""
    a += step
    while 0 <= a < n:
        if a in partner:
            return a
        a += step
    return None


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff of two wordings as ``(op, text)`` with op "equal", "delete" or "insert".

    Joining the equal and delete texts gives ``old``; joining the equal and insert texts gives
    ``new``. A replaced run is reported as its deletion then its insertion, and a single space
    between two replaced runs is folded into them so the diff reads in phrases.
    """
    old_tokens = _DIFF_TOKEN.findall(old)
    new_tokens = _DIFF_TOKEN.findall(new)
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    # Each chunk is ("equal", text) or ("change", deleted, inserted).
    chunks: list[tuple[str, ...]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        deleted = "".join(old_tokens[i1:i2])
        inserted = "".join(new_tokens[j1:j2])
        if tag == "equal":
            chunks.append(("equal", deleted))
        else:
            chunks.append(("change", deleted if tag != "insert" else "", inserted))

    folded: list[tuple[str, ...]] = []
    index = 0
    while index < len(chunks):
        chunk = chunks[index]
        if (
            chunk[0] == "equal"
            and chunk[1].isspace()
            and folded
            and _is_replacement(folded[-1])
            and index + 1 < len(chunks)
            and _is_replacement(chunks[index + 1])
        ):
            _, deleted, inserted = folded.pop()
            _, next_deleted, next_inserted = chunks[index + 1]
            folded.append(
                ("change", deleted + chunk[1] + next_deleted, inserted + chunk[1] + next_inserted)
            )
            index += 2
            continue
        folded.append(chunk)
        index += 1

    diff: list[tuple[str, str]] = []
    for chunk in folded:
        if chunk[0] == "equal":
            if chunk[1]:
                diff.append(("equal", chunk[1]))
        else:
            if chunk[1]:
                diff.append(("delete", chunk[1]))
            if chunk[2]:
                diff.append(("insert", chunk[2]))
    return diff


def _is_replacement(chunk: tuple[str, ...]) -> bool:
    return chunk[0] == "change" and bool(chunk[1]) and bool(chunk[2])


def summarize(rows: Sequence[MappingRow] | Sequence[Pairing]) -> dict[str, int]:
    """Count rows by status, every status present (zero when absent), in review order."""
    counts = dict.fromkeys((UNCHANGED, EDITED, NEW, REMOVED, MERGED), 0)
    for row in rows:
        counts[row.status] += 1
    return counts
