"""Moderation of the discussion: where a new comment starts, members' flags, and the
decisions moderators take on comments.

``initial_status`` is where a new comment's fate is decided: every write of a new comment
(the pages, the API, the demo data) goes through ``services.comment_create``, which asks it.

``comment_moderate`` is the one decision service (the queue page, the API and the admin
call it). It locks the comment, refuses a decision that no longer
applies with ModerationConflict ("already decided"), marks the comment's open flags
reviewed, writes exactly one ModerationEvent and sends ``comment_decided``
(``commentary.events``) once it commits: the notifications wing tells the author.

The transitions::

    approve   pending            → published
    reject    pending            → rejected
    hide      published          → hidden      (or confirms a hide by flags)
    restore   hidden             → published
    keep      flagged, published or hidden by flags → published, flags dismissed
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commentary.errors import CommentError, CommentRateLimited, ModerationConflict
from commentary.events import comment_decided, comment_flagged
from commentary.groups.models import ReadingGroup
from commentary.models import Comment
from commentary.moderation import ratelimits
from commentary.moderation.models import Flag, ModerationEvent
from commentary.moderation.moderators import is_moderator
from commentary.moderation.sanctions import ensure_may_write
from commentary.moderation.trust import is_new_member
from commentary.permissions import allowed
from config.site.events import send_after_commit
from edition.models import ModerationPolicy, Work

Status = Comment.Status
Action = ModerationEvent.Action
DECISIONS = (Action.APPROVE, Action.REJECT, Action.HIDE, Action.RESTORE, Action.KEEP)


def initial_status(
    *, author, work: Work, group: ReadingGroup | None = None, new_member: bool | None = None
) -> str:
    """The status a new comment by ``author`` on ``work`` starts in: published at once for
    moderators; held for a moderator (pending) on a pre-moderated work or from a new member
    (see ``commentary.moderation.trust``); published otherwise.

    In a reading group the group's policy decides instead: its owner and moderators
    publish at once, members are held when the group is pre-moderated. The group's leader
    invited them, so the site's new-member rule does not apply there. ``new_member``: the
    caller's answer to ``trust.is_new_member(author)``, if it has one."""
    if group is not None:
        leads = allowed(author, "group.lead", group)
        if not leads and group.moderation_policy == ModerationPolicy.PREMODERATED:
            return Status.PENDING
        return Status.PUBLISHED
    if is_moderator(author):
        return Status.PUBLISHED
    if new_member is None:
        new_member = is_new_member(author)
    if work.moderation_policy == ModerationPolicy.PREMODERATED or new_member:
        return Status.PENDING
    return Status.PUBLISHED


def status_after_edit(comment: Comment, editor) -> str:
    """An edit by a new member sends a held or approved comment back to the queue: a
    moderator approved the words, not whatever replaces them. (In a reading group the
    group's policy alone decides, as in ``initial_status``.)"""
    if (
        comment.group_id is None
        and comment.status in (Status.PENDING, Status.PUBLISHED)
        and is_new_member(editor)
    ):
        return Status.PENDING
    return comment.status


def _target_status(comment: Comment, action: str, has_open_flags: bool) -> str:
    """The status ``action`` leads to from where ``comment`` stands; ModerationConflict if
    it does not apply there."""
    status = comment.status
    if action == Action.APPROVE and status == Status.PENDING:
        return Status.PUBLISHED
    if action == Action.REJECT and status == Status.PENDING:
        return Status.REJECTED
    if action == Action.HIDE and (
        status == Status.PUBLISHED or (status == Status.HIDDEN and has_open_flags)
    ):
        return Status.HIDDEN
    if action == Action.RESTORE and status == Status.HIDDEN:
        return Status.PUBLISHED
    if action == Action.KEEP and has_open_flags and status in (Status.PUBLISHED, Status.HIDDEN):
        return Status.PUBLISHED
    raise ModerationConflict(already_decided_message(comment))


# The queue's buttons, in their order: a hidden comment is restored by keeping it.
QUEUE_DECISIONS = (Action.APPROVE, Action.REJECT, Action.KEEP, Action.HIDE)


def decisions_open(comment: Comment, among=QUEUE_DECISIONS) -> list[str]:
    """The decisions of ``among`` that apply to ``comment`` where it stands: the ones
    ``comment_moderate`` would take (``_target_status``), so the queue never offers a
    button the service refuses. Reads ``open_flags`` if prefetched
    (``with_moderation_context``), else asks."""
    flags = getattr(comment, "open_flags", None)
    has_open_flags = (
        bool(flags)
        if flags is not None
        else comment.flags.filter(reviewed_at__isnull=True).exists()
    )
    open_ = []
    for action in among:
        try:
            _target_status(comment, action, has_open_flags)
        except ModerationConflict:
            continue
        open_.append(action)
    return open_


def already_decided_message(comment: Comment) -> str:
    return _(
        "Already decided: this comment is now %(status)s, and the action no longer applies."
    ) % {"status": comment.get_status_display().lower()}


