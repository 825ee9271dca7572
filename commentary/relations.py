"""The wings' models that the core reads, found through Django's app registry.

A comment belongs to the public discussion or to a reading group, and a site moderator
sees the group comments that members flagged: the visibility rule reads the groups wing's
memberships and the moderation wing's flags. It reads them as the schema declares them
(``Comment.group``, ``Comment.flags``, the membership rows), never by importing the wings'
code, so that the arrows between the core and its wings point one way only: wings import
the core.
"""

from django.apps import apps


def reading_group_model():
    """``commentary.groups.models.ReadingGroup``."""
    return apps.get_model("commentary", "ReadingGroup")


def membership_model():
    """``commentary.groups.models.Membership`` (its ``LEADING_ROLES`` name who leads)."""
    return apps.get_model("commentary", "Membership")


def flag_model():
    """``commentary.moderation.models.Flag``."""
    return apps.get_model("commentary", "Flag")
