"""Suspensions and bans: who may not write, where, why, and until when.

A sanction in force stops a member posting, replying, editing and flagging; the write
services call ``ensure_may_write`` first, with the reading group the write is in, so the
pages and the API refuse alike and tell why. A sanction has a scope: the site's moderators'
apply everywhere; a reading group's owner and moderators sanction a member of their group
in that group only (``Sanction.group``), and only they read those sanctions and their
events. Every sanction given or lifted writes one ModerationEvent. A new sanction replaces
the one in force in the same scope (a suspension turned into a ban, a suspension extended),
so a member has at most one per scope.

Who may sanction whom: nobody sanctions themselves; the site's moderators, its staff and
its editors (whoever may publish versions) are sanctioned on the site by a superuser only,
so that a moderator can neither silence another nor the editor (taking away a permission
is the administrators' business, in the admin); a group's leaders do not sanction its
owner or its other moderators, nor anyone outside it. The pages, the API and the admin
all go through ``ensure_may_sanction`` (the admin gives no sanction of its own).
"""

from datetime import datetime
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from commentary.errors import CommentError, MemberSanctioned, ModerationConflict
from commentary.groups.models import ReadingGroup
from commentary.moderation.models import ModerationEvent, Sanction
from commentary.moderation.moderators import is_moderator
from commentary.permissions import allowed

ACTIVE = "active"


def sanction_in_force(user, *, group_id: int | None = None) -> Sanction | None:
    """The sanction that stops ``user`` writing in the reading group ``group_id`` (None:
    the public discussion); the site's first when there are both."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Sanction.objects.in_force()
        .applying_to(group_id)
        .filter(user_id=user.pk)
        .select_related("group")
        .order_by(F("group_id").asc(nulls_first=True), "-pk")
        .first()
    )


def sanction_message(sanction: Sanction) -> str:
    """What a sanctioned member is told when a write is refused."""
    if sanction.group_id is not None:
        if sanction.kind == Sanction.Kind.BAN:
            return _(
                "You are banned from writing in the group %(group)s: you can no longer post, "
                "reply, edit or flag there. Reason: %(reason)s"
            ) % {"group": sanction.group.name, "reason": sanction.reason}
        return _(
            "You are suspended from writing in the group %(group)s until %(until)s: you "
            "cannot post, reply, edit or flag there until then. Reason: %(reason)s"
        ) % {
            "group": sanction.group.name,
            "until": _when(sanction.until),
            "reason": sanction.reason,
        }
    if sanction.kind == Sanction.Kind.BAN:
        return _(
            "Your account is banned: you can no longer post, edit or flag. Reason: %(reason)s"
        ) % {"reason": sanction.reason}
    return _(
        "Your account is suspended until %(until)s: you cannot post, edit or flag until then. "
        "Reason: %(reason)s"
    ) % {"until": _when(sanction.until), "reason": sanction.reason}


def sanctions_of(user) -> list[Sanction]:
    """The sanctions in force on ``user``, the site's first: what their own profile tells
    them."""
    return list(
        Sanction.objects.in_force()
        .filter(user_id=user.pk)
        .select_related("group")
        .order_by(F("group_id").asc(nulls_first=True), "-pk")
    )


# The header tells a member of the site's sanction on every page they read: kept in the
# cache (dropped whenever a site sanction is given or lifted), so that a page costs no
# query for it; a suspension that ran out is read as none.
_TOLD_SECONDS = 60 * 60


def _told_key(user_id: int) -> str:
    return f"sanction-told:{user_id}"


def site_sanction_told(user) -> Sanction | None:
    """The site's sanction in force on ``user`` (None for none, or for anonymous)."""
    if user is None or not user.is_authenticated:
        return None
    key = _told_key(user.pk)
    sanction = cache.get(key)
    if sanction is None:
        sanction = sanction_in_force(user) or False
        if sanction and sanction.group_id is not None:
            sanction = False
        cache.set(key, sanction, _TOLD_SECONDS)
    if not sanction or (sanction.until is not None and sanction.until <= timezone.now()):
        return None
    return sanction


def _site_sanction_changed(user_id: int, group: ReadingGroup | None) -> None:
    if group is None:
        transaction.on_commit(partial(cache.delete, _told_key(user_id)))


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def ensure_may_write(user, *, group_id: int | None = None) -> None:
    """Raise MemberSanctioned if ``user`` may not write in the reading group ``group_id``
    (None: the public discussion): suspended or banned by the site, or by that group."""
    sanction = sanction_in_force(user, group_id=group_id)
    if sanction is not None:
        raise MemberSanctioned(sanction_message(sanction))


def _state(sanction: Sanction | None) -> str:
    return sanction.kind if sanction is not None else ACTIVE


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CommentError({"reason": [_("Say why: the member is told.")]})
    return reason


