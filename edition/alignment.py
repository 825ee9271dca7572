"""Align a new version's blocks to the previous version's paragraphs, and diff wordings.

Pure functions over plain values, no database: the import service feeds them what it read
and writes what they decide.

``align`` first keeps equal runs (same checksum, in order) as *unchanged*. Inside each gap
between equal runs it pairs changed blocks by word-level similarity, in order, choosing the
pairing with the greatest total similarity: an *edited* pair keeps the old paragraph's key.
Because one old block pairs with at most one new block, a split keeps the key on the closer
half and the other half is *split* from it (a new paragraph that records its origin); a
merge keeps the closer old key and the other old block, whose words the merged block
contains, is *merged* into it.

Then, over the whole text, blocks still unpaired are looked for elsewhere: a new block with
the same or nearly the same wording as an unpaired old block is that paragraph *moved*
(it keeps its key); one with the wording of a paragraph the work had before but the old
version no longer has (``earlier``) is that paragraph *restored*, with its key. Exact
wordings are matched before near ones. What is left is new or removed.
"""

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Protocol

UNCHANGED = "unchanged"
EDITED = "edited"
MOVED = "moved"
SPLIT = "split"
MERGED = "merged"
RESTORED = "restored"
NEW = "new"
REMOVED = "removed"
# Every status, in the order an editor reviews them.
STATUSES = (UNCHANGED, EDITED, MOVED, SPLIT, MERGED, RESTORED, NEW, REMOVED)

