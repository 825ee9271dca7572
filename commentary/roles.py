"""What a reader is to the discussion: a site moderator or not, and the reading groups they
lead or belong to. Read in one query, once per user object, and used by every rule that
depends on it: the visibility rule (``Comment.objects.visible_to``), the moderation rule,
the navigation's "Moderation" link and the counts.

Knowing the roles before a query is built lets the visibility rule keep only the branches
that can apply, with the reader's group ids written in as literals: a reader with no role
gets "public, or mine", which PostgreSQL plans in a fraction of what the correlated
subqueries over memberships and permissions cost on every query.

A user object lives for one request (the session and the token load it afresh), so the
roles are never carried from one request to the next. Within a process, any change to
memberships, groups or permissions bumps a counter that makes every user object read its
roles again: a member removed from a group loses access at once, even through an object
that was loaded before (as tests and shells hold them).
"""

import itertools
from collections.abc import Collection
from dataclasses import dataclass, field, replace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connections, router
from django.db.models.signals import m2m_changed, post_delete, post_save

from commentary.relations import membership_model, reading_group_model

MODERATE_CODENAME = "moderate_comment"
MODERATE_PERMISSION = f"commentary.{MODERATE_CODENAME}"


@dataclass(frozen=True)
class ReaderRoles:
    """A reader's roles. Group ids are frozensets, one group in exactly one of them:

    - ``leads``: groups they own or moderate (every comment of the group is theirs to see),
      of which ``owns`` the ones they own;
    - ``reads``: groups they are a plain member of (the group's published comments);
    - ``reads_after_posting``: "post first" groups they are a plain member of (the group's
      published comments on paragraphs where they have written in it).
    """

    moderates: bool = False
    leads: frozenset[int] = field(default_factory=frozenset)
    owns: frozenset[int] = field(default_factory=frozenset)
    reads: frozenset[int] = field(default_factory=frozenset)
    reads_after_posting: frozenset[int] = field(default_factory=frozenset)
    # The only groups this request's credentials may reach (a token limited to groups);
    # None: no limit. The sets above are already cut down to it; the moderation rule reads
    # it too, as a site moderator's reach into groups (flagged comments) is not a set.
    group_limit: frozenset[int] | None = None

    @property
    def groups(self) -> frozenset[int]:
        """Every group they belong to, in any role."""
        return self.leads | self.reads | self.reads_after_posting

    @property
    def has_any(self) -> bool:
        return self.moderates or bool(self.groups)


NO_ROLES = ReaderRoles()

# Bumped by any change to memberships, groups or permissions in this process; a user
# object's roles read under an older value are read again.
_changes = itertools.count(1)
_generation = next(_changes)


def roles_changed(**_ignored) -> None:
    """Make every user object of this process read its roles again. Connected to the
    signals of the models that decide roles; call it after a bulk ``update()`` of them."""
    global _generation
    _generation = next(_changes)


def _roles_sql(*, with_user: bool = False) -> str:
    """The roles query: whether the user holds the permission (directly or through one of
    their groups), and one row per membership, a single row of nulls for none; with
    ``with_user``, each row starts with the user's own columns.

    Written out rather than built by the ORM: it runs on every signed-in request, and
    building it took the ORM several times what PostgreSQL takes to run it."""
    User = get_user_model()
    table = {
        "user": User._meta.db_table,
        "permission": Permission._meta.db_table,
        "content_type": Permission._meta.get_field("content_type").related_model._meta.db_table,
        "user_permission": User.user_permissions.through._meta.db_table,
        "user_group": User.groups.through._meta.db_table,
        "group_permission": Group.permissions.through._meta.db_table,
        "membership": membership_model()._meta.db_table,
        "group": reading_group_model()._meta.db_table,
    }
    reader = f"{table['user']} r" if with_user else "(SELECT 1 AS reader) r"
    return f"""
        SELECT {"r.*, " if with_user else ""}EXISTS (
                SELECT 1 FROM {table["permission"]} p
                JOIN {table["content_type"]} ct ON ct.id = p.content_type_id
                WHERE p.codename = %s AND ct.app_label = 'commentary' AND (
                    p.id IN (SELECT up.permission_id FROM {table["user_permission"]} up
                             WHERE up.user_id = %s)
                    OR p.id IN (SELECT gp.permission_id FROM {table["group_permission"]} gp
                                JOIN {table["user_group"]} ug ON ug.group_id = gp.group_id
                                WHERE ug.user_id = %s))
            ) AS scholia_granted, m.group_id AS scholia_group_id, m.role AS scholia_role,
            g.post_first AS scholia_post_first
        FROM {reader}
        LEFT JOIN {table["membership"]} m ON m.user_id = %s
        LEFT JOIN {table["group"]} g ON g.id = m.group_id
        {"WHERE r.id = %s" if with_user else ""}
    """