def site_sanction_refusal(*, moderator, user, lifting: bool = False) -> str:
    """Why ``moderator`` may not sanction ``user`` on the site ("" if they may); see the
    module's rule. Lifting a sanction asks only that they moderate, and not themselves."""
    if user.pk == moderator.pk:
        return _("You cannot sanction yourself.")
    if not is_moderator(moderator):
        return _("Only the site's moderators sanction members.")
    if lifting or moderator.is_superuser:
        return ""
    if is_moderator(user):
        return _("Moderators do not sanction one another: ask an administrator.")
    # Editors, who publish versions, are staff (``edition.drafts.can_edit_drafts``).
    if user.is_staff:
        return _("Only a superuser sanctions staff and editors.")
    return ""


def group_sanction_refusal(
    *, moderator, user, group: ReadingGroup, member: bool, lifting: bool = False
) -> str:
    """Why ``moderator`` may not sanction ``user`` in ``group`` ("" if they may), given
    whether ``user`` is a ``member`` of it. Lifting asks only that the moderator leads the
    group, and not themselves."""
    if user.pk == moderator.pk:
        return _("You cannot sanction yourself.")
    if not allowed(moderator, "member.sanction.group", group):
        return _("Only the group's owner and moderators do that.")
    if lifting:
        return ""
    if not member:
        return _("That person is not in this group.")
    if allowed(user, "group.lead", group):
        return _("The group's owner and moderators cannot be sanctioned in it.")
    return ""


def ensure_may_sanction(
    *, moderator, user, group: ReadingGroup | None, lifting: bool = False
) -> None:
    """Refuse (CommentError keyed ``user``) a sanction, or its lifting, that ``moderator``
    may not give ``user`` in ``group``'s scope (None: the site's)."""
    if group is None:
        refusal = site_sanction_refusal(moderator=moderator, user=user, lifting=lifting)
    else:
        refusal = group_sanction_refusal(
            moderator=moderator,
            user=user,
            group=group,
            member=allowed(user, "group.read", group),
            lifting=lifting,
        )
    if refusal:
        raise CommentError({"user": [refusal]})


def _current(user, group: ReadingGroup | None) -> Sanction | None:
    """The sanction in force in exactly ``group``'s scope, the member's row locked first so
    that two moderators sanctioning the same person serialise."""
    type(user).objects.select_for_update().filter(pk=user.pk).first()
    scope = {"group": group} if group is not None else {"group__isnull": True}
    return Sanction.objects.in_force().filter(user_id=user.pk, **scope).order_by("-pk").first()


def _sanction(
    *,
    user,
    moderator,
    kind: str,
    until: datetime | None,
    reason: str,
    group: ReadingGroup | None,
) -> Sanction:
    reason = _clean_reason(reason)
    ensure_may_sanction(moderator=moderator, user=user, group=group)
    current = _current(user, group)
    if current is not None:
        current.lifted_at = timezone.now()
        current.lifted_by = moderator
        current.save(update_fields=["lifted_at", "lifted_by"])
    sanction = Sanction.objects.create(
        user=user, kind=kind, until=until, reason=reason, created_by=moderator, group=group
    )
    _site_sanction_changed(user.pk, group)
    ModerationEvent.objects.create(
        actor=moderator,
        action=ModerationEvent.Action.SUSPEND
        if kind == Sanction.Kind.SUSPEND
        else ModerationEvent.Action.BAN,
        user=user,
        group=group,
        reason=reason,
        from_status=_state(current),
        to_status=kind,
    )
    return sanction


@transaction.atomic
def user_suspend(
    *, user, moderator, until: datetime, reason: str, group: ReadingGroup | None = None
) -> Sanction:
    """Suspend ``user`` until ``until`` (in the future): everywhere, or in ``group`` only."""
    if until <= timezone.now():
        raise CommentError({"until": [_("A suspension ends in the future.")]})
    return _sanction(
        user=user,
        moderator=moderator,
        kind=Sanction.Kind.SUSPEND,
        until=until,
        reason=reason,
        group=group,
    )


@transaction.atomic
def user_ban(*, user, moderator, reason: str, group: ReadingGroup | None = None) -> Sanction:
    """Ban ``user``: everywhere, or in ``group`` only."""
    return _sanction(
        user=user,
        moderator=moderator,
        kind=Sanction.Kind.BAN,
        until=None,
        reason=reason,
        group=group,
    )


@transaction.atomic
def user_reinstate(
    *, user, moderator, reason: str = "", group: ReadingGroup | None = None
) -> Sanction:
    """Lift the sanction in force in ``group``'s scope (None: the site's);
    ModerationConflict if there is none (already lifted)."""
    ensure_may_sanction(moderator=moderator, user=user, group=group, lifting=True)
    current = _current(user, group)
    if current is None:
        raise ModerationConflict(_("This member is not suspended or banned."))
    current.lifted_at = timezone.now()
    current.lifted_by = moderator
    current.save(update_fields=["lifted_at", "lifted_by"])
    _site_sanction_changed(user.pk, group)
    ModerationEvent.objects.create(
        actor=moderator,
        action=ModerationEvent.Action.REINSTATE,
        user=user,
        group=group,
        reason=(reason or "").strip(),
        from_status=current.kind,
        to_status=ACTIVE,
    )
    return current
