"""A reading group's invitation: the code its owner hands out (a link with it), turned on
or off, given a new one, and joining by it. The code is ``ReadingGroup.invite_code``; the
role it gives, ``invite_role``; its end, ``invite_expires_at``.

Services follow ``commentary.services``: keyword-only, one transaction, the object
returned, a CommentError (keyed by field) for what a user can correct.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from commentary.errors import CommentError
from commentary.groups.events import member_joined
from commentary.groups.models import Membership, ReadingGroup, new_invite_code
from commentary.permissions import allowed
from config.site.events import send_after_commit


def _ensure_owner(user, group: ReadingGroup) -> None:
    if not allowed(user, "group.invitation", group):
        raise CommentError({"group": [_("Only the group's owner can do that.")]})


@transaction.atomic
def group_invite_rotate(*, group: ReadingGroup, by) -> ReadingGroup:
    """A new invitation code, turned on; the old one stops working at once."""
    _ensure_owner(by, group)
    group = ReadingGroup.objects.select_for_update().get(pk=group.pk)
    group.invite_code = new_invite_code()
    group.invite_enabled = True
    group.save(update_fields=["invite_code", "invite_enabled"])
    return group


@transaction.atomic
def group_invite_disable(*, group: ReadingGroup, by) -> ReadingGroup:
    _ensure_owner(by, group)
    group = ReadingGroup.objects.select_for_update().get(pk=group.pk)
    group.invite_enabled = False
    group.save(update_fields=["invite_enabled"])
    return group


@transaction.atomic
def group_invite_enable(*, group: ReadingGroup, by) -> ReadingGroup:
    """The invitation works again, with the same code (``group_invite_rotate`` makes a
    new one)."""
    _ensure_owner(by, group)
    group = ReadingGroup.objects.select_for_update().get(pk=group.pk)
    group.invite_enabled = True
    group.save(update_fields=["invite_enabled"])
    return group


@transaction.atomic
def group_join(*, user, code: str, slug: str | None = None) -> Membership:
    """``user`` joins the group whose open invitation is ``code`` (and, if given, whose
    slug is ``slug``), in the invitation's role. A wrong, turned-off or expired code and a
    group that does not exist all get the same answer, which tells nothing about the
    group. Joining twice keeps the first role."""
    found = ReadingGroup.objects.select_for_update().filter(invite_code=code or "").first()
    if found is None or not found.invitation_open() or (slug is not None and found.slug != slug):
        raise CommentError({"code": [_("This invitation does not work.")]})
    existing = Membership.objects.filter(group=found, user_id=user.pk).first()
    if existing is not None:
        return existing
    membership = Membership.objects.create(group=found, user=user, role=found.invite_role)
    send_after_commit(member_joined, group=found, user=user, role=membership.role)
    return membership
