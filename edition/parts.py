"""A work's parts: the chapters its top-level headings divide it into.

The top level is the highest heading level the text uses. A part begins at a top-level
heading that follows the body of the part before it; top-level headings that follow one
another with nothing between them open one part together ("Chapter One" and then its
title, as the seed has them), and what comes before the first heading belongs to the first
part. A text with fewer than two parts is read as one page, as it always was.

Each part has a ``slug`` for its address (``/works/<slug>/<part>/``), made from its first
heading's words and unique within the version; the page cache keys a chapter's counts by it
(``passage_part_slugs`` says which chapters a change to a passage's discussion shows in).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from django.core.cache import cache
from django.utils.text import slugify

from edition.models import Version, VersionParagraph
from edition.reading import version_rows

HEADING = "heading"

# Words the work's own addresses use right after the work's slug (or a version's number):
# a part never takes one of them as its slug, so it never hides another page.
RESERVED_SLUGS = frozenset(
    {
        "v",
        "p",
        "compare",
        "revise",
        "review",
        "publish",
        "discard",
        "comments",
        "import",
        "imports",
        "export",
        "annotations",
        "versions",
        "paragraphs",
        "place",
    }
)


class HasKindAndLevel(Protocol):
    kind: str
    level: int | None
    text: str


@dataclass(frozen=True)
class PartBounds:
    """One part: ``start`` and ``end`` index the blocks (end exclusive); ``title`` is the
    words of its opening top-level headings joined ("Chapter Two: The world in 1945")."""

    start: int
    end: int
    title: str
    heading_index: int | None  # index of its first top-level heading; None for none


def top_level(blocks: Sequence[HasKindAndLevel]) -> int | None:
    levels = [block.level or 1 for block in blocks if block.kind == HEADING]
    return min(levels, default=None)


def part_bounds(blocks: Sequence[HasKindAndLevel]) -> list[PartBounds]:
    """The parts of ``blocks`` in order; one part (or none for no blocks) when the text has
    fewer than two."""
    top = top_level(blocks)
    starts: list[int] = []
    previous_was_top = False
    for index, block in enumerate(blocks):
        is_top = block.kind == HEADING and (block.level or 1) == top
        if is_top and not previous_was_top:
            starts.append(index)
        previous_was_top = is_top
    if not blocks:
        return []
    if not starts or starts[0] != 0:
        # Blocks before the first heading open the first part.
        starts = [0, *starts[1:]] if starts else [0]
    bounds = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(blocks)
        titles, heading_index = [], None
        for index in range(start, end):
            block = blocks[index]
            if block.kind == HEADING and (block.level or 1) == top:
                heading_index = index if heading_index is None else heading_index
                titles.append(block.text.strip().rstrip(":."))
            elif titles:
                break
        bounds.append(PartBounds(start, end, ": ".join(titles), heading_index))
    return bounds


def part_slugs(titles: Sequence[str]) -> list[str]:
    """An address for each title: its first words slugified (the chapter's label, not its
    whole title), unique, never a reserved word or a bare number."""
    slugs: list[str] = []
    taken: set[str] = set()
    for number, title in enumerate(titles, start=1):
        label = title.split(":")[0]
        slug = slugify(label)[:60].strip("-") or f"part-{number}"
        if slug in RESERVED_SLUGS or slug.isdigit():
            slug = f"part-{slug}"
        candidate, suffix = slug, 2
        while candidate in taken:
            candidate, suffix = f"{slug}-{suffix}", suffix + 1
        taken.add(candidate)
        slugs.append(candidate)
    return slugs


# Bump when what ``version_parts`` keeps changes shape (2: the paragraph ids of each part).
PARTS_REVISION = 2


@dataclass(frozen=True)
class Part:
    """One part of a version: its ``number`` (from 1), ``slug``, ``title``, the blocks it
    holds (``start``, ``end`` in reading order) and the key of its first heading."""

    number: int
    slug: str
    title: str
    start: int
    end: int
    heading_key: str | None


@dataclass(frozen=True)
class VersionParts:
    """The parts of a version; for each passage key, the number of the part holding it;
    and the paragraph ids of each part's passages (what its counts count)."""

    parts: tuple[Part, ...]
    part_of: dict[str, int]
    paragraph_ids: tuple[tuple[int, ...], ...] = ()

    @property
    def is_divided(self) -> bool:
        return len(self.parts) > 1

    def by_slug(self, slug: str) -> Part | None:
        return next((part for part in self.parts if part.slug == slug), None)

    def counted(self) -> list[tuple[str, tuple[int, ...]]]:
        """[(part slug, its paragraph ids)]: what the parts' comment counts count."""
        return [(part.slug, ids) for part, ids in zip(self.parts, self.paragraph_ids, strict=True)]

    def of_key(self, key: str) -> Part | None:
        number = self.part_of.get(key)
        return self.parts[number - 1] if number is not None else None


