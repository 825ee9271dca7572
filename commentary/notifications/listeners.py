"""What the notifications wing hears (connected in ``CommentaryConfig.ready``):

- a decision on a comment tells its author (``services.decision_notify``); one that makes
  it readable (approve, restore) tells the others as a new comment would, and one that
  makes it unreadable (hide, reject) withdraws their unread notifications;
- a new published comment tells repliers, followers and the mentioned (``replies``), as
  one background task; a held one tells nobody until approved;
- an edit tells the members it newly mentions; an edit that sends it back to the queue,
  or its deletion, withdraws the unread notifications;
- a new version of a work tells its followers (``versions``);
- a member leaving a group changes what they may read: their unread count is recounted.
"""

from commentary import events
from commentary.accounts.member_data import register_member_data
from commentary.groups import events as group_events
from commentary.models import Comment
from commentary.notifications import replies
from commentary.notifications.follows import own_thread_follow
from commentary.notifications.models import Notification
from commentary.notifications.services import decision_notify, unread_changed
from config.request_origin import request_origin
from edition import events as edition_events

PUBLISHED = Comment.Status.PUBLISHED


def _tell(comment: Comment, *, mentions_only: bool = False) -> None:
    """Enqueue the one task that tells of ``comment``, if anybody might be told (a few
    queries here; the visibility rule and the writing are the task's)."""
    from commentary.notifications.tasks import comment_told

    if not mentions_only:
        own_thread_follow(comment)
    if replies.candidates_of(comment, mentions_only=mentions_only):
        comment_told.enqueue(comment.pk, mentions_only=mentions_only, origin=request_origin())


def _decided(*, comment, decision, status_changed=True, **_ignored) -> None:
    decision_notify(event=decision, comment=comment)
    if not status_changed:
        return
    if comment.status == PUBLISHED:
        _tell(comment)
    else:
        replies.comment_withdraw(comment.pk)


def _created(*, comment, **_ignored) -> None:
    if comment.status == PUBLISHED:
        _tell(comment)


def _edited(*, comment, status_changed=False, **_ignored) -> None:
    if status_changed and comment.status != PUBLISHED:
        replies.comment_withdraw(comment.pk)
    elif comment.status == PUBLISHED:
        _tell(comment, mentions_only=True)


def _deleted(*, comment, **_ignored) -> None:
    replies.comment_withdraw(comment.pk)


def _version_published(*, version, **_ignored) -> None:
    from commentary.notifications.tasks import version_told

    version_told.enqueue(version.pk, origin=request_origin())


def _member_left(*, user_id, **_ignored) -> None:
    unread_changed(user_id)


def _member_joined(*, user, **_ignored) -> None:
    unread_changed(user.pk)


def _exported(user) -> list[dict]:
    """What a member was told, for the download of their data."""
    return [
        {
            "kind": notification.kind,
            "comment": notification.comment_id,
            "decision": notification.event.action if notification.event_id else None,
            "reason": notification.event.reason if notification.event_id else "",
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
    """Connect to the discussion's, the groups' and the edition's events."""
    connections = [
        (events.comment_decided, _decided, "decided"),
        (events.comment_created, _created, "created"),
        (events.comment_edited, _edited, "edited"),
        (events.comment_deleted, _deleted, "deleted"),
        (edition_events.version_published, _version_published, "version-published"),
        (group_events.member_left, _member_left, "member-left"),
        (group_events.member_joined, _member_joined, "member-joined"),
    ]
    for signal, receiver, name in connections:
        signal.connect(receiver, dispatch_uid=f"notifications-{name}")
    register_member_data("notifications", export=_exported, erase=_erased)
