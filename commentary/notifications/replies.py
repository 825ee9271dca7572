"""Who is told of a published comment, and what: the reply notification and its kin.

``comment_notify`` runs once a comment is readable (created published, or approved or
restored by a moderator), as one background task however many are told. In order of
precedence, each member told once per comment:

- ``mention``: members named as ``@username`` in it;
- ``reply``: the author of the comment it answers;
- ``thread``: followers of its thread;
- ``paragraph`` and ``work``: followers of its paragraph or work.

Never its own author. Then the one visibility rule decides (``readers.readers_of``): a
member who may not read the comment is not told of it, a mention included. In a "post
first" group, a plain member who would be told but has not yet written on the paragraph
gets one note that the group wrote there (``group_wrote``: no author, no words), until
they read it.

``comment_withdraw`` removes the unread notifications of a comment that stopped being
readable (held again, hidden, rejected, deleted); what was read stays read, and the list
shows it only while the visibility rule allows.
"""

from django.db import connections, router, transaction
from django.db.models import Q

from commentary.mentions import mentioned_usernames
from commentary.models import Comment
from commentary.notifications.models import Follow, Kind, Notification
from commentary.notifications.readers import readers_of
from commentary.notifications.services import unread_changed_for
from commentary.relations import membership_model


def _followers(comment: Comment) -> list[tuple[str, list[int]]]:
    """(kind, user ids) of everyone following the comment's thread, paragraph or work, in
    one statement, written out as ``follows.own_thread_follow`` is: every published post
    asks it, and the ORM's building of it cost more than the database's answer."""
    places = [(Follow.Target.WORK, "work", comment.work_id)]
    places.append((Follow.Target.PARAGRAPH, "paragraph", comment.paragraph_id))
    if comment.root_id is not None:
        places.append((Follow.Target.THREAD, "thread", comment.root_id))
    connection = connections[router.db_for_read(Follow)]
    quoted = connection.ops.quote_name

    def column(name: str) -> str:
        return quoted(Follow._meta.get_field(name).column)

    where = " OR ".join(
        f"({column('target')} = %s AND {column(name)} = %s)" for _target, name, _pk in places
    )
    found: dict[str, list[int]] = {Kind.THREAD: [], Kind.PARAGRAPH: [], Kind.WORK: []}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column('user')}, {column('target')} FROM {quoted(Follow._meta.db_table)}"
            f" WHERE {where}",
            [value for target, _name, pk in places for value in (target.value, pk)],
        )
        for user_id, target in cursor.fetchall():
            found[target].append(user_id)
    return [(kind, found[kind]) for kind in (Kind.THREAD, Kind.PARAGRAPH, Kind.WORK)]


def _mentioned(comment: Comment) -> list[int]:
    from django.contrib.auth import get_user_model

    names = mentioned_usernames(comment.body)
    if not names:
        return []
    User = get_user_model()
    return list(
        User.objects.filter(**{f"{User.USERNAME_FIELD}__in": names}).values_list("pk", flat=True)
    )


def candidates_of(comment: Comment, *, mentions_only: bool = False) -> dict[int, str]:
    """{member id: the kind they would be told by}, before the visibility rule."""
    told: dict[int, str] = {}
    for user_id in _mentioned(comment):
        told.setdefault(user_id, Kind.MENTION)
    if not mentions_only:
        if comment.parent_id is not None:
            parent_author = Comment.objects.filter(pk=comment.parent_id).values_list(
                "author_id", flat=True
            )
            for user_id in parent_author:
                told.setdefault(user_id, Kind.REPLY)
        for kind, user_ids in _followers(comment):
            for user_id in user_ids:
                told.setdefault(user_id, kind)
    told.pop(comment.author_id, None)
    return told


def _post_first_notes(comment: Comment, outsiders: set[int]) -> list[Notification]:
    """For a comment in a "post first" group: a note to each plain member among
    ``outsiders`` (who would be told but may not read it yet), unless an unread one for the
    same paragraph is waiting."""
    group = comment.group
    if group is None or not group.post_first or not outsiders:
        return []
    members = set(
        membership_model()
        .objects.filter(group=group, user_id__in=outsiders)
        .values_list("user_id", flat=True)
    )
    waiting = set(
        Notification.objects.filter(
            kind=Kind.GROUP_WROTE,
            group=group,
            paragraph_id=comment.paragraph_id,
            recipient_id__in=members,
            read_at__isnull=True,
        ).values_list("recipient_id", flat=True)
    )
    return [
        Notification(
            recipient_id=user_id,
            kind=Kind.GROUP_WROTE,
            work_id=comment.work_id,
            paragraph_id=comment.paragraph_id,
            group=group,
        )
        for user_id in sorted(members - waiting)
    ]


def comment_notify(comment_id: int, *, mentions_only: bool = False) -> list[int]:
    """Tell whoever is to be told of comment ``comment_id`` if it is published and live
    (see the module). Safe to run twice. Returns the ids of the notifications written."""
    comment = Comment.objects.select_related("group", "work").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.PUBLISHED or comment.is_deleted:
        return []
    told = candidates_of(comment, mentions_only=mentions_only)
    if not told:
        return []
    readers = readers_of(comment, told)
    notes = [
        Notification(
            recipient_id=user_id,
            kind=told[user_id],
            comment=comment,
            work_id=comment.work_id,
            paragraph_id=comment.paragraph_id,
        )
        for user_id in sorted(readers)
    ]
    notes += _post_first_notes(comment, set(told) - readers)
    with transaction.atomic():
        Notification.objects.bulk_create(notes, ignore_conflicts=True)
    recipients = [note.recipient_id for note in notes]
    transaction.on_commit(lambda: unread_changed_for(recipients))
    # bulk_create with ignore_conflicts sets no ids: read back what is there now.
    return list(
        Notification.objects.filter(
            Q(comment=comment) | Q(kind=Kind.GROUP_WROTE, group_id=comment.group_id),
            recipient_id__in=recipients,
            read_at__isnull=True,
            emailed_at__isnull=True,
            event__isnull=True,
        ).values_list("pk", flat=True)
    )


def comment_withdraw(comment_id: int) -> int:
    """Remove the unread notifications of comment ``comment_id`` (not the decisions its
    author is told of). Returns how many."""
    unread = Notification.objects.filter(
        comment_id=comment_id, event__isnull=True, read_at__isnull=True
    )
    recipients = list(unread.values_list("recipient_id", flat=True))
    deleted, _ = unread.delete()
    unread_changed_for(recipients)
    return deleted
