"""Headings nested by level: the one algorithm behind every contents the reading pages show
(an undivided text's contents, and each chapter's sections in a divided work's).

What it returns is pickled into the cache with a published version's text and contents
(``edition.rendering.TEXT_MARKUP_REVISION``, ``edition.pages.chapters.CONTENTS_REVISION``):
bump those when ``Heading`` changes shape.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol


class HasHeading(Protocol):
    key: str
    text: str
    level: int | None


@dataclass
class Heading:
    """A heading in the contents: its passage ``key``, its words, its ``level`` (the tag
    level the page gives it) and the headings nested under it."""

    key: str
    text: str
    level: int
    children: list["Heading"] = field(default_factory=list)


def nest_headings(headings: Iterable[HasHeading]) -> list[Heading]:
    """The top-level headings of ``headings`` (in order, headings only), each holding the
    ones below it; a skipped level nests one step deeper, not two."""
    root = Heading(key="", text="", level=0)
    open_headings = [root]
    for block in headings:
        heading = Heading(block.key, block.text, block.level or 0)
        while open_headings[-1].level >= heading.level:
            open_headings.pop()
        open_headings[-1].children.append(heading)
        open_headings.append(heading)
    return root.children
