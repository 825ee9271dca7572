"""What the notifications wing hears: a decision on a comment tells its author
(``services.decision_notify`` decides whether, and writes the notification)."""

from commentary import events
from commentary.accounts.member_data import register_member_data
from commentary.notifications.models import Notification
from commentary.notifications.services import decision_notify


def _decided(*, comment, decision, **_ignored) -> None:
    decision_notify(event=decision, comment=comment)


def _exported(user) -> list[dict]:
    """The decisions a member was told of, for the download of their data."""
    return [
        {
            "comment": notification.comment_id,
            "decision": notification.event.action,
            "reason": notification.event.reason,
            "from_status": notification.event.from_status,
            "to_status": notification.event.to_status,
            "created": notification.created_at.isoformat(),
            "read": notification.read_at.isoformat() if notification.read_at else None,
        }
        for notification in Notification.objects.filter(recipient=user)
        .select_related("event")
        .order_by("pk")
    ]


def _erased(user) -> None:
    Notification.objects.filter(recipient=user).delete()


def listen() -> None:
    """Connect to the discussion's events and to the accounts wing's member data
    (``CommentaryConfig.ready``)."""
    events.comment_decided.connect(_decided, dispatch_uid="notifications-comment-decided")
    register_member_data("notifications", export=_exported, erase=_erased)
