"""Where a comment stands on a version of the text other than the one it was written on.

A comment keeps its paragraph (the stable key) and the wording its author saw (the revision).
Shown on version N, it is, the first that applies:

- ``paragraph_removed``: N does not hold the paragraph, nor one it was merged into;
- ``merged``: N holds it through the paragraph it was merged into (following merges of
  merges): its comments are shown there, on that paragraph's wording;
- ``split``: a version between the one it was written on and N split a piece off the
  paragraph (the piece is a paragraph of its own; the comment stays with the key);
- ``moved``: a version between the two moved the paragraph;
- ``earlier_wording``: N holds the paragraph in another wording;
- ``current``: N holds the paragraph in that very wording, where it was.

Which paragraphs N shows merged into which, and which versions split or moved a paragraph,
are N's own record and the earlier versions' (``edition.mapping``): no later version
changes where a comment stands on N.

A quoted phrase is looked for again in the wording shown: ``exact`` (the phrase itself; a
repeated one is told apart by its prefix, suffix and position), ``fuzzy`` (the most similar
passage, scored on quote, prefix, suffix and position as the Hypothesis client scores them,
above a threshold), or ``lost`` (the old wording is all there is to show).

Anchoring reads three things of a version, its wordings, its merges and the splits and
moves of the versions up to it, cached until the edition changes: a page anchors any number
of comments in a fixed number of queries.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache, partial

from django.db.models import Q, Value
from rapidfuzz import fuzz

from config.site.caching import TEXT, remembered
from edition.mapping import home_of, merges_now, merges_of
from edition.models import ParagraphChange, Version, VersionMerge, VersionParagraph

CURRENT = "current"
EARLIER_WORDING = "earlier_wording"
MOVED = "moved"
SPLIT = "split"
MERGED = "merged"
PARAGRAPH_REMOVED = "paragraph_removed"
STATES = (CURRENT, EARLIER_WORDING, MOVED, SPLIT, MERGED, PARAGRAPH_REMOVED)

EXACT = "exact"
FUZZY = "fuzzy"
LOST = "lost"
QUOTE_STATES = (EXACT, FUZZY, LOST)

# The weights of the Hypothesis client's quote matcher: the phrase counts most, its context
# next, its old position a little (it only breaks ties between equal candidates).
QUOTE_WEIGHT = 50
PREFIX_WEIGHT = 20
SUFFIX_WEIGHT = 20
POSITION_WEIGHT = 2
# A passage is the quote found again when it is at least this like the phrase, and its
# weighted score (phrase, context, position) reaches the threshold; below, the quote is lost.
QUOTE_SIMILARITY_FLOOR = 0.75
FUZZY_THRESHOLD = 0.7
# How far either edge of a fuzzy match may move from the window of the old phrase's length.
MAX_EDGE_SHIFT = 8


@dataclass(frozen=True, slots=True)
class QuoteMatch:
    """A quote looked for in a wording: ``start``/``end`` where it stands now (None if lost),
    ``score`` 1.0 for the phrase itself, else the weighted similarity of the best passage."""

    state: str
    score: float
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class Anchor:
    """A comment as shown on one version. ``quote_state`` and ``score`` are None for a
    comment that quotes nothing; ``quote_now`` is (start, end) in the wording of
    ``shown_under``, the key of the paragraph the version shows it under (None when
    removed); ``written_on`` is the number of the version it was written on;
    ``same_wording`` says whether the version shows it on the very wording its author saw."""

    state: str
    quote_state: str | None = None
    score: float | None = None
    quote_now: tuple[int, int] | None = None
    written_on: int | None = None
    shown_under: str | None = None
    same_wording: bool = False

    @property
    def wording_changed(self) -> bool:
        """Shown on another wording than its author saw (edited, or merged into another)."""
        return self.state != PARAGRAPH_REMOVED and not self.same_wording

    def as_dict(self) -> dict:
        quote_now = None
        if self.quote_now is not None:
            quote_now = {"start": self.quote_now[0], "end": self.quote_now[1]}
        start, end = self.quote_now if self.quote_now is not None else (None, None)
        return {
            "state": self.state,
            "written_on": self.written_on,
            "shown_under": self.shown_under,
            "same_wording": self.same_wording,
            "quote_state": self.quote_state,
            "score": self.score,
            "start": start,
            "end": end,
            "quote_now": quote_now,
        }


def _similarity(a: str, b: str) -> float:
    return fuzz.ratio(a, b) / 100


def _score(text: str, start: int, end: int, exact: str, prefix: str, suffix: str, hint: int):
    """(phrase similarity, weighted score) of the passage text[start:end] as the quote."""
    quote_score = _similarity(exact, text[start:end])
    # No context recorded (a phrase at the start or end of its wording) cannot disagree.
    prefix_score = _similarity(prefix, text[max(0, start - len(prefix)) : start]) if prefix else 1
    suffix_score = _similarity(suffix, text[end : end + len(suffix)]) if suffix else 1
    position_score = 1 - abs(start - hint) / max(len(text), 1)
    weighted = (
        QUOTE_WEIGHT * quote_score
        + PREFIX_WEIGHT * prefix_score
        + SUFFIX_WEIGHT * suffix_score
        + POSITION_WEIGHT * position_score
    ) / (QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT)
    return quote_score, weighted


def _exact_places(text: str, exact: str) -> list[int]:
    places, at = [], text.find(exact)
    while at != -1:
        places.append(at)
        at = text.find(exact, at + 1)
    return places


def _best_edges(text: str, start: int, end: int, exact: str) -> tuple[int, int]:
    """The passage near text[start:end] most like ``exact``. The candidates come as windows
    of the phrase's own length; a reworded phrase is longer or shorter ("Jdanov" is now
    "Zhdanov"), so each edge may move a few characters either way."""
    reach = min(MAX_EDGE_SHIFT, max(2, len(exact) // 5))
    best, best_score = (start, end), _similarity(exact, text[start:end])
    for begin in range(max(0, start - reach), min(len(text), start + reach) + 1):
        for stop in range(max(begin + 1, end - reach), min(len(text), end + reach) + 1):
            score = _similarity(exact, text[begin:stop])
            if score > best_score:
                best, best_score = (begin, stop), score
    return best


def _word_edges(text: str, start: int, end: int, exact: str, prefix: str, suffix: str):
    """The passage widened (or narrowed) to whole words at each edge where the quote itself
    began or ended a word: a reader who quoted "Gover" meant the name, now "Grover", not
    "Grove". An edge the quote had inside a word stays where the match put it, and so does
    one whose word runs on further than an edge may move (a script written without spaces
    would otherwise widen it to the whole sentence)."""
    if exact[:1].isalnum() and not prefix[-1:].isalnum():
        begin = start
        while begin > 0 and text[begin - 1].isalnum() and start - begin < MAX_EDGE_SHIFT:
            begin -= 1
        if begin == 0 or not text[begin - 1].isalnum():
            start = begin
        while start < end and not text[start].isalnum():
            start += 1
    if exact[-1:].isalnum() and not suffix[:1].isalnum():
        stop = end
        while stop < len(text) and text[stop].isalnum() and stop - end < MAX_EDGE_SHIFT:
            stop += 1
        if stop == len(text) or not text[stop].isalnum():
            end = stop
        while end > start and not text[end - 1].isalnum():
            end -= 1
    return start, end


def _fitted(text: str, place: tuple[int, int], exact: str, prefix: str, suffix: str):
    return _word_edges(text, *_best_edges(text, *place, exact), exact, prefix, suffix)


def _fuzzy_places(text: str, exact: str, prefix: str, suffix: str, hint: int) -> set[tuple]:
    """Passages that may be the quote reworded: the one most like the phrase, the one whose
    surroundings are most like its context, and the one at its old place."""
    places = set()
    best = fuzz.partial_ratio_alignment(exact, text)
    places.add((best.dest_start, best.dest_end))
    if prefix or suffix:
        around = fuzz.partial_ratio_alignment(prefix + exact + suffix, text)
        window = text[around.dest_start : around.dest_end]
        inside = fuzz.partial_ratio_alignment(exact, window)
        places.add((around.dest_start + inside.dest_start, around.dest_start + inside.dest_end))
    if hint < len(text):
        places.add((hint, min(len(text), hint + len(exact))))
    fitted = {
        _fitted(text, place, exact, prefix, suffix) for place in places if place[1] > place[0]
    }
    return {(start, end) for start, end in fitted if end > start}


@lru_cache(maxsize=4096)
def quote_refind(text: str, exact: str, prefix: str, suffix: str, start: int) -> QuoteMatch:
    """The quote (its exact phrase, the context recorded around it, its old start) found
    again in ``text``. Pure, so cached: a page asks for the same (wording, quote) again."""
    hint = min(max(start, 0), len(text))
    exact_places = _exact_places(text, exact)
    if exact_places:
        at = max(
            exact_places,
            key=lambda place: _score(text, place, place + len(exact), exact, prefix, suffix, hint)[
                1
            ],
        )
        return QuoteMatch(EXACT, 1.0, at, at + len(exact))
    best_place, best_quote, best_score = None, 0.0, 0.0
    for place in sorted(_fuzzy_places(text, exact, prefix, suffix, hint)):
        quote_score, weighted = _score(text, *place, exact, prefix, suffix, hint)
        if weighted > best_score:
            best_place, best_quote, best_score = place, quote_score, weighted
    score = round(best_score, 3)
    if best_place is None or best_quote < QUOTE_SIMILARITY_FLOOR or score < FUZZY_THRESHOLD:
        return QuoteMatch(LOST, score)
    return QuoteMatch(FUZZY, score, *best_place)


@dataclass
class VersionWordings:
    """What anchoring needs of one version: the wording of each paragraph it holds, where
    the paragraphs it merged away went, and which versions up to it split or moved which
    paragraph."""

    version_id: int
    number: int
    revisions: dict[int, int] = field(default_factory=dict)  # paragraph id -> revision id
    texts: dict[int, str] = field(default_factory=dict)  # paragraph id -> its text in N
    keys: dict[int, str] = field(default_factory=dict)  # paragraph id -> key, for N's
    merges: dict[int, int] = field(default_factory=dict)  # merged id -> id it went into
    # paragraph id -> numbers of the published versions that split a piece off it / moved it
    splits: dict[int, list[int]] = field(default_factory=dict)
    moves: dict[int, list[int]] = field(default_factory=dict)

    def home(self, paragraph_id: int) -> int | None:
        """The paragraph of this version that shows comments on ``paragraph_id``: itself,
        or the one it was merged into; None when the passage is no longer in the version."""
        return home_of(paragraph_id, self.revisions, self.merges)

    def gathered_on(self, paragraph_id: int) -> list[int]:
        """The paragraphs whose comments this version shows on ``paragraph_id``."""
        return [paragraph_id] + [
            merged
            for merged in self.merges
            if merged not in self.revisions and self.home(merged) == paragraph_id
        ]

    def _between(self, numbers: dict[int, list[int]], paragraph_id: int, written_on) -> bool:
        """Whether a version after the one of ``written_on`` up to this one (or the other
        way round, for a comment written on a later version) is among ``numbers``."""
        if written_on is None:
            return False
        low, high = sorted((written_on, self.number))
        return any(low < number <= high for number in numbers.get(paragraph_id, ()))

    def state_of(self, paragraph_id: int, revision_id: int, written_on: int | None) -> str:
        """The state (see the module) of a comment on ``paragraph_id``, written on the
        wording ``revision_id`` in version ``written_on``."""
        home = self.home(paragraph_id)
        if home is None:
            return PARAGRAPH_REMOVED
        if home != paragraph_id:
            return MERGED
        if self._between(self.splits, paragraph_id, written_on):
            return SPLIT
        if self._between(self.moves, paragraph_id, written_on):
            return MOVED
        return CURRENT if self.revisions[home] == revision_id else EARLIER_WORDING

    def anchor(
        self,
        *,
        paragraph_id: int,
        revision_id: int,
        written_on: int | None = None,
        quote_exact: str = "",
        quote_prefix: str = "",
        quote_suffix: str = "",
        quote_start: int | None = None,
        quote_end: int | None = None,
    ) -> Anchor:
        """Where a comment (its paragraph, wording, version and quote) stands on this
        version."""
        state = self.state_of(paragraph_id, revision_id, written_on)
        if state == PARAGRAPH_REMOVED:
            return Anchor(state, LOST if quote_exact else None, written_on=written_on)
        home = self.home(paragraph_id)
        shown = {"written_on": written_on, "shown_under": self.keys[home]}
        if home == paragraph_id and self.revisions[home] == revision_id:
            if not quote_exact:
                return Anchor(state, same_wording=True, **shown)
            return Anchor(state, EXACT, 1.0, (quote_start, quote_end), same_wording=True, **shown)
        if not quote_exact:
            return Anchor(state, **shown)
        found = quote_refind(
            self.texts[home], quote_exact, quote_prefix, quote_suffix, quote_start or 0
        )
        quote_now = (found.start, found.end) if found.start is not None else None
        return Anchor(state, found.state, found.score, quote_now, **shown)

    def anchor_of(self, comment) -> Anchor:
        """The anchor of a Comment or CommentRow."""
        written_on = getattr(comment, "version_number", None)
        if written_on is None:
            written_on = comment.version.number
        return self.anchor(
            paragraph_id=comment.paragraph_id,
            revision_id=comment.revision_id,
            written_on=written_on,
            quote_exact=comment.quote_exact,
            quote_prefix=comment.quote_prefix,
            quote_suffix=comment.quote_suffix,
            quote_start=comment.quote_start,
            quote_end=comment.quote_end,
        )


def _mapping(version: Version) -> tuple[dict, dict, dict]:
    """(merges, splits, moves) of ``version``: {merged paragraph id: id it went into} in
    force on it (``edition.mapping.merges_of``), {paragraph id: numbers of the versions
    that split a piece off it} and {paragraph id: numbers of the versions that moved it},
    as the published versions of its work (and ``version`` itself, a draft) recorded
    them. One query for a published version."""
    changes = (
        ParagraphChange.objects.filter(
            version__work_id=version.work_id,
            status__in=[ParagraphChange.Status.SPLIT, ParagraphChange.Status.MOVED],
        )
        .exclude(~Q(version_id=version.pk), version__status=Version.Status.DRAFT)
        .order_by()
        .values_list("status", "paragraph_id", "other_id", "version__number")
    )
    merges: dict[int, int] = {}
    if version.is_published:
        own = (
            VersionMerge.objects.filter(version=version)
            .order_by()
            .values_list(Value(MERGED), "paragraph_id", "merged_into_id", Value(version.number))
        )
        changes = changes.union(own, all=True)
    else:
        merges = merges_of(version)
    splits: dict[int, list[int]] = {}
    moves: dict[int, list[int]] = {}
    for status, paragraph_id, other_id, number in changes:
        if status == MERGED:
            merges[paragraph_id] = other_id
        elif status == ParagraphChange.Status.SPLIT:
            splits.setdefault(other_id, []).append(number)
        else:
            moves.setdefault(paragraph_id, []).append(number)
    return merges, splits, moves


def version_wordings(version: Version) -> VersionWordings:
    """The wordings of ``version``, its merges, and the splits and moves up to it: two
    queries, then cached until the edition changes (a published version never changes)."""
    if not version.is_published:  # a draft changes under its editor: never kept
        return _read_wordings(version)
    return remembered(f"anchors:wordings:{version.pk}", [TEXT], partial(_read_wordings, version))


def _read_wordings(version: Version) -> VersionWordings:
    merges, splits, moves = _mapping(version)
    wordings = VersionWordings(
        version.pk, version.number, merges=merges, splits=splits, moves=moves
    )
    entries = VersionParagraph.objects.filter(version_id=version.pk).values_list(
        "paragraph_id", "revision_id", "paragraph__key", "revision__text"
    )
    for paragraph_id, revision_id, key_, text in entries:
        wordings.revisions[paragraph_id] = revision_id
        wordings.keys[paragraph_id] = key_
        wordings.texts[paragraph_id] = text
    return wordings


def carried_into(merges: dict[int, int], paragraph_ids: Iterable[int]) -> dict[int, int]:
    """{merged paragraph id: the paragraph among ``paragraph_ids`` (one version's) that
    shows its comments}, for the merged paragraphs that version does not hold."""
    held = set(paragraph_ids)
    carried = {}
    for merged in merges:
        home = None if merged in held else home_of(merged, held, merges)
        if home is not None:
            carried[merged] = home
    return carried


def merges_shown(version: Version | None, paragraph_ids: Iterable[int]) -> dict[int, int]:
    """The merges in force on ``version``, or, when none is named, on the current version
    of the paragraphs' work."""
    return merges_of(version) if version is not None else merges_now(paragraph_ids)
