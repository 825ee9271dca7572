"""Who calls with a token (its owner) or with a session (its user), and their roles, kept a
few seconds per token or user, so that a burst of requests asks the database nothing about
who is calling.

An entry (the token with its user, read in one query, and the user's roles, in one more)
is kept in the default cache under a hash of the key for ``KEPT_SECONDS`` at most, and
under the generation of ``TOKEN_USERS`` (``config.site.caching``): revoking or changing
any token, and any change to a user, a membership, a reading group, a permission or an
auth group, bumps it, so every server stops using every entry at once. When the
generations cannot be read, the database is asked, as before; an unknown or revoked key is
never kept. A session's user is kept the same way, by user id (``session_user``, the
authentication backends' ``SCHOLIA_USER_LOADER``): the session itself still says whose it
is, and Django still checks its hash against the kept user's password, so a password
changed (a save, which bumps the generation) signs the other sessions out at once.
"""

import hashlib

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from commentary.accounts.models import ApiToken
from commentary.relations import membership_model, reading_group_model
from commentary.roles import reader_roles, roles_known, user_with_roles
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


def session_user(user_id):
    """The user ``user_id`` with their roles (``user_with_roles``), kept as the module doc
    says; None for none."""

    def read() -> tuple[object, object]:
        user = user_with_roles(user_id)
        if user is None:
            raise _Unknown
        return user, reader_roles(user)

    try:
        user, roles = remembered(
            f"session-user:{int(user_id)}", (TOKEN_USERS,), read, timeout=KEPT_SECONDS
        )
    except _Unknown:
        return None
    roles_known(user, roles)
    return user


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
