"""The text of a published version, rendered once and reused by every reader.

A published version never changes, so its HTML is cached whole. What does change per
reader, the comment count of each passage, is left out as a slot (an HTML comment, which
escaped text can never produce) and filled in per request by ``fill_count_slots``: one
string substitution instead of rendering a thousand template fragments.
"""

import re
from dataclasses import dataclass
from html import escape

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext, ngettext

from edition.models import Version, Work

# Bump when the text templates change shape, so no server serves the old markup.
TEXT_MARKUP_REVISION = 2
_SLOT = re.compile(r"<!--comment-count:(p\d+)-->")


@dataclass
class RenderedText:
    html: str
    toc: list
    paragraph_ids: dict[str, int]  # key -> paragraph id, for the counts


def count_slot(key: str) -> str:
    return f"<!--comment-count:{key}-->"


def rendered_text(version: Version, work: Work, build) -> RenderedText:
    """The text of ``version``; ``build()`` returns (blocks, grouped blocks, toc) on a miss.

    Drafts are rendered afresh every time: they can still change.
    """
    key = f"version-text:{version.pk}:{TEXT_MARKUP_REVISION}:{get_language()}"
    if version.is_published:
        found = cache.get(key)
        if found is not None:
            return found
    blocks, grouped, toc = build()
    html = render_to_string(
        "edition/work_detail_text.html", {"blocks": grouped, "work": work, "version": version}
    )
    text = RenderedText(html, toc, {block.key: block.paragraph_id for block in blocks})
    if version.is_published:
        cache.set(key, text, timeout=None)
    return text


def fill_count_slots(
    text: RenderedText, counts: dict[int, int], *, permalink_prefix: str, query: str
) -> str:
    """The text with each passage's count link: "N comments", or "Comment" at none.

    The link opens the passage's page; with htmx it loads the discussion beside the text.
    """
    labels: dict[int, str] = {}

    def label(count: int) -> str:
        if count not in labels:
            labels[count] = escape(
                ngettext("%(count)d comment", "%(count)d comments", count) % {"count": count}
                if count
                else gettext("Comment")
            )
        return labels[count]

    def link(match: re.Match) -> str:
        key = match.group(1)
        count = counts.get(text.paragraph_ids.get(key), 0)
        css = "comment-count" if count else "comment-add"
        href = f"{permalink_prefix}{key}/"
        return (
            f'<a class="{css}" href="{href}" hx-get="{href}discussion/{query}" '
            f'hx-target="#discussion-{key}" aria-controls="discussion-{key}" '
            f'data-discussion-toggle="{key}">{label(count)}</a>'
        )

    return _SLOT.sub(link, text.html)
