"""Reads of the edition that the pages and the API share: a version's passages in reading
order, a paragraph's history across the published versions, two versions compared.

Each costs one query whatever the length of the text. None of them checks who is asking:
callers fetch the version or paragraph through ``edition.access`` first, which applies the
reading rule.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.core.cache import cache
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.safestring import SafeString

from edition.alignment import word_diff
from edition.inline import passage_html
from edition.mapping import merged_into_key, splits_between
from edition.models import BlockKind, Paragraph, ParagraphChange, Version, VersionParagraph

COMPARISON_STATUSES = ("unchanged", "edited", "moved", "split", "new", "removed")


@dataclass(frozen=True)
class VersionRow:
    """One passage of a version, in reading order."""

    paragraph_id: int
    key: str
    position: int
    kind: str
    level: int | None
    text: str
    # Its place among the version's non-heading passages, as a book numbers paragraphs;
    # None for a heading, which takes no number.
    number: int | None
    markup: str = ""

    @property
    def html(self) -> SafeString:
        """Safe HTML of the passage's content (see ``edition.inline``)."""
        return passage_html(self.kind, self.text, self.markup)


def version_rows(version: Version) -> list[VersionRow]:
    """The passages of ``version`` in order, numbered."""
    entries = (
        VersionParagraph.objects.filter(version=version)
        .order_by("position")
        .values_list(
            "paragraph_id",
            "paragraph__key",
            "position",
            "revision__kind",
            "revision__level",
            "revision__text",
            "revision__markup",
        )
    )
    rows, number = [], 0
    for paragraph_id, key, position, kind, level, text, markup in entries:
        if kind != BlockKind.HEADING:
            number += 1
        rows.append(
            VersionRow(
                paragraph_id,
                key,
                position,
                kind,
                level,
                text,
                None if kind == BlockKind.HEADING else number,
                markup,
            )
        )
    return rows


@dataclass
class Wording:
    """One wording of a paragraph and the published versions that carry it, in order."""

    kind: str
    level: int | None
    text: str
    checksum: str
    version_numbers: list[int]
    is_current: bool = False


@dataclass
class ParagraphHistory:
    """A paragraph across the published versions.

    ``entries`` are its VersionParagraphs in published versions, oldest first, each with
    its version and revision; ``current`` is the one in the work's current version, None
    when the passage is no longer in it. ``wordings`` are its distinct wordings in the order
    they first appeared.
    """

    entries: list[VersionParagraph]
    wordings: list[Wording]
    current: VersionParagraph | None


def paragraph_history(paragraph: Paragraph) -> ParagraphHistory:
    """``paragraph``'s history; ``paragraph.work`` must be loaded.

    Identical wordings share one revision, so grouping by revision groups them: a wording
    that comes back after an edit lists both versions.
    """
    entries = list(
        VersionParagraph.objects.published()
        .filter(paragraph=paragraph)
        .select_related("version", "revision")
        .order_by("version__number")
    )
    current_version_id = paragraph.work.current_version_id
    wordings: dict[int, Wording] = {}
    current = None
    for entry in entries:
        revision = entry.revision
        wording = wordings.setdefault(
            entry.revision_id,
            Wording(revision.kind, revision.level, revision.text, revision.checksum, []),
        )
        wording.version_numbers.append(entry.version.number)
        if entry.version_id == current_version_id:
            wording.is_current = True
            current = entry
    return ParagraphHistory(entries, list(wordings.values()), current)


@dataclass(frozen=True)
class ParagraphEvent:
    """One thing a published version did to a paragraph, as its import recorded it.

    ``status`` is a ParagraphChange status seen from this paragraph (edited, moved, split —
    it began as a piece split off ``other_key`` —, merged — into ``other_key`` —, restored,
    new, removed), or ``split_off`` (a piece of it became ``other_key``) or ``absorbed``
    (``other_key`` was merged into it).
    """

    version_number: int
    status: str
    other_key: str | None
    score: float


def paragraph_events(paragraph: Paragraph) -> list[ParagraphEvent]:
    """What the published versions did to ``paragraph``, oldest first, in one query; a
    draft's changes are left out until it is published."""
    changes = (
        ParagraphChange.objects.filter(Q(paragraph=paragraph) | Q(other=paragraph))
        .filter(version__status=Version.Status.PUBLISHED)
        .order_by("version__number", "pk")
        .values_list(
            "version__number", "status", "paragraph_id", "paragraph__key", "other__key", "score"
        )
    )
    events = []
    for number, status, paragraph_id, key, other_key, score in changes:
        if paragraph_id == paragraph.pk:
            events.append(ParagraphEvent(number, status, other_key, score))
        else:
            seen_from_other = "split_off" if status == ParagraphChange.Status.SPLIT else "absorbed"
            events.append(ParagraphEvent(number, seen_from_other, key, score))
    return events


@dataclass(frozen=True)
class RemovedPassage:
    """A paragraph a published version took out of the text: ``merged_into`` is the key of
    the paragraph it went into, None when it was simply removed."""

    key: str
    merged_into: str | None


