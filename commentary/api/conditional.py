"""Conditional requests on the discussion's API (``config.api.conditional``): a comment,
a thread or a list shows the edition's text and the discussion, and each reader sees them
by their roles (``commentary.roles``, registered as a reader description when the app is
ready)."""

from config.api.conditional import NOT_MODIFIED, PreconditionFailed, read_conditionally
from config.api.conditional import ensure_if_match as _ensure_if_match
from config.site.caching import DISCUSSION, TEXT

SHOWN = (TEXT, DISCUSSION)

__all__ = ["NOT_MODIFIED", "PreconditionFailed", "conditional_get", "ensure_if_match"]

conditional_get = read_conditionally(*SHOWN)


def ensure_if_match(request) -> None:
    """412 when ``If-Match`` names no current representation of the comment's URL."""
    _ensure_if_match(request, topics=SHOWN)
