"""What the notifications wing hears: a decision on a comment tells its author
(``services.decision_notify`` decides whether, and writes the notification)."""

from commentary import events
from commentary.notifications.services import decision_notify


def _decided(*, comment, decision, **_ignored) -> None:
    decision_notify(event=decision, comment=comment)


def listen() -> None:
    """Connect to the discussion's events (``CommentaryConfig.ready``)."""
    events.comment_decided.connect(_decided, dispatch_uid="notifications-comment-decided")
