"""Comment bodies: Markdown in, safe HTML out.

markdown-it-py with raw HTML disabled turns Markdown into HTML; nh3 then keeps only an
allow-list of tags and attributes, and only http, https and mailto links. Both are needed:
CommonMark passes raw HTML through unless it is switched off, and a link's target is
attacker-chosen either way.
"""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
    "del",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
# Headings and images have no place in a comment: headings would break the page outline,
# images would load third-party content into every reader's page.
_markdown.disable(["heading", "lheading", "image"])


def render_markdown(body: str) -> str:
    """Sanitised HTML for a comment body. Safe to mark safe in templates."""
    html = _markdown.render(body)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    ).strip()
