"""Who calls with a token: its owner and their roles, kept a few seconds per token, so that
a burst of API requests with one token asks the database nothing about who is calling.

An entry (the token with its user, read in one query, and the user's roles, in one more)
is kept in the default cache under a hash of the key for ``KEPT_SECONDS`` at most, and
under the generation of ``TOKEN_USERS`` (``config.site.caching``): revoking or changing
any token, and any change to a user, a membership, a reading group, a permission or an
auth group, bumps it, so every server stops using every entry at once. When the
generations cannot be read, the database is asked, as before; an unknown or revoked key is
never kept.
"""

import hashlib

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from commentary.accounts.models import ApiToken
from commentary.relations import membership_model, reading_group_model
from commentary.roles import reader_roles, roles_known
from config.site.caching import bump, read_with_the_first, remembered

TOKEN_USERS = "token-users"
KEPT_SECONDS = 30


class _Unknown(Exception):
    """No active token has this key: nothing is kept."""


def token_for_key(raw_key: str) -> ApiToken | None:
    """The active token whose key is ``raw_key``, with its user and the user's roles read;
    None for none (``ApiToken.objects.for_key``, kept as the module doc says)."""

    def read() -> tuple[ApiToken, object]:
        token = ApiToken.objects.for_key(raw_key)
        if token is None:
            raise _Unknown
        # Noted before it is kept, so that the requests served from the entry find it
        # recent and write nothing (the last use is kept to the minute).
        token.note_use()
        return token, reader_roles(token.user)

    name = f"token-user:{hashlib.sha256(raw_key.encode()).hexdigest()}"
    try:
        token, roles = remembered(name, (TOKEN_USERS,), read, timeout=KEPT_SECONDS)
    except _Unknown:
        return None
    roles_known(token.user, roles)
    return token


def token_users_changed(**_ignored) -> None:
    """Make every kept token entry stale, on every server: now, and again once the change
    is committed, so that nothing read before the commit is kept under the new generation."""
    bump(TOKEN_USERS)
    transaction.on_commit(lambda: bump(TOKEN_USERS))


def listen() -> None:
    """Connect the changes that decide who a token is to the entries (``ready``)."""
    read_with_the_first(TOKEN_USERS)  # every token request asks
    User = get_user_model()
    models = (ApiToken, User, Group, Permission, membership_model(), reading_group_model())
    for model in models:
        uid = f"token-users-{model._meta.label}"
        post_save.connect(token_users_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(token_users_changed, sender=model, dispatch_uid=f"{uid}-delete")
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(
            token_users_changed, sender=through, dispatch_uid=f"token-users-m2m-{through}"
        )
