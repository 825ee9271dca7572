"""Comment bodies: Markdown in, safe HTML out.

markdown-it-py with raw HTML disabled turns Markdown into HTML; nh3 then keeps only an
allow-list of tags and attributes, and only http, https and mailto links. Both are needed:
CommonMark passes raw HTML through unless it is switched off, and a link's target is
attacker-chosen either way.
"""

import html

import nh3
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from commentary.mentions import MENTION, existing_usernames, mentioned_usernames

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
# Headings have no place in a comment: they would break the page outline.
_markdown.disable(["heading", "lheading"])


def _image_as_its_alt_text(renderer, tokens, idx, options, env) -> str:
    # An image would load third-party content into every reader's page. Parsed as an image
    # (rather than not parsed at all, which leaves a "!" and a link), it is shown as the
    # words its author gave for it.
    return escapeHtml(renderer.renderInlineAsText(tokens[idx].children or [], options, env))


_markdown.add_render_rule("image", _image_as_its_alt_text)


def _mention(state, silent: bool) -> bool:
    """``@name`` of an existing member (``env["members"]``) as a link to their profile;
    not inside another link, nor after a word character (an email address)."""
    if state.src[state.pos] != "@" or getattr(state, "linkLevel", 0) > 0:
        return False
    # The pattern's look-behind reads the character before ``pos``: "a@b" is no mention.
    match = MENTION.match(state.src, state.pos)
    if match is None or match.group(1) not in state.env.get("members", ()):
        return False
    if not silent:
        name = match.group(1)
        link = state.push("link_open", "a", 1)
        link.attrs = {"href": reverse("people:user-detail", kwargs={"username": name})}
        text = state.push("text", "", 0)
        text.content = f"@{name}"
        state.push("link_close", "a", -1)
    state.pos = match.end()
    return True


_markdown.inline.ruler.before("link", "mention", _mention)


def render_markdown(body: str) -> str:
    """Sanitised HTML for a comment body. Safe to mark safe in templates."""
    members = existing_usernames(mentioned_usernames(body))
    html = _markdown.render(body, {"members": members})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    ).strip()


def plain_excerpt(body_html: str, words: int) -> str:
    """The first ``words`` words of a rendered body as plain text, for lists and mail:
    read from the sanitised HTML, so that Markdown syntax does not show."""
    text = html.unescape(strip_tags(body_html))
    return Truncator(" ".join(text.split())).words(words)
