"""Who moderates: holders of the ``commentary.moderate_comment`` permission, given through
the "Moderators" group (a data migration creates it) or directly; superusers too.

Two faces of the one rule. ``is_moderator`` asks ``user.has_perm``, which Django caches on
the user object, so a request pays for it once; the moderation endpoints and services use
it. ``moderator_condition`` is the same test written into SQL, for the visibility rule: a
page that reads comments learns whether its viewer moderates inside that very query, so
the check adds no query to the reading page, threads or API lists.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Exists, Q, Value

MODERATE_CODENAME = "moderate_comment"
MODERATE_PERMISSION = f"commentary.{MODERATE_CODENAME}"
MODERATORS_GROUP = "Moderators"


def is_moderator(user) -> bool:
    """True for a signed-in, active user who may moderate comments."""
    return bool(user is not None and user.is_authenticated and user.has_perm(MODERATE_PERMISSION))


def moderates(user) -> bool:
    """``is_moderator`` in one query, where ``has_perm`` reads the user's permissions and
    their groups' in two: for pages that ask nothing else of permissions (the navigation)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    # Asked by the navigation and by the counts of one page: read once per user object.
    if not hasattr(user, "_scholia_moderates"):
        user._scholia_moderates = user.is_superuser or _granted(user).exists()
    return user._scholia_moderates


def moderates_expression(user):
    """``moderates(user)`` as an SQL expression, for a query that reads something else of a
    signed-in user anyway (``commentary.layers``): hand its answer to ``remember_moderates``
    and the navigation asks no query of its own."""
    if not user.is_active:
        return Value(False)
    if user.is_superuser:
        return Value(True)
    return Exists(_granted(user))


def remember_moderates(user, answer: bool) -> None:
    """What ``moderates(user)`` will answer for this user object, learnt by another query."""
    user._scholia_moderates = bool(answer)


def _granted(user):
    return Permission.objects.filter(
        codename=MODERATE_CODENAME, content_type__app_label="commentary"
    ).filter(Q(user=user.pk) | Q(group__user=user.pk))


def moderator_condition(user) -> Q:
    """A condition true of every row when ``user`` moderates, of none otherwise."""
    if not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q(pk__isnull=False)
    return Q(Exists(_granted(user)))


def moderators_group() -> Group:
    """The "Moderators" group with its permission; made again if someone removed it (the
    migrations make it first)."""
    group, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    group.permissions.add(
        Permission.objects.get(codename=MODERATE_CODENAME, content_type__app_label="commentary")
    )
    return group
