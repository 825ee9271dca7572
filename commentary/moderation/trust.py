"""Who is a new member: someone whose comments a moderator still reads before others do.

A member is trusted once ``SCHOLIA_NEW_MEMBER_HELD`` of their comments have been approved
(published comments count: a new member's comments are published only by a moderator), or
when a moderator grants trust; a moderator can also remove it, and then every comment of
theirs is held again. Moderators are never new members.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from commentary.accounts.models import Profile
from commentary.errors import CommentError, ModerationConflict
from commentary.models import Comment
from commentary.moderation.models import ModerationEvent
from commentary.moderation.moderators import is_moderator


def approved_count(user, *, at_most: int | None = None) -> int:
    """How many of ``user``'s public comments are published; with ``at_most``, counting
    stops there (a LIMIT inside the count), so asking "at least 3?" costs the same for an
    author of three comments as for one of ten thousand."""
    approved = _approved(author_id=user.pk)
    if at_most is not None:
        approved = approved.order_by()[:at_most]
    return approved.count()


def _approved(*, author_id):
    # A reading group publishes its members' comments by its own policy: they earn no trust
    # in the public discussion, which only the site's moderators give.
    return Comment.objects.filter(
        author_id=author_id,
        status=Comment.Status.PUBLISHED,
        deleted_at__isnull=True,
        group__isnull=True,
    )


def trust_override(user) -> bool | None:
    """What a moderator decided about ``user``'s trust, or None if nobody did."""
    return Profile.objects.filter(user_id=user.pk).values_list("trusted", flat=True).first()


def is_new_member(user) -> bool:
    """True while ``user``'s comments are held whatever the work's policy."""
    if is_moderator(user):
        return False
    override = trust_override(user)
    if override is not None:
        return not override
    held = settings.SCHOLIA_NEW_MEMBER_HELD
    return held > 0 and approved_count(user, at_most=held) < held


def last_held_approval() -> Subquery | None:
    """For a query of users: the id of one of the member's approved comments that, with the
    ones before it, reaches ``SCHOLIA_NEW_MEMBER_HELD`` (the threshold-th, in no particular
    order; None while fewer are approved). Reading it stops at the threshold, as
    ``approved_count`` does. None when no comment is held (a threshold of 0).

    A post reads the same in SQL written out (``posting.author_read``), held to agree with
    this one by a test."""
    held = settings.SCHOLIA_NEW_MEMBER_HELD
    if held <= 0:
        return None
    approved = _approved(author_id=OuterRef("pk")).order_by().values("pk")[held - 1 : held]
    return Subquery(approved)


def new_member_read(user, *, override: bool | None, held_approval: int | None) -> bool:
    """``is_new_member`` from what a query read with ``last_held_approval``: the trust a
    moderator decided (``override``) and that annotation."""
    if is_moderator(user):
        return False
    if override is not None:
        return not override
    return settings.SCHOLIA_NEW_MEMBER_HELD > 0 and held_approval is None


TRUST_ACTIONS = {
    True: ModerationEvent.Action.TRUST,
    False: ModerationEvent.Action.DISTRUST,
    None: ModerationEvent.Action.TRUST_AUTOMATIC,
}


@transaction.atomic
def member_trust_set(*, user, moderator, trusted: bool | None, reason: str = "") -> Profile:
    """Grant (``trusted``), remove (False) or hand back to the automatic rule (None) a
    member's trust; writes one ModerationEvent. Site moderators only, never on themselves
    or on another moderator (moderators are never new members)."""
    if not is_moderator(moderator):
        raise CommentError({"user": [_("Only the site's moderators decide on trust.")]})
    if user.pk == moderator.pk or is_moderator(user):
        raise CommentError({"user": [_("Moderators are always trusted.")]})
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    if profile.trusted is trusted:
        raise ModerationConflict(
            {
                True: _("This member is already trusted."),
                False: _("This member's trust is already removed."),
                None: _("This member's trust is already automatic."),
            }[trusted]
        )
    before = profile.trusted
    profile.trusted = trusted
    profile.save(update_fields=["trusted"])
    ModerationEvent.objects.create(
        actor=moderator,
        action=TRUST_ACTIONS[trusted],
        user=user,
        reason=(reason or "").strip(),
        from_status=_trust_label(before),
        to_status=_trust_label(trusted),
    )
    return profile


def _trust_label(value: bool | None) -> str:
    return {None: "automatic", True: "trusted", False: "untrusted"}[value]
