"""Who reaches the moderation pages: the site's moderators (``moderators.is_moderator``) and
the owners and moderators of reading groups, who moderate their groups' comments.

Asked by the navigation on every signed-in page; answered from the reader's roles, read
once per request with the user (``commentary.roles``), so it asks no query of its own.
"""

from commentary.roles import reader_roles


def leads_groups(user) -> bool:
    """True for a signed-in, active user who owns or moderates a reading group."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(reader_roles(user).leads)


def reaches_moderation(user) -> bool:
    """Whether ``user`` moderates the site or leads a reading group: the moderation queue
    and log serve them."""
    roles = reader_roles(user)
    return roles.moderates or leads_groups(user)