def divide(rows: Sequence) -> VersionParts:
    """The parts of ``rows`` (a version's passages in order, each with ``key``, ``kind``,
    ``level`` and ``text``)."""
    bounds = part_bounds(rows)
    slugs = part_slugs([bound.title for bound in bounds])
    parts, part_of, paragraph_ids = [], {}, []
    for number, (bound, slug) in enumerate(zip(bounds, slugs, strict=True), start=1):
        heading = rows[bound.heading_index].key if bound.heading_index is not None else None
        parts.append(Part(number, slug, bound.title, bound.start, bound.end, heading))
        for row in rows[bound.start : bound.end]:
            part_of[row.key] = number
        paragraph_ids.append(tuple(row.paragraph_id for row in rows[bound.start : bound.end]))
    return VersionParts(tuple(parts), part_of, tuple(paragraph_ids))


class _ReviewBlock(NamedTuple):
    key: str
    kind: str
    level: int | None
    text: str
    paragraph_id: None = None


def review_parts(rows: Sequence) -> dict[str, Part]:
    """The chapter of a draft each row of its review falls in (``edition.drafts.ReviewRow``
    in the review's order): the draft's own chapters, and for a passage the draft no longer
    holds, the chapter of the row before it. Empty for a draft not divided into chapters.
    No query: the review holds every wording."""
    held = sorted((row for row in rows if row.position_new is not None), key=_new_position)
    parts = divide([_ReviewBlock(row.key, row.kind, row.level, row.new_text or "") for row in held])
    if not parts.is_divided:
        return {}
    chapter_of, current = {}, parts.parts[0]
    for row in rows:
        if row.position_new is not None:
            current = parts.of_key(row.key) or current
        chapter_of[row.key] = current
    return chapter_of


def _new_position(row) -> int:
    return row.position_new


def version_parts(version, read_rows=None) -> VersionParts:
    """The parts of ``version``: one query, none once a published version's are cached
    (a published version never changes). ``read_rows()``, when given, returns the
    version's rows (``edition.reading.version_rows``) that a caller reads anyway."""
    key = f"version-parts:{version.pk}:{PARTS_REVISION}"
    if version.is_published:
        found = cache.get(key)
        if found is not None:
            return found
    parts = divide(read_rows() if read_rows else version_rows(version))
    if version.is_published:
        cache.set(key, parts, timeout=None)
    return parts


def part_url(reading_url: str, part: Part | None, parts: VersionParts) -> str:
    """The address of ``part`` under the version's reading address ``reading_url`` (the
    work's, or a version's): the reading address itself for an undivided text."""
    if part is None or not parts.is_divided:
        return reading_url
    return f"{reading_url}{part.slug}/"