def passages_removed(version: Version) -> list[RemovedPassage]:
    """The paragraphs ``version`` removed or merged away, in key order; none for a draft,
    whose changes readers do not see.

    A published version never changes, so its list is read once (one query) and cached
    for good: the reading page stays within its query budget.
    """
    if not version.is_published:
        return []
    key = f"passages-removed:{version.pk}"
    removed = cache.get(key)
    if removed is None:
        removed = _read_passages_removed(version)
        cache.set(key, removed, timeout=None)
    return removed


def _read_passages_removed(version: Version) -> list[RemovedPassage]:
    changes = (
        ParagraphChange.objects.filter(
            version=version,
            status__in=[ParagraphChange.Status.REMOVED, ParagraphChange.Status.MERGED],
        )
        .order_by("paragraph__ordinal")
        .values_list("paragraph__key", "status", "other__key")
    )
    return [
        RemovedPassage(key, other_key if status == ParagraphChange.Status.MERGED else None)
        for key, status, other_key in changes
    ]


def comparison_rows(version_a: Version, version_b: Version) -> list[dict]:
    """Every paragraph of either version, in b's order; a removed one follows the paragraph
    it followed in a. Edited paragraphs (same key, another revision) carry a word diff.

    A paragraph in both versions is *moved* when its place changed relative to the others:
    the longest run of common paragraphs that keep their order stays put, and the rest
    moved (a moved paragraph whose wording changed too carries its diff as well).

    A row holds ``key``, ``status`` (one of ``COMPARISON_STATUSES``), ``position_a`` and
    ``position_b`` (None where it is absent), ``kind`` and ``level`` (in b, or in a when
    removed), ``old_text`` and ``new_text``, ``diff`` (``[{"op", "text"}]`` for an edited
    or moved paragraph whose wording changed, else None), ``merged_into`` (for a removed
    paragraph b shows merged into another, that one's key) and ``split_from`` (for a
    paragraph split off one of a's by a version after a up to b, that one's key: its status
    is then ``split``, where a paragraph b adds otherwise is ``new``).

    What b maps (its merges, the splits up to it) is b's own record (``edition.mapping``),
    so a later version changes nothing of a comparison.
    One query.
    """
    paragraph = OuterRef("paragraph_id")
    merged_into = merged_into_key(version_b, paragraph)
    split_from = Subquery(
        splits_between(version_a, version_b).filter(paragraph_id=paragraph).values("other__key")[:1]
    )
    entries = VersionParagraph.objects.filter(version__in=[version_a, version_b]).values(
        "version_id",
        "position",
        "revision_id",
        key=F("paragraph__key"),
        merged_into=merged_into,
        split_from=split_from,
        kind=F("revision__kind"),
        level=F("revision__level"),
        text=F("revision__text"),
    )
    side_a: dict[str, dict] = {}
    side_b: dict[str, dict] = {}
    for entry in entries:
        # Both branches when a == b: every paragraph is then unchanged.
        if entry["version_id"] == version_a.pk:
            side_a[entry["key"]] = entry
        if entry["version_id"] == version_b.pk:
            side_b[entry["key"]] = entry

    order = {key: (entry["position"], 0, 0) for key, entry in side_b.items()}
    anchor = 0
    for key, entry in sorted(side_a.items(), key=lambda item: item[1]["position"]):
        if key in side_b:
            anchor = side_b[key]["position"]
        else:
            order[key] = (anchor, 1, entry["position"])

    moved = _moved_keys(side_a, side_b)
    rows = []
    for key in sorted(order, key=order.__getitem__):
        old, new = side_a.get(key), side_b.get(key)
        if old and new:
            same = old["revision_id"] == new["revision_id"]
            status = "moved" if key in moved else "unchanged" if same else "edited"
        else:
            status = "new" if new else "removed"
        shown = new or old
        merged_into = old["merged_into"] if status == "removed" else None
        # A piece split off a paragraph a holds; one split off a passage a lacks is new.
        split_from = new["split_from"] if status == "new" else None
        if split_from is not None and split_from in side_a:
            status = "split"
        else:
            split_from = None
        rows.append(
            {
                "key": key,
                "status": status,
                "position_a": old["position"] if old else None,
                "position_b": new["position"] if new else None,
                "kind": shown["kind"],
                "level": shown["level"],
                "old_text": old["text"] if old else None,
                "new_text": new["text"] if new else None,
                "diff": (
                    [{"op": op, "text": text} for op, text in word_diff(old["text"], new["text"])]
                    if old and new and old["revision_id"] != new["revision_id"]
                    else None
                ),
                "merged_into": merged_into,
                "split_from": split_from,
            }
        )
    return rows


def _moved_keys(side_a: dict[str, dict], side_b: dict[str, dict]) -> set[str]:
    """Keys of the paragraphs in both versions that are not in the longest run of them kept
    in the same order."""
    common = side_a.keys() & side_b.keys()
    in_a = sorted(common, key=lambda key: side_a[key]["position"])
    in_b = sorted(common, key=lambda key: side_b[key]["position"])
    kept: set[str] = set()
    for block in SequenceMatcher(None, in_a, in_b, autojunk=False).get_matching_blocks():
        kept.update(in_a[block.a : block.a + block.size])
    return common - kept


def comparison_summary(rows: list[dict]) -> dict[str, int]:
    """How many rows of a comparison have each status, every status present."""
    summary = dict.fromkeys(COMPARISON_STATUSES, 0)
    for row in rows:
        summary[row["status"]] += 1
    return summary
