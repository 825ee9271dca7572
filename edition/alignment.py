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

A long text costs time in proportion to its length. Past EXACT_RUN_CELLS (old × new blocks)
the equal runs anchor on wordings found once on each side before difflib matches what lies
between, and each gap weighs a new block only against the few old blocks near its diagonal
that rapidfuzz finds likeliest, pairing them along the heaviest chain of those candidates;
shorter texts are aligned exactly as before, over every pair of each gap.
"""

import re
from bisect import bisect_left
from collections import Counter, deque
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Protocol

from rapidfuzz import fuzz, process

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
# diagonal, and pair them along the heaviest chain of those candidates rather than over
# every cell, so that aligning a long text costs time in proportion to its length; edits are
# local in practice.
FULL_COMPARISON_CELLS = 10_000
BAND = 25
CANDIDATES = 5
# Texts up to this (old × new blocks) find their unchanged runs with difflib over every
# block; longer ones anchor on wordings found once on each side first (see _equal_runs).
EXACT_RUN_CELLS = 250_000
# rapidfuzz's ratio (2 × longest common subsequence / total length, in per cent) is never
# below difflib's (2 × matched words / total length): a pair it puts under a threshold is
# under it for difflib too, so it rules pairs out in compiled code before difflib scores the
# few left. The margin absorbs rounding at the threshold itself.
_CUTOFF_MARGIN = 1e-6

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


class _Vocabulary:
    """Each distinct word as one character, so that a wording becomes a string: difflib
    compares it exactly as it compares the list of words (elements are equal or not), and
    rapidfuzz compares strings fastest."""

    def __init__(self) -> None:
        self._codes: dict[str, str] = {}

    def encode(self, text: str) -> str:
        codes = self._codes
        encoded = []
        for word in words(text):
            code = codes.get(word)
            if code is None:
                ordinal = len(codes)
                # Skip the surrogates, which are not characters.
                code = codes[word] = chr(ordinal if ordinal < 0xD800 else ordinal + 0x800)
            encoded.append(code)
        return "".join(encoded)


def similarity(old: str, new: str) -> float:
    """Word-level similarity of two wordings, from 0.0 (nothing shared) to 1.0 (same words)."""
    return SequenceMatcher(None, words(old), words(new), autojunk=False).ratio()


def _ratio_if_paired(matcher: SequenceMatcher, old_words: str) -> float:
    """Ratio of ``old_words`` against the matcher's second sequence, or 0.0 when it is below
    PAIR_THRESHOLD; the cheap upper bounds rule most pairs out before the full comparison."""
    matcher.set_seq1(old_words)
    if matcher.real_quick_ratio() < PAIR_THRESHOLD or matcher.quick_ratio() < PAIR_THRESHOLD:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= PAIR_THRESHOLD else 0.0


def _contained(part: str, whole: str) -> float:
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
    vocabulary = _Vocabulary()
    old_codes = [vocabulary.encode(block.text) for block in old]
    new_codes = [vocabulary.encode(block.text) for block in new]
    # A short text weighs every pair of a gap; a long one only the likeliest (_align_gap).
    exact = len(old) * len(new) <= EXACT_RUN_CELLS
    result: list[Pairing] = []
    i = j = 0
    runs = _equal_runs([block.checksum for block in old], [block.checksum for block in new])
    for run_i, run_j, size in [*runs, (len(old), len(new), 0)]:
        if i < run_i or j < run_j:
            result.extend(
                _align_gap(old_codes, new_codes, range(i, run_i), range(j, run_j), exact=exact)
            )
        result.extend(Pairing(UNCHANGED, run_i + k, run_j + k, 1.0) for k in range(size))
        i, j = run_i + size, run_j + size
    passages = list(earlier_passages) if earlier_passages is not None else list(range(len(earlier)))
    earlier_codes = [vocabulary.encode(block.text) for block in earlier]
    return _find_elsewhere(
        result, old, new, earlier, passages, (old_codes, new_codes, earlier_codes)
    )


def _equal_runs(old: list[str], new: list[str]) -> list[tuple[int, int, int]]:
    """Runs ``(i, j, size)`` of equal checksums, in order in both sequences and apart.

    Texts up to EXACT_RUN_CELLS (old × new) are matched by difflib, which takes the longest
    run first and repeats on either side of it; its cost grows with the product, so a longer
    text first takes off its common beginning and end, then anchors on the checksums found
    once in each side, keeping the longest chain of them in order (patience diffing), and
    matches each stretch between anchors the same way.
    """
    runs: list[tuple[int, int, int]] = []
    stretches = [(0, len(old), 0, len(new), True)]
    while stretches:
        alo, ahi, blo, bhi, trim = stretches.pop()
        if (ahi - alo) * (bhi - blo) <= EXACT_RUN_CELLS:
            matcher = SequenceMatcher(None, old[alo:ahi], new[blo:bhi], autojunk=False)
            runs.extend((alo + i, blo + j, k) for i, j, k in matcher.get_matching_blocks() if k)
            continue
        if trim:
            start = 0
            while alo + start < ahi and blo + start < bhi and old[alo + start] == new[blo + start]:
                start += 1
            end = 0
            while (
                alo + start < ahi - end
                and blo + start < bhi - end
                and old[ahi - 1 - end] == new[bhi - 1 - end]
            ):
                end += 1
            if start:
                runs.append((alo, blo, start))
            if end:
                runs.append((ahi - end, bhi - end, end))
            stretches.append((alo + start, ahi - end, blo + start, bhi - end, False))
            continue
        in_old = Counter(old[alo:ahi])
        in_new = Counter(new[blo:bhi])
        place_in_new = {new[j]: j for j in range(blo, bhi) if in_new[new[j]] == 1}
        anchors = [
            (i, place_in_new[old[i]])
            for i in range(alo, ahi)
            if in_old[old[i]] == 1 and old[i] in place_in_new
        ]
        i, j = alo, blo
        for anchor_i, anchor_j in _longest_increasing(anchors):
            if i < anchor_i and j < anchor_j:
                stretches.append((i, anchor_i, j, anchor_j, True))
            runs.append((anchor_i, anchor_j, 1))
            i, j = anchor_i + 1, anchor_j + 1
        if (i, j) != (alo, blo) and i < ahi and j < bhi:
            stretches.append((i, ahi, j, bhi, True))
    merged: list[tuple[int, int, int]] = []
    for i, j, size in sorted(runs):
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + size)
        else:
            merged.append((i, j, size))
    return merged


def _longest_increasing(anchors: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest chain of ``anchors`` (sorted by their first place) whose second places
    increase too, in O(n log n)."""
    tails: list[int] = []  # tails[k]: the second place ending the best chain of length k + 1
    ends: list[int] = []  # index in anchors of that chain's last anchor
    previous: list[int | None] = []
    for index, (_i, j) in enumerate(anchors):
        length = bisect_left(tails, j)
        if length == len(tails):
            tails.append(j)
            ends.append(index)
        else:
            tails[length] = j
            ends[length] = index
        previous.append(ends[length - 1] if length else None)
    chain = []
    index = ends[-1] if ends else None
    while index is not None:
        chain.append(anchors[index])
        index = previous[index]
    return chain[::-1]