# Below this word-level ratio two wordings are different passages, not an edit of one.
PAIR_THRESHOLD = 0.5
# Share of an unpaired old block's words found in a neighbouring new block to call it merged
# (and of an unpaired new block's words found in a neighbouring old one to call it split).
MERGE_THRESHOLD = 0.6
# A block found far from where it stood must be nearly the same to be the same passage:
# short, common sentences resemble each other more often than their neighbours do.
MOVE_THRESHOLD = 0.8
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

    ``merged_into`` is, for a MERGED old block, the index of the new block it went into;
    ``split_from`` is, for a SPLIT new block, the index of the old block it came out of;
    ``earlier`` is, for a RESTORED new block, its index in the ``earlier`` sequence.
    """

    status: str
    old: int | None
    new: int | None
    score: float
    merged_into: int | None = None
    split_from: int | None = None
    earlier: int | None = None


@dataclass(frozen=True)
class MappingRow:
    """One paragraph of an import as an editor reviews it.

    ``key`` is the paragraph's key (for a merged row, the key of the paragraph that was
    merged away, and ``merged_into`` the key it went into; for a split row, the new half's
    fresh key, and ``split_from`` the key of the paragraph it came out of, whose old wording
    is ``old_text``); ``score`` is the word-level similarity of the two wordings (1.0
    unchanged, 0.0 new or removed). ``old_position`` and ``new_position`` are the 1-based
    places of the old and new wordings in their versions (None where there is none; for a
    restored paragraph the old side is an earlier version's, so it has no old position).
    """

    status: str
    key: str
    old_text: str | None
    new_text: str | None
    score: float
    merged_into: str | None = None
    split_from: str | None = None
    old_position: int | None = None
    new_position: int | None = None

    @property
    def old_keys(self) -> tuple[str, ...]:
        """The keys the new block's wording comes from: none for a new block."""
        if self.status == SPLIT:
            return (self.split_from,)
        if self.status == NEW:
            return ()
        return (self.key,)


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


def align(
    old: Sequence[Comparable],
    new: Sequence[Comparable],
    earlier: Sequence[Comparable] = (),
    earlier_passages: Sequence[Hashable] | None = None,
) -> list[Pairing]:
    """Pair ``old`` blocks with ``new`` ones; the result lists every new block once, in order,
    with the old blocks that were removed or merged placed where they stood.

    ``earlier`` are wordings of passages the work had before ``old`` and ``old`` no longer
    has; a new block that takes one of them up again is RESTORED rather than NEW.
    ``earlier_passages`` names the passage of each (by default each is its own): a passage
    with several earlier wordings is restored once at most.
    """
    matcher = SequenceMatcher(
        None, [block.checksum for block in old], [block.checksum for block in new], autojunk=False
    )
    result: list[Pairing] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.extend(Pairing(UNCHANGED, i1 + k, j1 + k, 1.0) for k in range(i2 - i1))
        else:
            result.extend(_align_gap(old, new, range(i1, i2), range(j1, j2)))
    passages = list(earlier_passages) if earlier_passages is not None else list(range(len(earlier)))
    return _find_elsewhere(result, old, new, earlier, passages)


def _find_elsewhere(
    result: list[Pairing],
    old: Sequence[Comparable],
    new: Sequence[Comparable],
    earlier: Sequence[Comparable],
    passages: list[Hashable],
) -> list[Pairing]:
    """Pair the blocks left unpaired across the whole text: moves first, then restorations,
    exact wordings before near ones."""
    unpaired_new = {p.new: p for p in result if p.status in (NEW, SPLIT)}
    unpaired_old = {p.old: p for p in result if p.status in (REMOVED, MERGED)}
    if not unpaired_new or not (unpaired_old or earlier):
        return result

    moved: dict[int, tuple[int, float]] = {}  # new index -> (old index, score)
    restored: dict[int, tuple[int, float]] = {}  # new index -> (earlier index, score)
    free_new = sorted(unpaired_new)
    free_old = sorted(unpaired_old)
    free_earlier = list(range(len(earlier)))
    for near in (False, True):
        for sources, free, found, groups in (
            (old, free_old, moved, list(range(len(old)))),
            (earlier, free_earlier, restored, passages),
        ):
            matches = _match(new, free_new, sources, free, groups, near=near)
            for b, (a, score) in matches.items():
                found[b] = (a, score)
                free_new.remove(b)
                free[:] = [other for other in free if groups[other] != groups[a]]

    moved_old = {a for a, _ in moved.values()}
    rewritten: list[Pairing] = []
    for pairing in result:
        if pairing.new in moved:
            a, score = moved[pairing.new]
            rewritten.append(Pairing(MOVED, a, pairing.new, score))
        elif pairing.new in restored:
            k, score = restored[pairing.new]
            rewritten.append(Pairing(RESTORED, None, pairing.new, score, earlier=k))
        elif pairing.new is None and pairing.old in moved_old:
            continue
        else:
            rewritten.append(pairing)
    return rewritten


def _match(
    new: Sequence[Comparable],
    new_indexes: list[int],
    sources: Sequence[Comparable],
    source_indexes: list[int],
    groups: list[Hashable],
    *,
    near: bool,
) -> dict[int, tuple[int, float]]:
    """One-to-one matches of new blocks with source blocks, at most one per group of source
    blocks: same checksum, in order, or (``near``) the most similar pairs first, each at
    least MOVE_THRESHOLD."""
    if not new_indexes or not source_indexes:
        return {}
    taken: set[Hashable] = set()
    if not near:
        by_checksum: dict[str, list[int]] = {}
        for a in source_indexes:
            by_checksum.setdefault(sources[a].checksum, []).append(a)
        matches = {}
        for b in new_indexes:
            candidates = [a for a in by_checksum.get(new[b].checksum, ()) if groups[a] not in taken]
            if candidates:
                matches[b] = (candidates[0], 1.0)
                taken.add(groups[candidates[0]])
                by_checksum[new[b].checksum].remove(candidates[0])
        return matches
    if len(new_indexes) * len(source_indexes) > FULL_COMPARISON_CELLS:
        # A rewrite this large is reviewed by hand; exact matches have been found already.
        return {}
    source_words = {a: words(sources[a].text) for a in source_indexes}
    scored: list[tuple[float, int, int]] = []
    for b in new_indexes:
        matcher = SequenceMatcher(None, b=words(new[b].text), autojunk=False)
        for a in source_indexes:
            matcher.set_seq1(source_words[a])
            if (
                matcher.real_quick_ratio() < MOVE_THRESHOLD
                or matcher.quick_ratio() < MOVE_THRESHOLD
            ):
                continue
            score = matcher.ratio()
            if score >= MOVE_THRESHOLD:
                scored.append((score, b, a))
    matches: dict[int, tuple[int, float]] = {}
    for score, b, a in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
        if b not in matches and groups[a] not in taken:
            matches[b] = (a, score)
            taken.add(groups[a])
    return matches


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

    split_from: dict[int, tuple[int, float]] = {}
    new_partner = {b: a for a, b, _ in pairs}
    for b in range(m):
        if b in new_partner:
            continue
        for neighbour in (
            _nearest_paired(new_partner, b, -1, m),
            _nearest_paired(new_partner, b, 1, m),
        ):
            if neighbour is None:
                continue
            source = new_partner[neighbour]
            contained = _contained(new_words[b], old_words[source])
            if contained >= MERGE_THRESHOLD and contained > split_from.get(b, (None, 0.0))[1]:
                split_from[b] = (source, contained)

    def left_over_new(b: int) -> Pairing:
        if b in split_from:
            source, contained = split_from[b]
            return Pairing(SPLIT, None, new_range[b], contained, split_from=old_range[source])
        return Pairing(NEW, None, new_range[b], 0.0)

    def left_over_old(a: int) -> Pairing:
        if a in merged_into:
            target, contained = merged_into[a]
            return Pairing(MERGED, old_range[a], None, contained, new_range[target])
        return Pairing(REMOVED, old_range[a], None, 0.0)

    result: list[Pairing] = []
    a = b = 0
    for pair_a, pair_b, score in pairs:
        result.extend(left_over_old(x) for x in range(a, pair_a))
        result.extend(left_over_new(y) for y in range(b, pair_b))
        result.append(Pairing(EDITED, old_range[pair_a], new_range[pair_b], score))
        a, b = pair_a + 1, pair_b + 1
    result.extend(left_over_old(x) for x in range(a, n))
    result.extend(left_over_new(y) for y in range(b, m))
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
    """The closest block before (step -1) or after (step 1) ``a`` that has a partner."""
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
    counts = dict.fromkeys(STATUSES, 0)
    for row in rows:
        counts[row.status] += 1
    return counts
