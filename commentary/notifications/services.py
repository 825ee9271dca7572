"""Authors are told of the moderation decisions on their comments.

``decision_notify`` runs inside the decision's transaction (``moderation.comment_moderate``
and its wrappers, the bulk decision, the hiding by flags in ``flag_create``), so a decision
and its notification are written together or not at all. Told to the comment's author:

- approve (of a held comment), reject, hide, restore;
- keep, when it brings a comment hidden by flags back (a kept comment that was never
  hidden changed nothing its author could see, and flags are not shown to authors);
- the site's own hiding when enough members flagged a comment.

Not told: a decision a moderator takes on their own comment; a decision on a comment its
author has deleted; the requeue after a new member's edit (the author did it, and the
thread says "awaiting moderation"). Sanctions are not decisions on comments and are not
told here.

When the author's primary address is verified, the mail is a background task enqueued
once the transaction commits (``notification_mail``): never sent inside the request, and a
mail that fails leaves the notification in the list all the same. The task carries the
origin of the request the decision came through, for its links.

The moderator's name is not told: decisions are the site's.
"""

from collections.abc import Iterable
from functools import partial

from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from commentary.models import Comment
from commentary.moderation.models import ModerationEvent
from commentary.notifications.mail import notification_mail_send
from commentary.notifications.models import Kind, Notification
from config.request_log import current_request_id
from config.request_origin import request_origin
from config.site.caching import reader_changed

Action = ModerationEvent.Action
Status = Comment.Status

TOLD_ACTIONS = (Action.APPROVE, Action.REJECT, Action.HIDE, Action.RESTORE, Action.KEEP)
EXCERPT_WORDS = 30
# The unread count of the navigation is kept this long at most; every change deletes it.
UNREAD_COUNT_SECONDS = 60 * 60


def is_told(event: ModerationEvent, comment: Comment) -> bool:
    """Whether ``event`` on ``comment`` is a decision its author is told of."""
    if event.action not in TOLD_ACTIONS or comment.is_deleted:
        return False
    if event.actor_id is not None and event.actor_id == comment.author_id:
        return False
    return not (event.action == Action.KEEP and event.from_status != Status.HIDDEN)


def decision_notify(*, event: ModerationEvent, comment: Comment) -> Notification | None:
    """Tell ``comment``'s author of ``event`` (a decision on it), if they are to be told.

    Call inside the transaction that wrote the event. After it commits, the author's unread
    count is recounted and, if their primary address is verified, the mail is enqueued."""
    if not is_told(event, comment):
        return None
    notification = Notification.objects.create(
        recipient_id=comment.author_id, event=event, comment=comment
    )
    transaction.on_commit(partial(unread_changed, comment.author_id))
    if has_verified_address(comment.author_id) and _wants_decisions_at_once(comment.author_id):
        # robust: the decision is committed whatever happens to the queue; the list has it.
        # The mail's links need the site the decision came through, known only now.
        mail = partial(_mail_enqueue, notification.pk, request_origin())
        transaction.on_commit(mail, robust=True)
    return notification


def _wants_decisions_at_once(user_id: int) -> bool:
    from commentary.notifications.preferences import frequencies_for

    return frequencies_for([user_id], Kind.DECISION)[user_id] == "at_once"


def has_verified_address(user_id: int) -> bool:
    return EmailAddress.objects.filter(user_id=user_id, primary=True, verified=True).exists()


def _mail_enqueue(notification_id: int, origin: str) -> None:
    # Run after commit, still inside the request: the task's logs name the request's id.
    notification_mail_send.enqueue(notification_id, origin=origin, request_id=current_request_id())


def _unread_key(user_id: int) -> str:
    return f"notifications-unread:{user_id}"


def unread_changed(user_id: int) -> None:
    """The counts of ``user_id``'s unread notifications changed: dropped, and the header
    kept in their part of the reading page (``config.site.caching.reader_changed``) is
    stale once the write commits."""
    cache.delete(_unread_key(user_id))
    transaction.on_commit(partial(reader_changed, user_id))


def unread_changed_for(user_ids: Iterable[int]) -> None:
    user_ids = set(user_ids)
    cache.delete_many([_unread_key(user_id) for user_id in user_ids])
    transaction.on_commit(partial(reader_changed, *user_ids))


def unread_counts(user) -> tuple[int, int]:
    """(all unread, unread decisions) of ``user``'s notifications: one query, none while
    cached (the counts are dropped whenever one is written, withdrawn or marked read)."""
    if user is None or not user.is_authenticated:
        return 0, 0
    key = _unread_key(user.pk)
    counts = cache.get(key)
    if counts is None:
        counted = (
            Notification.objects.for_recipient(user)
            .unread()
            .aggregate(total=Count("pk"), decisions=Count("pk", filter=Q(kind=Kind.DECISION)))
        )
        counts = (counted["total"], counted["decisions"])
        cache.set(key, counts, UNREAD_COUNT_SECONDS)
    return tuple(counts)


def unread_count(user) -> int:
    """How many decisions on their comments ``user`` has not marked read (the profile's
    section); ``unread_counts`` has every kind (the header's bell)."""
    return unread_counts(user)[1]


def unread_total(user) -> int:
    """How many notifications of any kind ``user`` has not marked read: the bell."""
    return unread_counts(user)[0]


@transaction.atomic
def notifications_mark_read(
    *,
    user,
    up_to: int | None = None,
    ids: Iterable[int] | None = None,
    kind: str | None = None,
) -> int:
    """Mark ``user``'s unread notifications read: those up to id ``up_to`` when given (the
    newest the member saw, so that one arriving meanwhile stays unread), only ``ids`` when
    given, only of ``kind`` when given. Another member's ids mark nothing. Returns how
    many."""
    unread = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    if up_to is not None:
        unread = unread.filter(pk__lte=up_to)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    if kind is not None:
        unread = unread.filter(kind=kind)
    marked = unread.update(read_at=timezone.now())
    if marked:
        transaction.on_commit(partial(unread_changed, user.pk))
    return marked
