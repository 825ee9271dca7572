"""Moderation decisions on the discussion, kept apart from the writes that act on them.

``initial_status`` is where a new comment's fate is decided: every write of a new comment
(the pages, the API, the demo data) goes through ``services.comment_create``, which asks it.
"""

from commentary.models import Comment
from edition.models import ModerationPolicy, Work


def initial_status(*, author, work: Work) -> str:
    """The status a new comment by ``author`` on ``work`` starts in: held for a moderator
    (pending) on a pre-moderated work, published at once otherwise."""
    if work.moderation_policy == ModerationPolicy.PREMODERATED:
        return Comment.Status.PENDING
    return Comment.Status.PUBLISHED