def _find_elsewhere(
    result: list[Pairing],
    old: Sequence[Comparable],
    new: Sequence[Comparable],
    earlier: Sequence[Comparable],
    passages: list[Hashable],
    codes: tuple[list[str], list[str], list[str]],
) -> list[Pairing]:
    """Pair the blocks left unpaired across the whole text: moves first, then restorations,
    exact wordings before near ones."""
    unpaired_new = {p.new: p for p in result if p.status in (NEW, SPLIT)}
    unpaired_old = {p.old: p for p in result if p.status in (REMOVED, MERGED)}
    if not unpaired_new or not (unpaired_old or earlier):
        return result

    old_codes, new_codes, earlier_codes = codes
    moved: dict[int, tuple[int, float]] = {}  # new index -> (old index, score)
    restored: dict[int, tuple[int, float]] = {}  # new index -> (earlier index, score)
    free_new = sorted(unpaired_new)
    free_old = sorted(unpaired_old)
    free_earlier = list(range(len(earlier)))
    for near in (False, True):
        for sources, source_codes, free, found, groups in (
            (old, old_codes, free_old, moved, list(range(len(old)))),
            (earlier, earlier_codes, free_earlier, restored, passages),
        ):
            matches = _match(
                new, new_codes, free_new, sources, source_codes, free, groups, near=near
            )
            found.update(matches)
            # Each match takes its new block and every source block of its passage.
            matched_new = set(matches)
            matched_groups = {groups[a] for a, _ in matches.values()}
            free_new[:] = [b for b in free_new if b not in matched_new]
            free[:] = [other for other in free if groups[other] not in matched_groups]

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
    new_codes: list[str],
    new_indexes: list[int],
    sources: Sequence[Comparable],
    source_codes: list[str],
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
        by_checksum: dict[str, deque[int]] = {}
        for a in source_indexes:
            by_checksum.setdefault(sources[a].checksum, deque()).append(a)
        matches = {}
        for b in new_indexes:
            candidates = by_checksum.get(new[b].checksum)
            # A source whose passage is taken stays unusable: drop it for good.
            while candidates and groups[candidates[0]] in taken:
                candidates.popleft()
            if candidates:
                a = candidates.popleft()
                matches[b] = (a, 1.0)
                taken.add(groups[a])
        return matches
    if len(new_indexes) * len(source_indexes) > FULL_COMPARISON_CELLS:
        # A rewrite this large is reviewed by hand; exact matches have been found already.
        return {}
    choices = [source_codes[a] for a in source_indexes]
    cutoff = MOVE_THRESHOLD * 100 - _CUTOFF_MARGIN
    scored: list[tuple[float, int, int]] = []
    for b in new_indexes:
        candidates = process.extract(
            new_codes[b], choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        )
        if not candidates:
            continue
        matcher = SequenceMatcher(None, b=new_codes[b], autojunk=False)
        for _choice, _bound, index in candidates:
            a = source_indexes[index]
            matcher.set_seq1(source_codes[a])
            if matcher.quick_ratio() < MOVE_THRESHOLD:
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
    old_codes: list[str],
    new_codes: list[str],
    old_range: range,
    new_range: range,
    *,
    exact: bool,
) -> list[Pairing]:
    """Pair the changed blocks of one gap between unchanged runs in order, then name those
    left over: split off from, or merged into, a neighbouring pair's block, or new, removed.

    ``exact`` weighs every pair of a small gap by its similarity; otherwise (a long text, or
    a large gap) each new block is weighed against the few old ones near the gap's diagonal
    that rapidfuzz finds likeliest, and only the pairs chosen are scored with difflib."""
    old_words = [old_codes[i] for i in old_range]
    new_words = [new_codes[j] for j in new_range]
    n, m = len(old_words), len(new_words)
    if not exact or n * m > FULL_COMPARISON_CELLS:
        # Chosen by rapidfuzz's bound, scored as everywhere else.
        pairs = []
        for a, b, _bound in _heaviest_chain(_banded_bounds(old_words, new_words), m):
            score = SequenceMatcher(None, old_words[a], new_words[b], autojunk=False).ratio()
            if score >= PAIR_THRESHOLD:
                pairs.append((a, b, score))
    else:
        pairs = _best_pairing(_gap_scores(old_words, new_words), n, m)

    partner = {a: b for a, b, _ in pairs}
    merged_into: dict[int, tuple[int, float]] = {}
    for a, neighbours in enumerate(_nearest_paired(partner, n)):
        if a in partner:
            continue
        for neighbour in neighbours:
            if neighbour is None:
                continue
            target = partner[neighbour]
            contained = _contained(old_words[a], new_words[target])
            if contained >= MERGE_THRESHOLD and contained > merged_into.get(a, (None, 0.0))[1]:
                merged_into[a] = (target, contained)

    split_from: dict[int, tuple[int, float]] = {}
    new_partner = {b: a for a, b, _ in pairs}
    for b, neighbours in enumerate(_nearest_paired(new_partner, m)):
        if b in new_partner:
            continue
        for neighbour in neighbours:
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