def passage_reading_url(version, key: str, *, current: bool) -> str:
    """Where the passage ``key`` of ``version`` is read: the page of its part (the work's
    own for its ``current`` version, else the version's); ``version.work`` loaded."""
    reading_url = version.work.get_absolute_url() if current else version.get_absolute_url()
    parts = version_parts(version)
    return part_url(reading_url, parts.of_key(key), parts)


def passage_part_slugs(work, key: str) -> set[str]:
    """The slugs of the parts (chapters) that hold passage ``key`` in the published
    versions of ``work``: where a change to its discussion shows. One query, and one per
    published version whose parts are not kept yet."""
    slugs = set()
    for version in Version.objects.published().filter(work=work):
        parts = version_parts(version)
        if parts.is_divided and (part := parts.of_key(key)) is not None:
            slugs.add(part.slug)
    return slugs


# The query parameter that scopes a surface of a work (its exports, its annotations, a
# comparison of two versions) to one of its chapters, by the chapter's slug.
CHAPTER_PARAMETER = "chapter"


class NoSuchPart(LookupError):
    """A chapter the version does not have, or any chapter of a text not divided into
    chapters: ``message`` says which, for the 404."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def chosen_part(version, slug: str | None) -> Part | None:
    """The part of ``version`` with ``slug`` (None for no ``slug``: the whole work); raises
    ``NoSuchPart``."""
    if slug is None:
        return None
    parts = version_parts(version)
    if not parts.is_divided:
        raise NoSuchPart("This work is not divided into chapters.")
    part = parts.by_slug(slug)
    if part is None:
        raise NoSuchPart(f"This version has no chapter “{slug[:80]}”.")
    return part


def part_keys(version, part: Part) -> list[str]:
    """The keys of the passages of ``part`` of ``version``, in reading order; no query once
    a published version's parts are kept."""
    parts = version_parts(version)
    return [key for key, number in parts.part_of.items() if number == part.number]


def comparison_in_part(rows: list[dict], version_a, version_b, slug: str) -> list[dict]:
    """The rows of a comparison of ``version_a`` and ``version_b``
    (``edition.reading.comparison_rows``) that belong to the chapter ``slug``: a passage
    b holds, when it is in b's chapter of that slug; one b removed, when it was in a's.
    Raises ``NoSuchPart`` when neither version has that chapter."""
    keys = {}
    missing = None
    for side, version in (("b", version_b), ("a", version_a)):
        try:
            keys[side] = set(part_keys(version, chosen_part(version, slug)))
        except NoSuchPart as error:
            missing, keys[side] = missing or error, set()
    if not keys["a"] and not keys["b"]:
        raise missing
    return [
        row
        for row in rows
        if row["key"] in (keys["b"] if row["position_b"] is not None else keys["a"])
    ]


def part_title(slug: str, *versions) -> str:
    """The title of the chapter ``slug`` in the first of ``versions`` that has it, or ""."""
    for version in versions:
        parts = version_parts(version)
        part = parts.by_slug(slug) if parts.is_divided else None
        if part is not None:
            return part.title
    return ""


@dataclass(frozen=True)
class Chapter:
    """One part of one version, as the scope of a list or a search: what is on it is what is
    on the paragraphs it holds in that version."""

    version: Version
    part: Part

    @property
    def slug(self) -> str:
        return self.part.slug

    @property
    def title(self) -> str:
        return self.part.title

    def paragraph_ids(self):
        """The ids of the paragraphs the part holds, as a subquery (one query with what it
        narrows): the version's passages in reading order, from the part's first to its
        last."""
        return (
            VersionParagraph.objects.filter(version=self.version)
            .order_by("position")
            .values("paragraph_id")[self.part.start : self.part.end]
        )


def find_chapter(version: Version, slug: str) -> Chapter | None:
    """The chapter of ``version`` whose address word is ``slug``; None for none, and for
    any slug of a text not divided into chapters (it has no chapter pages)."""
    try:
        return Chapter(version, chosen_part(version, slug))
    except NoSuchPart:
        return None
