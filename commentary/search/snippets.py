"""Safe snippets: the matched words of a plain text marked, everything else escaped.

PostgreSQL's ``ts_headline`` passes whatever the text holds (``<script>``, ``<img
onerror>``) through untouched. So the highlighter, the database's or ours, only puts two
private-use characters around each match in the *plain* text; ``marked`` then escapes the
whole and turns those characters, and only those, into ``<mark>``.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

START = "\ue000"
STOP = "\ue001"
SNIPPET_WORDS = 40


def without_markers(text: str) -> str:
    return text.replace(START, "").replace(STOP, "")


def marked(highlighted: str) -> SafeString:
    """HTML of a plain text whose matches sit between START and STOP."""
    parts = []
    for chunk in re.split(f"({START}.*?{STOP})", highlighted, flags=re.DOTALL):
        if chunk.startswith(START) and chunk.endswith(STOP):
            parts.append(f"<mark>{escape(without_markers(chunk))}</mark>")
        else:
            parts.append(escape(without_markers(chunk)))
    return mark_safe("".join(parts))


def highlight(text: str, words: list[str], *, around: int = SNIPPET_WORDS) -> str:
    """A stretch of ``text`` (about ``around`` words) around the first match of ``words``
    (case-insensitive, longest first), each match between START and STOP: the fallback's
    stand-in for ``ts_headline``."""
    text = " ".join(without_markers(text).split())
    if not words:
        return _shortened(text, 0, around)
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    first = pattern.search(text)
    start = first.start() if first else 0
    window = _shortened(text, start, around)
    return pattern.sub(lambda match: f"{START}{match.group(0)}{STOP}", window)


def _shortened(text: str, start: int, around: int) -> str:
    words = text.split(" ")
    before = len(text[:start].split(" ")) - 1
    first = max(0, before - around // 3)
    last = min(len(words), first + around)
    kept = " ".join(words[first:last])
    return f"{'… ' if first else ''}{kept}{' …' if last < len(words) else ''}"
