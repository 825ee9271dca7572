"""A work's parts: the chapters its top-level headings divide it into.

The top level is the highest heading level the text uses. A part begins at a top-level
heading that follows the body of the part before it; top-level headings that follow one
another with nothing between them open one part together ("Chapter One" and then its
title, as the seed has them), and what comes before the first heading belongs to the first
part. A text with fewer than two parts is read as one page, as it always was.

Each part has a ``slug`` for its address (``/works/<slug>/<part>/``), made from its first
heading's words and unique within the version, and the ``key`` of that heading: a stable
paragraph key that names the part across versions for the caches.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.text import slugify

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
