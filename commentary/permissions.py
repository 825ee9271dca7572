"""The permission table: every per-object question the discussion asks, by name, each
answered by the named predicates of its row (all must hold). Pages, the API, the services
and the templates (the ``allowed_to`` tag) ask ``allowed(user, name, obj)``; no other
module tests whether someone owns, leads or moderates anything. (hypothesis/h's
``permission_map`` is the model.)

The predicates read the reader's roles (``commentary.roles``: read once per request with
the user) and the object's own columns, so a question costs no query, except whether a
group comment was flagged, which a site moderator's right to decide on it depends on.

What a reader may *see* is not here: that is the visibility rule
(``Comment.objects.visible_to``), the same for every surface.
"""

from collections.abc import Callable

from commentary.relations import flag_model
from commentary.roles import reader_roles
from edition.drafts import can_edit_drafts

Predicate = Callable[[object, object], bool]


# Who the user is --------------------------------------------------------------------------


def signed_in(user, _obj=None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def site_moderator(user, _obj=None) -> bool:
    """Holds the moderation permission (or is a superuser)."""
    return reader_roles(user).moderates


def moderates_or_leads(user, _obj=None) -> bool:
    """A site moderator, or a reading group's owner or moderator."""
    roles = reader_roles(user)
    return roles.moderates or bool(roles.leads)


def editor(user, _obj=None) -> bool:
    """Publishes versions of the text (the edition's rule)."""
    return can_edit_drafts(user)


# What they are to a comment ---------------------------------------------------------------


def author(user, comment) -> bool:
    return comment.author_id == user.pk


def not_author(user, comment) -> bool:
    return comment.author_id != user.pk


def not_deleted(_user, comment) -> bool:
    return comment.deleted_at is None


def moderates_comment(user, comment) -> bool:
    """A public comment: the site's moderators. A group's: its owner and moderators, and
    the site's moderators once a member flagged it (``Comment.moderation_condition``)."""
    roles = reader_roles(user)
    if comment.group_id is None:
        return roles.moderates
    if comment.group_id in roles.leads:
        return True
    if roles.group_limit is not None and comment.group_id not in roles.group_limit:
        return False
    return roles.moderates and flag_model().objects.filter(comment_id=comment.pk).exists()


# What they are to a reading group ---------------------------------------------------------


def _group_id(obj) -> int | None:
    """A group, or a membership or anything else that names one by ``group_id``."""
    return getattr(obj, "group_id", None) or getattr(obj, "pk", None)


def member_of_group(user, group) -> bool:
    return _group_id(group) in reader_roles(user).groups


def leads_group(user, group) -> bool:
    """Owns or moderates it."""
    return _group_id(group) in reader_roles(user).leads


def owns_group(user, group) -> bool:
    return _group_id(group) in reader_roles(user).owns


def does_not_own_group(user, group) -> bool:
    return not owns_group(user, group)


PERMISSIONS: dict[str, tuple[Predicate, ...]] = {
    # Comments (obj: the comment)
    "comment.edit": (signed_in, author, not_deleted),
    "comment.delete": (signed_in, author),
    "comment.flag": (signed_in, not_author),
    "comment.moderate": (signed_in, moderates_comment),
    # Moderation (obj: none, or the group whose members are acted on)
    "moderation.reach": (signed_in, moderates_or_leads),
    "moderation.site": (signed_in, site_moderator),
    "member.sanction.site": (signed_in, site_moderator),
    "member.trust": (signed_in, site_moderator),
    "member.sanction.group": (signed_in, leads_group),
    # Reading groups (obj: the group)
    "group.read": (signed_in, member_of_group),
    "group.write": (signed_in, member_of_group),
    "group.leave": (signed_in, member_of_group, does_not_own_group),
    "group.lead": (signed_in, leads_group),
    "group.change": (signed_in, owns_group),
    "group.invitation": (signed_in, owns_group),
    "group.transfer": (signed_in, owns_group),
    "group.member.remove": (signed_in, owns_group),
    "group.copy": (signed_in, owns_group),
    # The edition (obj: none)
    "draft.publish": (signed_in, editor),
}


def allowed(user, name: str, obj=None) -> bool:
    """Whether ``user`` may do ``name`` (a row of ``PERMISSIONS``) to ``obj``."""
    return all(predicate(user, obj) for predicate in PERMISSIONS[name])
