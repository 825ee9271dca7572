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
    labels: dict[str, str]  # key -> what readers call the passage ("¶ 4"), escaped


def count_slot(key: str) -> str:
    return f"<!--comment-count:{key}-->"


def rendered_text(version: Version, work: Work, build) -> RenderedText:
    """The text of ``version``; ``build()`` returns (blocks, grouped blocks, toc) on a miss.

    Each block has ``key``, ``paragraph_id`` and ``label`` (what readers call it).

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
    text = RenderedText(
        html,
        toc,
        {block.key: block.paragraph_id for block in blocks},
        {block.key: escape(block.label) for block in blocks},
    )
    if version.is_published:
        cache.set(key, text, timeout=None)
    return text


def fill_count_slots(
    text: RenderedText,
    counts: dict[int, int],
    *,
    permalink_prefix: str,
    reading_path: str,
    query: str,
) -> str:
    """The text with each passage's discussion control: "N comments", or "Comment" at none,
    named for screen readers after the passage ("Comment on ¶ 4").

    Without JavaScript the control opens the reading page with that passage's discussion
    (``?discussion=<key>``, rendered by the server); with htmx it loads the discussion into
    the panel beside the text.
    """
    labels: dict[int, str] = {}
    on_passage = gettext("on %(passage)s")

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
        fragment = f"{permalink_prefix}{key}/discussion/{query}"
        # The passage label is escaped already; the sentence around it is ours.
        name = escape(on_passage).replace("%(passage)s", text.labels.get(key, ""))
        return (
            f'<a class="comment-toggle {css}" href="{reading_path}?discussion={key}#{key}" '
            f'hx-get="{fragment}" hx-target="#discussion-panel" '
            f'aria-controls="discussion-panel" data-discussion-toggle="{key}" '
            f'data-count="{count}"><span class="comment-toggle-label">{label(count)}</span>'
            f'<span class="visually-hidden"> {name}</span></a>'
        )

    return _SLOT.sub(link, text.html)
