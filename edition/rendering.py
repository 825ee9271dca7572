"""The text of a published version, rendered once and reused by every reader.

A published version never changes, so its HTML is cached whole. What does change per
reader, the comment count of each passage, is left out as a slot (an HTML comment, which
escaped text can never produce) and filled in per request by ``fill_count_slots``: one
string substitution instead of rendering a thousand template fragments.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext, ngettext

from edition.models import Version, Work

# Bump when the text templates change shape, so no server serves the old markup, or when
# what is kept of a page does (3: ``RenderedText``'s ``toc`` is edition.contents.Heading;
# 4: edition.pages.shared_page keeps its pages split and encoded).
TEXT_MARKUP_REVISION = 4
_SLOT = re.compile(r"<!--comment-count:(p\d+)-->")


@dataclass
class RenderedText:
    html: str
    toc: list
    paragraph_ids: dict[str, int]  # key -> paragraph id, for the counts
    labels: dict[str, str]  # key -> what readers call the passage ("¶ 4"), escaped


def rendered_text(version: Version, work: Work, build, part: str = "") -> RenderedText:
    """The text of ``version``, or of its part (chapter) with the slug ``part``; ``build()``
    returns (blocks, grouped blocks, toc) of that text on a miss.

    Each block has ``key``, ``paragraph_id`` and ``label`` (what readers call it).

    Drafts are rendered afresh every time: they can still change.
    """
    key = f"version-text:{version.pk}:{TEXT_MARKUP_REVISION}:{get_language()}:{part}"
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


@dataclass(frozen=True)
class CountLabels:
    """What a passage's discussion control says: ``visible`` on screen, ``spoken`` (its
    accessible name, the passage label left out) for screen readers. In a layer, ``visible``
    is the public count and ``layer`` the group's ("2 in group")."""

    visible: str
    layer: str = ""
    spoken: str = ""


def count_labels(
    count: int, layer_count: int | None = None, layer_name: str = "", waiting: int = 0
) -> CountLabels:
    """The labels of a discussion control with ``count`` comments; in a layer (``layer_count``
    not None) with the public count and the layer's apart: "3 · 2 in group", named
    "3 public comments, 2 in Tuesday reading group". Where the layer shows its comments
    only once the reader writes (``waiting`` of them, none shown), it says so, as the
    discussion does: "1 in group once you post"."""
    if layer_count is None:
        visible = (
            ngettext("%(count)d comment", "%(count)d comments", count) % {"count": count}
            if count
            else gettext("Comment")
        )
        return CountLabels(visible, spoken=visible)
    if not count and not layer_count and not waiting:
        return CountLabels(gettext("Comment"), spoken=gettext("Comment"))
    public = ngettext("%(count)d public comment", "%(count)d public comments", count) % {
        "count": count
    }
    if waiting and not layer_count:
        in_layer = ngettext(
            "%(count)d in %(layer)s, which appears once you post yours",
            "%(count)d in %(layer)s, which appear once you post yours",
            waiting,
        ) % {"count": waiting, "layer": layer_name}
        return CountLabels(
            str(count),
            layer=gettext("%(count)d in group once you post") % {"count": waiting},
            spoken=gettext("%(public)s, %(layer)s") % {"public": public, "layer": in_layer},
        )
    in_layer = gettext("%(count)d in %(layer)s") % {"count": layer_count, "layer": layer_name}
    return CountLabels(
        str(count),
        layer=gettext("%(count)d in group") % {"count": layer_count},
        spoken=gettext("%(public)s, %(layer)s") % {"public": public, "layer": in_layer},
    )


# The escaped labels of the counts seen, by language, layer name and numbers: the same few
# hundred serve every page, and translating them was most of filling a page's margin.
_escaped_labels: dict[tuple, CountLabels] = {}
_ESCAPED_LABELS_KEPT = 10_000
# The links made, by everything they are made of (``count_links``): the page's addresses,
# layer and language, then the passage's key, label and numbers. A page's margin is mostly
# the same links at each request, and writing a hundred of them was most of filling it.
# Some 600 bytes each.
_links_made: dict[tuple, str] = {}
_LINKS_KEPT = 20_000


