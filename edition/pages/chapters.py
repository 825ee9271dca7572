"""The contents of a work divided into chapters, and the way from one chapter to the next.

Every chapter's page and the title page show the same contents: the chapters, each with its
sections nested and folded (the reader's chapter open). The sections of a published version
are read once and kept (one query on a miss, none after); the addresses are made per page,
since they carry the version's address and the reader's layer of the discussion.
"""

import hashlib
import re
from dataclasses import dataclass
from functools import wraps
from html import escape

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from edition.contents import Heading, nest_headings
from edition.models import BlockKind, Version
from edition.parts import NoSuchPart, Part, VersionParts, part_url

# Bump when what the contents keep changes shape (2: sections are edition.contents.Heading;
# 3: the title page's contents leave a slot for each chapter's count).
CONTENTS_REVISION = 3


@dataclass
class ChapterEntry:
    """A chapter in the contents: ``url`` its page (with the layer's query, no anchor),
    ``current`` whether it is the page being read."""

    number: int
    slug: str
    title: str
    url: str
    sections: list[Heading]
    current: bool = False


@dataclass
class ChapterNavigation:
    """What a page of a divided work receives: the ``entries`` of the contents, the
    ``current`` one (None on the title page), and its ``previous`` and ``next`` (None at
    either end; the title page's ``next`` is the first chapter)."""

    entries: list[ChapterEntry]
    current: ChapterEntry | None
    previous: ChapterEntry | None
    next: ChapterEntry | None
    contents_html: str = ""  # the contents rendered (edition/chapter_contents.html)

    @property
    def count(self) -> int:
        return len(self.entries)


def chapter_sections(version: Version, parts: VersionParts, read_rows=None) -> list[list[Heading]]:
    """The sections of each part of ``version``, nested by level, the part's own opening
    headings left out (they are its title)."""
    key = f"version-sections:{version.pk}:{CONTENTS_REVISION}"
    if version.is_published:
        found = cache.get(key)
        if found is not None:
            return found
    # Imported here: the reading page's module imports this one.
    from edition.pages.views import read_version_blocks

    blocks = read_version_blocks(version, read_rows)
    sections = []
    for part in parts.parts:
        headings = [block for block in blocks[part.start : part.end] if _is_heading(block)]
        top = min((block.level for block in headings), default=0)
        opening = 0
        while opening < len(headings) and headings[opening].level == top:
            opening += 1
        sections.append(nest_headings(headings[opening:]))
    if version.is_published:
        cache.set(key, sections, timeout=None)
    return sections


def _is_heading(block) -> bool:
    return block.kind == BlockKind.HEADING


def chapter_navigation(
    version: Version,
    parts: VersionParts,
    version_url: str,
    current: Part | None,
    layer_query: str = "",
    read_rows=None,
) -> ChapterNavigation:
    """The contents of ``version`` (read at ``version_url``) and the chapters around
    ``current`` (None: the title page)."""
    query = f"?{layer_query}" if layer_query else ""
    sections = chapter_sections(version, parts, read_rows)
    entries = [
        ChapterEntry(
            part.number,
            part.slug,
            part.title,
            f"{part_url(version_url, part, parts)}{query}",
            part_sections,
            current is not None and part.number == current.number,
        )
        for part, part_sections in zip(parts.parts, sections, strict=True)
    ]
    if current is None:
        navigation = ChapterNavigation(entries, None, None, entries[0] if entries else None)
    else:
        index = current.number - 1
        navigation = ChapterNavigation(
            entries,
            entries[index],
            entries[index - 1] if index > 0 else None,
            entries[index + 1] if index + 1 < len(entries) else None,
        )
    navigation.contents_html = _contents_html(version, navigation, version_url, layer_query)
    return navigation


def _contents_html(
    version: Version, navigation: ChapterNavigation, version_url: str, layer_query: str
) -> SafeString:
    """The contents as HTML: the same for every reader of a page, rendered once (a book's
    contents run to two hundred entries) and kept for a published version."""
    current = navigation.current.slug if navigation.current else ""
    shape = "\n".join([version_url, layer_query, current, get_language() or ""])
    digest = hashlib.sha256(shape.encode()).hexdigest()[:32]
    key = f"version-contents:{version.pk}:{CONTENTS_REVISION}:{digest}"
    if version.is_published:
        found = cache.get(key)
        if found is not None:
            return mark_safe(found)
    html = render_to_string("edition/chapter_contents.html", {"chapters": navigation})
    if version.is_published:
        cache.set(key, str(html), timeout=None)
    return mark_safe(html)


def says_which_chapter_is_missing(view):
    """``view``, its ``edition.parts.NoSuchPart`` (a ``?chapter=`` the version lacks)
    answered as the site's 404 page saying so."""

    @wraps(view)
    def wrapper(request, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NoSuchPart as missing:
            return render(request, "404.html", {"missing": missing.message}, status=404)

    return wrapper


_COUNT_SLOT = re.compile(r"<!--chapter-count:([-\w]+)-->")


def fill_chapter_counts(
    contents_html: str,
    counts: dict[str, int],
    layer_counts: dict[str, int] | None = None,
    layer_name: str = "",
) -> SafeString:
    """The title page's contents with each chapter's comment count in its slot: "12
    comments" (none shown at none); in a layer (``layer_counts``, a reading group's named
    ``layer_name``) the public count and the layer's apart, "12 · 3 in group"."""

    def count(match: re.Match) -> str:
        slug = match.group(1)
        public = counts.get(slug, 0)
        if layer_counts is None:
            if not public:
                return ""
            said = ngettext("%(count)d comment", "%(count)d comments", public) % {"count": public}
            return f' <span class="contents-count">{escape(said)}</span>'
        in_layer = layer_counts.get(slug, 0)
        if not public and not in_layer:
            return ""
        spoken = gettext("%(public)s, %(layer)s") % {
            "public": ngettext("%(count)d public comment", "%(count)d public comments", public)
            % {"count": public},
            "layer": gettext("%(count)d in %(layer)s") % {"count": in_layer, "layer": layer_name},
        }
        shown = gettext("%(public)d · %(layer)d in group") % {"public": public, "layer": in_layer}
        return (
            f' <span class="contents-count"><span aria-hidden="true">{escape(shown)}</span>'
            f'<span class="visually-hidden">{escape(spoken)}</span></span>'
        )

    return mark_safe(_COUNT_SLOT.sub(count, contents_html))
