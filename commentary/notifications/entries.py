"""A notification as its reader sees it: the comment (link, passage label, excerpt) and what
was decided, built for any number of notifications in a fixed number of queries; the
profile, the API and the mail read them."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from commentary.markdown import plain_excerpt
from commentary.models import Comment
from commentary.moderation.models import ModerationEvent
from commentary.notifications.models import Notification
from edition.numbering import passage_labels

Action = ModerationEvent.Action
EXCERPT_WORDS = 30


def decision_summary(event: ModerationEvent) -> str:
    """What was decided, in the words the author reads (list, API and mail alike)."""
    if event.action == Action.HIDE and event.actor_id is None:
        return _("Hidden after members flagged it, awaiting a moderator.")
    return {
        Action.APPROVE: _("Approved: it is published."),
        Action.REJECT: _("Rejected by a moderator."),
        Action.HIDE: _("Hidden by a moderator."),
        Action.RESTORE: _("Restored by a moderator: it is published again."),
        Action.KEEP: _("Kept: a moderator dismissed the flags and it is published again."),
    }.get(event.action, event.get_action_display())


@dataclass(frozen=True, slots=True)
class NotificationEntry:
    """A notification as pages, the API and mail show it."""

    notification: Notification
    summary: str
    passage_label: str
    excerpt: str

    @property
    def event(self) -> ModerationEvent:
        return self.notification.event

    @property
    def comment(self) -> Comment:
        return self.notification.comment


def notification_entries(notifications: Iterable[Notification]) -> list[NotificationEntry]:
    """Entries for notifications read ``with_related()``: their passages labelled in one
    query, whatever their number."""
    notifications = list(notifications)
    labels = passage_labels(
        (note.comment.version_id, note.comment.paragraph_id) for note in notifications
    )
    return [
        NotificationEntry(
            notification=note,
            summary=decision_summary(note.event),
            passage_label=labels.get((note.comment.version_id, note.comment.paragraph_id), ""),
            excerpt=""
            if note.comment.is_deleted
            else plain_excerpt(note.comment.body_html, EXCERPT_WORDS),
        )
        for note in notifications
    ]
