"""A member about to post a comment, as the site's write policy reads them: the sanction in
force on them where they write, whether they are still a new member, and their profile, in
one query (``SitePolicy.poster``); then the status their comment starts in and their rate
(``Poster.admit``).

The query asks the sanctions of the site and of the reading group the comment goes to (a
reply's is its thread's, known before its parent is locked: a comment's group never
changes), the moderator's decision on their trust, and the id of their threshold-th
approved comment (``trust.last_held_approval``: it reads no further, however many they
wrote). Their profile row comes with it and is left on the user object, so that what the
request shows of them next (their name under the comment) asks nothing again.

The statement is written out once per shape (in a group or not; the threshold, or none
for a moderator) and kept, rather than built by the ORM on every post, which cost several
times the database's answer. It says what ``Sanction.objects.in_force().applying_to()``
and ``trust.last_held_approval`` say (tests/commentary/test_posting_author.py holds them
to the same answers, member by member): a change to either rule is made in both.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.utils import timezone

from commentary.accounts.models import Profile
from commentary.errors import MemberSanctioned
from commentary.models import Comment
from commentary.moderation import decisions, ratelimits, sanctions, trust
from commentary.moderation.models import Sanction
from commentary.moderation.moderators import is_moderator
from commentary.policy import Admission


@dataclass
class Poster:
    user: object
    group_id: int | None
    sanction_id: int | None
    new_member: bool

    def ensure_may_write(self, *, group_id: int | None = None) -> None:
        """Raise MemberSanctioned if a sanction read stops them writing in ``group_id``
        (None: the public discussion), the site's first; a group not read is asked."""
        if group_id is not None and group_id != self.group_id:
            sanctions.ensure_may_write(self.user, group_id=group_id)
            return
        if self.sanction_id is None:
            return
        sanction = Sanction.objects.select_related("group").get(pk=self.sanction_id)
        if group_id is None and sanction.group_id is not None:
            return  # the group's own sanction: the public discussion is open to them
        raise MemberSanctioned(sanctions.sanction_message(sanction))

    def admit(self, *, work, group) -> Admission:
        return Admission(
            status=decisions.initial_status(
                author=self.user, work=work, group=group, new_member=self.new_member
            ),
            wait=ratelimits.comment_wait(self.user, new_member=self.new_member),
        )


def poster_read(user, *, group_id: int | None) -> Poster:
    """``user`` about to post in reading group ``group_id`` (None: the public discussion),
    read in one query (see the module)."""
    sanction_id, held_approval, profile = author_read(user, group_id=group_id)
    if profile is not None:
        user.profile = profile
    return Poster(
        user=user,
        group_id=group_id,
        sanction_id=sanction_id,
        new_member=trust.new_member_read(
            user,
            override=profile.trusted if profile is not None else None,
            held_approval=held_approval,
        ),
    )


def author_read(user, *, group_id: int | None) -> tuple[int | None, int | None, Profile | None]:
    """The id of the sanction in force on ``user`` where they write (the site's first, then
    the newest), the id of their threshold-th approved public comment (None while fewer
    are approved, and for a moderator or a threshold of 0, whom it does not concern) and
    their profile (None: they have none). One query; DoesNotExist for no such user."""
    held = settings.SCHOLIA_NEW_MEMBER_HELD
    held = None if held <= 0 or is_moderator(user) else held
    User = get_user_model()
    connection = connections[User.objects.db]
    statement, converters = _author_statement(connection.alias, group_id is not None, held)
    params = [connection.ops.adapt_datetimefield_value(timezone.now())]
    if group_id is not None:
        params.append(group_id)
    if held is not None:
        params.append(Comment.Status.PUBLISHED.value)
    params.append(user.pk)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        row = cursor.fetchone()
    if row is None:
        raise User.DoesNotExist(f"{User._meta.object_name} matching query does not exist.")
    sanction_id, held_approval, *values = row
    if values[0] is None:  # no profile id (its first column): the LEFT JOIN found none
        return sanction_id, held_approval, None
    for position, (functions, column) in converters.items():
        for convert in functions:
            values[position] = convert(values[position], column, connection)
    fields = Profile._meta.concrete_fields
    profile = Profile.from_db(connection.alias, [field.attname for field in fields], values)
    return sanction_id, held_approval, profile


@cache
def _author_statement(alias: str, in_group: bool, held: int | None) -> tuple[str, dict]:
    """``author_read``'s SQL for its shape, with the converters of the profile's columns
    (the database's booleans, for one), by position."""
    connection = connections[alias]
    quoted = connection.ops.quote_name

    def table(model) -> str:
        return quoted(model._meta.db_table)

    def column(model, field: str) -> str:
        return f"{table(model)}.{quoted(model._meta.get_field(field).column)}"

    User = get_user_model()
    user_id = column(User, User._meta.pk.name)
    group_scope = f" OR {column(Sanction, 'group')} = %s" if in_group else ""
    # The site's sanction before a group's (a group's id is never null), then the newest.
    sanction_read = (
        f"SELECT {column(Sanction, 'id')} FROM {table(Sanction)}"
        f" WHERE {column(Sanction, 'user')} = {user_id}"
        f" AND {column(Sanction, 'lifted_at')} IS NULL"
        f" AND ({column(Sanction, 'until')} IS NULL OR {column(Sanction, 'until')} > %s)"
        f" AND ({column(Sanction, 'group')} IS NULL{group_scope})"
        f" ORDER BY {column(Sanction, 'group')} IS NOT NULL, {column(Sanction, 'id')} DESC"
        " LIMIT 1"
    )
    # Approvals in a reading group earn no trust in the public discussion (``trust``).
    held_read = (
        "NULL"
        if held is None
        else f"(SELECT {column(Comment, 'id')} FROM {table(Comment)}"
        f" WHERE {column(Comment, 'author')} = {user_id}"
        f" AND {column(Comment, 'status')} = %s"
        f" AND {column(Comment, 'deleted_at')} IS NULL"
        f" AND {column(Comment, 'group')} IS NULL"
        f" LIMIT 1 OFFSET {int(held) - 1})"
    )
    fields = Profile._meta.concrete_fields
    columns = ", ".join(column(Profile, field.name) for field in fields)
    statement = (
        f"SELECT ({sanction_read}), {held_read}, {columns}"
        f" FROM {table(User)} LEFT OUTER JOIN"
        f" {table(Profile)} ON {column(Profile, 'user')} = {user_id}"
        f" WHERE {user_id} = %s"
    )
    converters = {}
    for position, field in enumerate(fields):
        read = field.get_col(Profile._meta.db_table)
        functions = connection.ops.get_db_converters(read) + read.get_db_converters(connection)
        if functions:
            converters[position] = (functions, read)
    return statement, converters
