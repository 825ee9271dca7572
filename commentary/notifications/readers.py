"""Who among some members may read a comment: the one visibility rule
(``Comment.objects.visible_to``) asked for each of them, in a few queries for any number.

Their roles (moderator or not, their reading groups) are read for all of them at once and
kept on each user object as ``commentary.roles`` keeps them; then the rule is asked for a
hundred members per query, as a UNION of ``visible_to(member)`` restricted to the comment.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import IntegerField, Value

from commentary.models import Comment
from commentary.relations import membership_model
from commentary.roles import MODERATE_PERMISSION, remember_roles

MEMBERS_PER_QUERY = 100


def members_with_roles(user_ids: Iterable[int]) -> list:
    """The active members ``user_ids``, their roles read in two queries for all."""
    User = get_user_model()
    users = list(User.objects.filter(pk__in=set(user_ids), is_active=True))
    if not users:
        return []
    ids = [user.pk for user in users]
    granted = set(
        User.objects.with_perm(
            MODERATE_PERMISSION,
            include_superusers=False,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    memberships: dict[int, list] = {pk: [] for pk in ids}
    rows = (
        membership_model()
        .objects.filter(user_id__in=ids)
        .values_list("user_id", "group_id", "role", "group__post_first")
    )
    for user_id, group_id, role, post_first in rows:
        memberships[user_id].append((group_id, role, post_first))
    for user in users:
        remember_roles(user, granted=user.pk in granted, memberships=memberships[user.pk])
    return users


def readers_of(comment: Comment, user_ids: Iterable[int]) -> set[int]:
    """Which of ``user_ids`` may read ``comment`` now (``visible_to`` each), a live comment
    only: a tombstone says nothing to anyone."""
    users = members_with_roles(user_ids)
    readers: set[int] = set()
    for start in range(0, len(users), MEMBERS_PER_QUERY):
        chunk = users[start : start + MEMBERS_PER_QUERY]
        asked = [
            Comment.objects.visible_to(user)
            .live()
            .filter(pk=comment.pk)
            .order_by()
            .annotate(reader=Value(user.pk, output_field=IntegerField()))
            .values_list("reader", flat=True)
            for user in chunk
        ]
        readers.update(asked[0].union(*asked[1:], all=True))
    return readers
