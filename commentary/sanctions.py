"""Suspensions and bans: who may not write, why, and until when.

A sanction in force stops a member posting, editing and flagging; the write services call
``ensure_may_write`` first, so the pages and the API refuse alike and tell why. Every
sanction given or lifted writes one ModerationEvent. A new sanction replaces the one in
force (a suspension turned into a ban, a suspension extended), so a member has at most one.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from commentary.errors import CommentError, MemberSanctioned, ModerationConflict
from commentary.models import ModerationEvent, Sanction

ACTIVE = "active"


def sanction_in_force(user) -> Sanction | None:
    if user is None or not user.is_authenticated:
        return None
    return Sanction.objects.in_force().filter(user_id=user.pk).order_by("-pk").first()


def sanction_message(sanction: Sanction) -> str:
    """What a sanctioned member is told when a write is refused."""
    if sanction.kind == Sanction.Kind.BAN:
        return _(
            "Your account is banned: you can no longer post, edit or flag. Reason: %(reason)s"
        ) % {"reason": sanction.reason}
    return _(
        "Your account is suspended until %(until)s: you cannot post, edit or flag until then. "
        "Reason: %(reason)s"
    ) % {
        "until": date_format(timezone.localtime(sanction.until), "DATETIME_FORMAT"),
        "reason": sanction.reason,
    }


def ensure_may_write(user) -> None:
    """Raise MemberSanctioned if ``user`` is suspended or banned."""
    sanction = sanction_in_force(user)
    if sanction is not None:
        raise MemberSanctioned(sanction_message(sanction))


def _state(sanction: Sanction | None) -> str:
    return sanction.kind if sanction is not None else ACTIVE


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CommentError({"reason": [_("Say why: the member is told.")]})
    return reason


def _sanction(*, user, moderator, kind: str, until: datetime | None, reason: str) -> Sanction:
    reason = _clean_reason(reason)
    if user.pk == moderator.pk:
        raise CommentError({"user": [_("You cannot sanction yourself.")]})
    # Locking the member's row serialises two moderators sanctioning the same person.
    type(user).objects.select_for_update().filter(pk=user.pk).first()
    current = sanction_in_force(user)
    now = timezone.now()
    if current is not None:
        current.lifted_at = now
        current.lifted_by = moderator
        current.save(update_fields=["lifted_at", "lifted_by"])
    sanction = Sanction.objects.create(
        user=user, kind=kind, until=until, reason=reason, created_by=moderator
    )
    ModerationEvent.objects.create(
        actor=moderator,
        action=ModerationEvent.Action.SUSPEND
        if kind == Sanction.Kind.SUSPEND
        else ModerationEvent.Action.BAN,
        user=user,
        reason=reason,
        from_status=_state(current),
        to_status=kind,
    )
    return sanction


@transaction.atomic
def user_suspend(*, user, moderator, until: datetime, reason: str) -> Sanction:
    """Suspend ``user`` until ``until`` (in the future)."""
    if until <= timezone.now():
        raise CommentError({"until": [_("A suspension ends in the future.")]})
    return _sanction(
        user=user, moderator=moderator, kind=Sanction.Kind.SUSPEND, until=until, reason=reason
    )


@transaction.atomic
def user_ban(*, user, moderator, reason: str) -> Sanction:
    return _sanction(
        user=user, moderator=moderator, kind=Sanction.Kind.BAN, until=None, reason=reason
    )


@transaction.atomic
def user_reinstate(*, user, moderator, reason: str = "") -> Sanction:
    """Lift the sanction in force; ModerationConflict if there is none (already lifted)."""
    type(user).objects.select_for_update().filter(pk=user.pk).first()
    current = sanction_in_force(user)
    if current is None:
        raise ModerationConflict(_("This member is not suspended or banned."))
    current.lifted_at = timezone.now()
    current.lifted_by = moderator
    current.save(update_fields=["lifted_at", "lifted_by"])
    ModerationEvent.objects.create(
        actor=moderator,
        action=ModerationEvent.Action.REINSTATE,
        user=user,
        reason=(reason or "").strip(),
        from_status=current.kind,
        to_status=ACTIVE,
    )
    return current