def count_links(
    text: RenderedText,
    counts: dict[int, int],
    *,
    permalink_prefix: str,
    reading_path: str,
    query: str,
    layer_counts: dict[int, int] | None = None,
    layer_waiting: dict[int, int] | None = None,
    layer_name: str = "",
    layer_query: str = "",
    encoded: bool = False,
) -> Callable[[str], str | bytes]:
    """The discussion control of a passage of ``text``, by its key, as ``fill_count_slots``
    writes it: "N comments", or "Comment" at none, named for screen readers after the
    passage ("Comment on ¶ 4").

    Without JavaScript the control opens the reading page with that passage's discussion
    (``?discussion=<key>``, rendered by the server); with htmx it loads the discussion into
    the panel beside the text.

    In a layer of the discussion (``layer_counts``, a reading group's, named ``layer_name``
    and in the address as ``layer_query``) the control shows the public count and the
    layer's apart ("3 · 2 in group"), and both addresses keep the layer; where the layer
    waits for the reader to write first (``layer_waiting``), it says how many comments
    appear then ("0 · 1 in group once you post").

    ``encoded``: the links in UTF-8, for a page kept encoded (``edition.pages.shared_page``).
    """
    language = get_language()
    on_passage = gettext("on %(passage)s")
    layered = layer_counts is not None
    # Query strings in attributes: their "&" escaped.
    page_query = f"{escape(layer_query)}&amp;" if layer_query else ""
    fragment_query = "&amp;".join(escape(part) for part in (query.lstrip("?"), layer_query) if part)
    fragment_query = f"?{fragment_query}" if fragment_query else ""

    def label(count: int, layer_count: int | None, waiting: int) -> CountLabels:
        key = (language, layer_name, count, layer_count, waiting)
        found = _escaped_labels.get(key)
        if found is None:
            found = count_labels(count, layer_count, layer_name, waiting)
            found = CountLabels(escape(found.visible), escape(found.layer), escape(found.spoken))
            if len(_escaped_labels) >= _ESCAPED_LABELS_KEPT:
                _escaped_labels.clear()
            _escaped_labels[key] = found
        return found

    # The passage label is escaped already; the sentence around it is ours.
    on_passage = escape(on_passage)

    def made(key: str, passage: str, count: int, layer_count: int | None, waiting: int) -> str:
        css = "comment-count" if count or layer_count or waiting else "comment-add"
        fragment = f"{permalink_prefix}{key}/discussion/{fragment_query}"
        name = on_passage.replace("%(passage)s", passage)
        said = label(count, layer_count, waiting)
        opening = (
            f'<a class="comment-toggle {css}" href="{reading_path}?{page_query}discussion={key}'
            f'#{key}" data-hx-get="{fragment}" data-hx-target="#discussion-panel" '
            f'aria-controls="discussion-panel" data-discussion-toggle="{key}" '
            f'data-count="{count}"'
        )
        if not layered:
            return (
                f'{opening}><span class="comment-toggle-label">{said.visible}</span>'
                f'<span class="visually-hidden"> {name}</span></a>'
            )
        # The visible parts are short; the accessible name says the same in full. A phone
        # shows the counts from the attributes: "0·1✎", one waiting for the reader to write.
        waits = f' data-layer-waiting="{waiting}"' if waiting and not layer_count else ""
        return (
            f'{opening} data-layer-count="{layer_count}"{waits}>'
            f'<span class="comment-toggle-label" aria-hidden="true">{said.visible}</span>'
            f'<span class="comment-toggle-layer" aria-hidden="true"'
            f"{'' if said.layer else ' hidden'}>{said.layer}</span>"
            f'<span class="visually-hidden comment-toggle-name">{said.spoken}</span>'
            f'<span class="visually-hidden"> {name}</span></a>'
        )

    page = (
        language,
        on_passage,
        permalink_prefix,
        reading_path,
        query,
        layer_name,
        layer_query,
        encoded,
    )

    def link(key: str) -> str | bytes:
        paragraph_id = text.paragraph_ids.get(key)
        passage = text.labels.get(key, "")
        count = counts.get(paragraph_id, 0)
        layer_count = layer_counts.get(paragraph_id, 0) if layered else None
        waiting = layer_waiting.get(paragraph_id, 0) if layer_waiting else 0
        made_of = (page, key, passage, count, layer_count, waiting)
        found = _links_made.get(made_of)
        if found is None:
            found = made(key, passage, count, layer_count, waiting)
            if encoded:
                found = found.encode()
            if len(_links_made) >= _LINKS_KEPT:
                _links_made.clear()
            _links_made[made_of] = found
        return found

    return link


def fill_count_slots(text: RenderedText, counts: dict[int, int], **fill) -> str:
    """The text with each passage's discussion control (``count_links``, which ``fill``'s
    arguments are): "N comments", or "Comment" at none, named for screen readers after the
    passage ("Comment on ¶ 4")."""
    link = count_links(text, counts, **fill)
    return _SLOT.sub(lambda match: link(match.group(1)), text.html)
