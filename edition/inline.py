"""A passage's formatting as the author wrote it in Markdown, rendered safely.

A revision imported from Markdown keeps its inline source (emphasis, links, code spans) in
``markup`` and the words a reader sees in ``text``, which is what quotes, diffs, alignment
and search work on. A table keeps its Markdown source the same way. Rendering goes through
markdown-it-py with raw HTML disabled, then nh3 with an allow-list of tags and only http,
https and mailto links: the source of an import is not trusted any more than a comment.
"""

from html import escape, unescape

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

INLINE_TAGS = {"em", "strong", "code", "a", "del", "br"}
TABLE_TAGS = INLINE_TAGS | {"table", "thead", "tbody", "tr", "th", "td"}
# No style attribute: the site's content security policy forbids inline style, so a
# table's column alignment is not kept.
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])


def _image_as_its_alt_text(renderer, tokens, idx, options, env) -> str:
    # A text's images are not stored with it; its words for the image stand in their place.
    return escapeHtml(renderer.renderInlineAsText(tokens[idx].children or [], options, env))


_markdown.add_render_rule("image", _image_as_its_alt_text)


def _clean(html: str, tags: set[str]) -> str:
    return nh3.clean(
        html,
        tags=tags,
        attributes={tag: names for tag, names in ATTRIBUTES.items() if tag in tags},
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    ).strip()


def render_inline(markup: str) -> str:
    """Safe HTML for one passage's inline Markdown; safe to mark safe in templates."""
    return _clean(_markdown.renderInline(markup), INLINE_TAGS)


def render_table(markup: str) -> str:
    """Safe HTML for a Markdown table (its header, delimiter and body rows)."""
    return _clean(_markdown.render(markup), TABLE_TAGS)


def plain_text(markup: str) -> str:
    """The words a reader sees of inline Markdown: its rendering without the tags."""
    return unescape(nh3.clean(render_inline(markup), tags=set()))


def passage_html(kind: str, text: str, markup: str) -> SafeString:
    """Safe HTML for the content of a passage of ``kind``: its markup rendered when it has
    some, its text escaped otherwise (a code block's text keeps its line breaks as
    written, inside the <pre> the template gives it)."""
    if not markup:
        return mark_safe(escape(text))
    if kind == "table":
        return mark_safe(render_table(markup))
    return mark_safe(render_inline(markup))
