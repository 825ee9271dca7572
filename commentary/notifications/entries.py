"""A notification as its reader sees it: the comment (link, passage label, excerpt) and what
it tells, built for any number of notifications in a fixed number of queries; the pages, the
API and the mail read them."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commentary.markdown import plain_excerpt
from commentary.models import Comment, display_name_of
from commentary.moderation.models import ModerationEvent
from commentary.notifications.models import Kind, Notification
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


def notification_summary(note: Notification) -> str:
    """What a notification tells, in the words its recipient reads (pages, API, mail)."""
    if note.kind == Kind.DECISION:
        return decision_summary(note.event)
    if note.kind == Kind.VERSION:
        return _("Version %(number)s of %(work)s is published.") % {
            "number": note.version.number,
            "work": note.work.title,
        }
    if note.kind == Kind.GROUP_WROTE:
        # Post first: that the group wrote, never who or what.
        return _("%(group)s wrote on a passage you have not written on yet.") % {
            "group": note.group.name
        }
    author = display_name_of(note.comment.author)
    return {
        Kind.REPLY: _("%(author)s replied to your comment."),
        Kind.MENTION: _("%(author)s mentioned you."),
        Kind.THREAD: _("%(author)s wrote in a thread you follow."),
        Kind.PARAGRAPH: _("%(author)s commented on a passage you follow."),
        Kind.WORK: _("%(author)s commented on a work you follow."),
    }[note.kind] % {"author": author}


@dataclass(frozen=True, slots=True)
class NotificationEntry:
    """A notification as pages, the API and mail show it: ``url`` is the path to open
    (the comment in its discussion, the passage, or the new version)."""

    notification: Notification
    summary: str
    passage_label: str
    excerpt: str
    url: str

    @property
    def day(self):
        """The local day it was written on: the notifications page groups by it."""
        return timezone.localdate(self.notification.created_at)

    @property
    def event(self) -> ModerationEvent | None:
        return self.notification.event

    @property
    def comment(self) -> Comment | None:
        return self.notification.comment


def _passage_of(note: Notification) -> tuple[int, int] | None:
    """(version id, paragraph id) whose label names the passage told of."""
    if note.comment is not None:
        return note.comment.version_id, note.comment.paragraph_id
    if note.paragraph_id is not None and note.work is not None:
        return note.work.current_version_id, note.paragraph_id
    return None


def _url_of(note: Notification) -> str:
    if note.comment is not None:
        return note.comment.get_absolute_url()
    if note.kind == Kind.VERSION:
        return reverse(
            "edition:version-detail",
            kwargs={"slug": note.work.slug, "number": note.version.number},
        )
    return reverse(
        "edition:paragraph-detail", kwargs={"slug": note.work.slug, "key": note.paragraph.key}
    )


def notification_entries(notifications: Iterable[Notification]) -> list[NotificationEntry]:
    """Entries for notifications read ``with_related()``: their passages labelled in one
    query, whatever their number."""
    notifications = list(notifications)
    labels = passage_labels(filter(None, map(_passage_of, notifications)))
    return [
        NotificationEntry(
            notification=note,
            summary=notification_summary(note),
            passage_label=labels.get(_passage_of(note), ""),
            excerpt=note.note
            if note.comment is None
            else ""
            if note.comment.is_deleted
            else plain_excerpt(note.comment.body_html, EXCERPT_WORDS),
            url=_url_of(note),
        )
        for note in notifications
    ]