def _best_pairing(
    scores: dict[tuple[int, int], float], n: int, m: int
) -> list[tuple[int, int, float]]:
    """The in-order pairing of a small gap with the greatest total similarity, over every
    cell: of equal totals, the one that pairs earliest."""
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
    return pairs


def _heaviest_chain(scores: dict[tuple[int, int], float], m: int) -> list[tuple[int, int, float]]:
    """The in-order pairing of a large gap with the greatest total similarity, over the
    candidate pairs only: O(pairs × log m) where the full table would be old × new.

    Rows are taken from the last up; each pair's best total is its score plus the best total
    of a pair strictly below and to the right, read from a Fenwick tree of maxima over the
    new blocks (indexed from the right, so that "to the right" is a prefix). Of equal totals
    the chain starting with the earliest pair wins.
    """
    tree: list[tuple[float, int, int] | None] = [None] * (m + 1)

    def best_right_of(b: int) -> tuple[float, int, int] | None:
        found = None
        index = m - b - 1  # new blocks b + 1 … m - 1
        while index > 0:
            if tree[index] is not None and (found is None or tree[index] > found):
                found = tree[index]
            index -= index & -index
        return found

    def record(b: int, value: tuple[float, int, int]) -> None:
        index = m - b
        while index <= m:
            if tree[index] is None or value > tree[index]:
                tree[index] = value
            index += index & -index

    rows: dict[int, list[tuple[int, float]]] = {}
    for (a, b), score in scores.items():
        rows.setdefault(a, []).append((b, score))
    following: dict[tuple[int, int], tuple[int, int] | None] = {}
    start: tuple[float, int, int] | None = None
    for a in sorted(rows, reverse=True):
        totals = []
        for b, score in rows[a]:
            after = best_right_of(b)
            total = score + after[0] if after else score
            following[(a, b)] = (-after[1], -after[2]) if after else None
            # Negated places: of equal totals the maximum is the earliest pair.
            totals.append((b, (total, -a, -b)))
        for b, value in totals:
            record(b, value)
            if start is None or value > start:
                start = value
    pairs: list[tuple[int, int, float]] = []
    cell = (-start[1], -start[2]) if start else None
    while cell is not None:
        pairs.append((cell[0], cell[1], scores[cell]))
        cell = following[cell]
    return pairs