def user_with_roles(user_id):
    """The user ``user_id`` (None if there is none), with their roles already read
    (``reader_roles`` then asks nothing): the user's row and the roles query, in one query.
    For the authentication backends (``config.site.auth_backends``), which load the user of
    every signed-in request."""
    global _USER_ROLES_SQL
    if _USER_ROLES_SQL is None:
        _USER_ROLES_SQL = _roles_sql(with_user=True)
    params = [MODERATE_CODENAME, user_id, user_id, user_id, user_id]
    rows = list(get_user_model().objects.raw(_USER_ROLES_SQL, params))
    if not rows:
        return None
    user = rows[0]
    memberships = [
        (row.scholia_group_id, row.scholia_role, row.scholia_post_first)
        for row in rows
        if row.scholia_group_id is not None
    ]
    remember_roles(user, granted=bool(user.scholia_granted), memberships=memberships)
    return user


def _read_roles(user) -> ReaderRoles:
    """One query (``_roles_sql``)."""
    global _ROLES_SQL
    if _ROLES_SQL is None:
        _ROLES_SQL = _roles_sql()
    # Where the router sends reads (a replica, outside a writer's requests).
    with connections[router.db_for_read(type(user))].cursor() as cursor:
        cursor.execute(_ROLES_SQL, [MODERATE_CODENAME, user.pk, user.pk, user.pk])
        rows = cursor.fetchall()
    granted = any(row[0] for row in rows)
    return _roles_of(user, granted, [row[1:] for row in rows if row[1] is not None])


def _roles_of(user, granted: bool, memberships) -> ReaderRoles:
    leads, owns, reads, after_posting = set(), set(), set(), set()
    Membership = membership_model()
    for group_id, role, post_first in memberships:
        if role in Membership.LEADING_ROLES:
            leads.add(group_id)
            if role == Membership.Role.OWNER:
                owns.add(group_id)
        elif post_first:
            after_posting.add(group_id)
        else:
            reads.add(group_id)
    return ReaderRoles(
        moderates=user.is_active and (user.is_superuser or bool(granted)),
        leads=frozenset(leads),
        owns=frozenset(owns),
        reads=frozenset(reads),
        reads_after_posting=frozenset(after_posting),
    )


def remember_roles(user, *, granted: bool, memberships) -> ReaderRoles:
    """Roles learnt by another query of this request that read the same rows (whether
    ``user`` holds the moderation permission, and every membership of theirs as
    ``(group id, role, group's post_first)``), kept as ``reader_roles`` would keep them,
    so that it asks no query of its own."""
    roles = _roles_of(user, granted, memberships)
    user._scholia_roles = (_generation, roles)
    return roles


def roles_known(user, roles: ReaderRoles) -> None:
    """Take ``roles``, read by an earlier request and kept under a shared generation that
    any change to roles moves (``commentary.accounts.token_users``), as ``user``'s."""
    user._scholia_roles = (_generation, roles)


_ROLES_SQL: str | None = None
_USER_ROLES_SQL: str | None = None


def reader_roles(user) -> ReaderRoles:
    """``user``'s roles; none for anonymous readers. Read once per user object (and again
    after any change to roles in this process), then cut down to the limits of the
    request's credentials (``limit_roles``)."""
    if user is None or not user.is_authenticated:
        return NO_ROLES
    cached = getattr(user, "_scholia_roles", None)
    if cached is None or cached[0] != _generation:
        cached = (_generation, _read_roles(user))
        user._scholia_roles = cached
    limits = getattr(user, "_scholia_role_limits", None)
    return cached[1] if limits is None else _limited(cached[1], *limits)


def reader_description(user) -> str:
    """``user``'s roles as text, for what must differ between readers of other roles (an
    API answer's ETag, ``config.api.conditional``)."""
    return repr(reader_roles(user))


def limit_roles(user, *, groups: Collection[int] | None, moderates: bool) -> None:
    """Let this user object act in fewer roles than its user has: only in ``groups`` (None:
    in every group they belong to), and as a site moderator only if ``moderates``. For a
    credential narrower than its owner (an API token limited to groups or without the
    moderate scope): every rule that reads roles (the visibility rule, the moderation rule,
    the permission table) then sees no more than the credential allows. Lasts as long as
    the object, which lives for one request."""
    user._scholia_role_limits = (None if groups is None else frozenset(groups), moderates)


def _limited(roles: ReaderRoles, groups: frozenset[int] | None, moderates: bool) -> ReaderRoles:
    if groups is None:
        return replace(roles, moderates=roles.moderates and moderates)
    return ReaderRoles(
        moderates=roles.moderates and moderates,
        leads=roles.leads & groups,
        owns=roles.owns & groups,
        reads=roles.reads & groups,
        reads_after_posting=roles.reads_after_posting & groups,
        group_limit=groups,
    )


def _connect() -> None:
    User = get_user_model()
    # The groups wing's models by name: Django connects them once they are loaded.
    for model in ("commentary.Membership", "commentary.ReadingGroup", Group, Permission, User):
        post_save.connect(roles_changed, sender=model, dispatch_uid=f"roles-save-{model}")
        post_delete.connect(roles_changed, sender=model, dispatch_uid=f"roles-delete-{model}")
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(roles_changed, sender=through, dispatch_uid=f"roles-m2m-{through}")


_connect()
