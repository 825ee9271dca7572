"""Where a comment stands on a version of the text other than the one it was written on.

A comment keeps its paragraph (the stable key) and the wording its author saw (the revision).
Shown on version N, it is:

- ``current``: N holds the paragraph in that very wording, wherever it moved;
- ``earlier_wording``: N holds the paragraph in another wording;
- ``paragraph_removed``: N does not hold the paragraph. A paragraph merged into another is
  held through the one it went into (following merges of merges): its comments are shown
  there, on that paragraph's wording.

A quoted phrase is looked for again in the wording shown: ``exact`` (the phrase itself; a
repeated one is told apart by its prefix, suffix and position), ``fuzzy`` (the most similar
passage, scored on quote, prefix, suffix and position as the Hypothesis client scores them,
above a threshold), or ``lost`` (the old wording is all there is to show).

Anchoring reads two things of a version, its wordings and the work's merges, cached until
the edition changes: a page anchors any number of comments in a fixed number of queries.
"""

from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.cache import cache
from rapidfuzz import fuzz

from edition.caching import PAGE_TIMEOUT, TEXT, generation
from edition.models import Paragraph, Version, VersionParagraph

CURRENT = "current"
EARLIER_WORDING = "earlier_wording"
PARAGRAPH_REMOVED = "paragraph_removed"
STATES = (CURRENT, EARLIER_WORDING, PARAGRAPH_REMOVED)

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
    comment that quotes nothing; ``quote_now`` is (start, end) in ``shown_on``'s wording."""

    state: str
    quote_state: str | None = None
    score: float | None = None
    quote_now: tuple[int, int] | None = None

    def as_dict(self) -> dict:
        quote_now = None
        if self.quote_now is not None:
            quote_now = {"start": self.quote_now[0], "end": self.quote_now[1]}
        return {
            "state": self.state,
            "quote_state": self.quote_state,
            "score": self.score,
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


def home_of(paragraph_id: int, held: Container[int], merges: dict[int, int]) -> int | None:
    """The paragraph among ``held`` (one version's) that shows comments on ``paragraph_id``:
    itself, or the one it was merged into, following merges of merges; None if neither."""
    seen = set()
    while paragraph_id not in held:
        if paragraph_id in seen or paragraph_id not in merges:
            return None
        seen.add(paragraph_id)
        paragraph_id = merges[paragraph_id]
    return paragraph_id


@dataclass
class VersionWordings:
    """What anchoring needs of one version: the wording of each paragraph it holds, and
    where the work's merged paragraphs went."""

    version_id: int
    number: int
    revisions: dict[int, int] = field(default_factory=dict)  # paragraph id -> revision id
    texts: dict[int, str] = field(default_factory=dict)  # paragraph id -> its text in N
    keys: dict[int, str] = field(default_factory=dict)  # paragraph id -> key, for N's
    merges: dict[int, int] = field(default_factory=dict)  # merged id -> id it went into

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

    def anchor(
        self,
        *,
        paragraph_id: int,
        revision_id: int,
        quote_exact: str = "",
        quote_prefix: str = "",
        quote_suffix: str = "",
        quote_start: int | None = None,
        quote_end: int | None = None,
    ) -> Anchor:
        """Where a comment (its paragraph, wording and quote) stands on this version."""
        home = self.home(paragraph_id)
        if home is None:
            return Anchor(PARAGRAPH_REMOVED, LOST if quote_exact else None)
        if home == paragraph_id and self.revisions[home] == revision_id:
            if not quote_exact:
                return Anchor(CURRENT)
            return Anchor(CURRENT, EXACT, 1.0, (quote_start, quote_end))
        if not quote_exact:
            return Anchor(EARLIER_WORDING)
        found = quote_refind(
            self.texts[home], quote_exact, quote_prefix, quote_suffix, quote_start or 0
        )
        quote_now = (found.start, found.end) if found.start is not None else None
        return Anchor(EARLIER_WORDING, found.state, found.score, quote_now)

    def anchor_of(self, comment) -> Anchor:
        """The anchor of a Comment or CommentRow."""
        return self.anchor(
            paragraph_id=comment.paragraph_id,
            revision_id=comment.revision_id,
            quote_exact=comment.quote_exact,
            quote_prefix=comment.quote_prefix,
            quote_suffix=comment.quote_suffix,
            quote_start=comment.quote_start,
            quote_end=comment.quote_end,
        )


def work_merges(work_id: int) -> dict[int, int]:
    """{merged paragraph id: id of the paragraph it went into} for one work: one query."""
    return dict(
        Paragraph.objects.filter(work_id=work_id, merged_into__isnull=False).values_list(
            "pk", "merged_into_id"
        )
    )


def merges_around(paragraph_ids: Iterable[int]) -> dict[int, int]:
    """``work_merges`` of the work (or works) these paragraphs belong to: one query."""
    works = Paragraph.objects.filter(pk__in=list(paragraph_ids)).values("work_id")
    return dict(
        Paragraph.objects.filter(work_id__in=works, merged_into__isnull=False).values_list(
            "pk", "merged_into_id"
        )
    )


def version_wordings(version: Version) -> VersionWordings:
    """The wordings of ``version`` and its work's merges: two queries, then cached until
    the edition changes (a publication can add merges; a published version never changes)."""
    key = f"anchors:wordings:{version.pk}:{generation(TEXT)}"
    found = cache.get(key)
    if found is not None:
        return found
    wordings = VersionWordings(version.pk, version.number, merges=work_merges(version.work_id))
    entries = VersionParagraph.objects.filter(version_id=version.pk).values_list(
        "paragraph_id", "revision_id", "paragraph__key", "revision__text"
    )
    for paragraph_id, revision_id, key_, text in entries:
        wordings.revisions[paragraph_id] = revision_id
        wordings.keys[paragraph_id] = key_
        wordings.texts[paragraph_id] = text
    if version.is_published:
        cache.set(key, wordings, PAGE_TIMEOUT)
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