@transaction.atomic
def comment_moderate(
    *,
    comment: Comment,
    moderator,
    action: str,
    reason: str = "",
    expected_status: str | None = None,
) -> Comment:
    """Take ``action`` (one of ``DECISIONS``) on ``comment`` as ``moderator``.

    ``expected_status`` is the status the moderator saw: if another decision changed it
    meanwhile, the answer is ModerationConflict, never a second action. The caller checks
    that ``moderator`` moderates (``moderators.is_moderator``); this checks it again.
    """
    if action not in DECISIONS:
        raise CommentError({"action": [_("Not a decision: %(action)s.") % {"action": action}]})
    if not allowed(moderator, "comment.moderate", comment):
        raise CommentError({"action": [_("Only moderators decide on comments.")]})
    locked = (
        Comment.objects.select_for_update(of=("self",)).select_related("work").get(pk=comment.pk)
    )
    if expected_status is not None and locked.status != expected_status:
        raise ModerationConflict(already_decided_message(locked))
    open_flags = Flag.objects.open().filter(comment=locked)
    before = locked.status
    after = _target_status(locked, action, open_flags.exists())
    now = timezone.now()
    # Flags are the members' question; any decision answers it.
    Flag.objects.open().filter(comment=locked).update(reviewed_at=now)
    if after != before:
        locked.status = after
        locked.modified_at = now
        locked.save(update_fields=["status", "modified_at"])
    event = ModerationEvent.objects.create(
        actor=moderator,
        action=action,
        comment=locked,
        user_id=locked.author_id,
        reason=(reason or "").strip(),
        from_status=before,
        to_status=after,
    )
    send_after_commit(
        comment_decided, comment=locked, decision=event, status_changed=after != before
    )
    return locked


@dataclass
class BulkDecision:
    """What a decision on many comments did: the comments decided, and those another
    decision had already settled (left as they were)."""

    decided: list[Comment] = field(default_factory=list)
    already_decided: list[Comment] = field(default_factory=list)


def comments_moderate(
    *, comments: Iterable[Comment], moderator, action: str, reason: str = ""
) -> BulkDecision:
    """``action`` on each of ``comments``, each in its own transaction through
    ``comment_moderate`` (one event each), so that one already decided does not undo the
    others."""
    result = BulkDecision()
    for comment in comments:
        try:
            decided = comment_moderate(
                comment=comment, moderator=moderator, action=action, reason=reason
            )
        except ModerationConflict:
            result.already_decided.append(comment)
        else:
            result.decided.append(decided)
    return result


@transaction.atomic
def flag_create(*, comment: Comment, user, reason: str, note: str = "") -> Flag:
    """``user`` flags ``comment`` (fetched as visible to them). One flag per member and
    comment, never on one's own. When ``SCHOLIA_FLAGS_TO_HIDE`` distinct members have open
    flags on a published comment, the site hides it (an event with no actor) until a
    moderator decides. Refused while ``user`` is suspended or banned by the site or by the
    comment's reading group."""
    ensure_may_write(user, group_id=comment.group_id)
    note = (note or "").strip()
    if reason not in Flag.Reason.values:
        raise CommentError({"reason": [_("Choose a reason: spam, offensive, off topic or other.")]})
    if reason == Flag.Reason.OTHER and not note:
        raise CommentError({"note": [_("Say what is wrong when the reason is “other”.")]})
    if not allowed(user, "comment.flag", comment):
        raise CommentError({"comment": [_("You cannot flag your own comment.")]})
    locked = (
        Comment.objects.select_for_update(of=("self",)).select_related("work").get(pk=comment.pk)
    )
    if locked.is_deleted or locked.status != Status.PUBLISHED:
        raise CommentError({"comment": [_("Only a published comment can be flagged.")]})
    if Flag.objects.filter(comment=locked, user=user).exists():
        raise CommentError({"comment": [_("You have already flagged this comment.")]})
    wait = ratelimits.flag_wait(user)
    if wait:
        raise CommentRateLimited(wait, action="flag")
    flag = Flag.objects.create(comment=locked, user=user, reason=reason, note=note)
    flaggers = Flag.objects.open().filter(comment=locked).values("user").distinct().count()
    if flaggers >= settings.SCHOLIA_FLAGS_TO_HIDE:
        locked.status = Status.HIDDEN
        locked.modified_at = timezone.now()
        locked.save(update_fields=["status", "modified_at"])
        event = ModerationEvent.objects.create(
            actor=None,
            action=Action.HIDE,
            comment=locked,
            user_id=locked.author_id,
            reason=ngettext(
                "Flagged by %(count)s member.", "Flagged by %(count)s members.", flaggers
            )
            % {"count": flaggers},
            from_status=Status.PUBLISHED,
            to_status=Status.HIDDEN,
        )
        send_after_commit(comment_decided, comment=locked, decision=event, status_changed=True)
    send_after_commit(comment_flagged, comment=locked, flag=flag)
    return flag


def requeue_event(comment: Comment, before: str) -> None:
    """The site's record of an edit that sent an approved comment back to the queue."""
    ModerationEvent.objects.create(
        actor=None,
        action=Action.REQUEUE,
        comment=comment,
        user_id=comment.author_id,
        reason=_("Edited by a new member."),
        from_status=before,
        to_status=comment.status,
    )