def _gap_scores(old_words: list[str], new_words: list[str]) -> dict[tuple[int, int], float]:
    """Similarity of every pair of a small gap at or above PAIR_THRESHOLD."""
    scores: dict[tuple[int, int], float] = {}
    cutoff = PAIR_THRESHOLD * 100 - _CUTOFF_MARGIN
    for b, new_block in enumerate(new_words):
        candidates = process.extract(
            new_block, old_words, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
        )
        if not candidates:
            continue
        matcher = SequenceMatcher(None, b=new_block, autojunk=False)
        for _choice, _bound, a in candidates:
            score = _ratio_if_paired(matcher, old_words[a])
            if score:
                scores[(a, b)] = score
    return scores


def _banded_bounds(old_words: list[str], new_words: list[str]) -> dict[tuple[int, int], float]:
    """rapidfuzz's ratio (an upper bound of the similarity) of each new block's likeliest
    partners (at most CANDIDATES) among the old blocks near the gap's diagonal, only those at
    or above PAIR_THRESHOLD."""
    n, m = len(old_words), len(new_words)
    bounds: dict[tuple[int, int], float] = {}
    cutoff = PAIR_THRESHOLD * 100 - _CUTOFF_MARGIN
    for b, new_block in enumerate(new_words):
        centre = b * n // m
        first = max(0, centre - BAND)
        for _choice, bound, index in process.extract(
            new_block,
            old_words[first : centre + BAND + 1],
            scorer=fuzz.ratio,
            score_cutoff=cutoff,
            limit=CANDIDATES,
        ):
            bounds[(first + index, b)] = bound / 100
    return bounds


def _nearest_paired(partner: dict[int, int], n: int) -> list[tuple[int | None, int | None]]:
    """For each of ``n`` blocks, the closest block before it and after it that has a
    partner (None where there is none), in two passes."""
    before: list[int | None] = []
    last = None
    for a in range(n):
        before.append(last)
        if a in partner:
            last = a
    after: list[int | None] = [None] * n
    last = None
    for a in range(n - 1, -1, -1):
        after[a] = last
        if a in partner:
            last = a
    return list(zip(before, after, strict=True))


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level diff of two wordings as ``(op, text)`` with op "equal", "delete" or "insert".

    Joining the equal and delete texts gives ``old``; joining the equal and insert texts gives
    ``new``. A replaced run is reported as its deletion then its insertion, and a single space
    between two replaced runs is folded into them so the diff reads in phrases.
    """
    old_tokens = _DIFF_TOKEN.findall(old)
    new_tokens = _DIFF_TOKEN.findall(new)
    # The words both share at either end are equal as they are: only the middle is matched,
    # which keeps a one-word edit of a long paragraph cheap (the matcher's time grows with
    # the product of the lengths it is given, and every space is a token).
    shortest = min(len(old_tokens), len(new_tokens))
    head = 0
    while head < shortest and old_tokens[head] == new_tokens[head]:
        head += 1
    tail = 0
    while tail < shortest - head and old_tokens[-1 - tail] == new_tokens[-1 - tail]:
        tail += 1
    old_middle = old_tokens[head : len(old_tokens) - tail]
    new_middle = new_tokens[head : len(new_tokens) - tail]
    matcher = SequenceMatcher(None, old_middle, new_middle, autojunk=False)
    # Each chunk is ("equal", text) or ("change", deleted, inserted).
    chunks: list[tuple[str, ...]] = []
    if head:
        chunks.append(("equal", "".join(old_tokens[:head])))
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        deleted = "".join(old_middle[i1:i2])
        inserted = "".join(new_middle[j1:j2])
        if tag == "equal":
            chunks.append(("equal", deleted))
        else:
            chunks.append(("change", deleted if tag != "insert" else "", inserted))
    if tail:
        chunks.append(("equal", "".join(old_tokens[len(old_tokens) - tail :])))

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
