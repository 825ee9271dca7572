"""Who moderates: holders of the ``commentary.moderate_comment`` permission, given through
the "Moderators" group (a data migration creates it) or directly; superusers too.

One rule, read with the reader's other roles in one query per request
(``commentary.roles``): ``is_moderator`` answers it for the moderation pages, the API, the
services and the navigation.
"""

from django.contrib.auth.models import Group, Permission

from commentary.roles import MODERATE_CODENAME, MODERATE_PERMISSION, reader_roles

__all__ = [
    "MODERATE_CODENAME",
    "MODERATE_PERMISSION",
    "MODERATORS_GROUP",
    "is_moderator",
    "moderators_group",
]

MODERATORS_GROUP = "Moderators"


def is_moderator(user) -> bool:
    """True for a signed-in, active user who may moderate comments."""
    return reader_roles(user).moderates


def moderators_group() -> Group:
    """The "Moderators" group with its permission; made again if someone removed it (the
    migrations make it first)."""
    group, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    group.permissions.add(
        Permission.objects.get(codename=MODERATE_CODENAME, content_type__app_label="commentary")
    )
    return group
