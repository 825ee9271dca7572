"""What a reader is told of the change log: ``changes_for``.

Each row is judged when it is read, by the one visibility rule, never when it was written:

- a comment the reader may see now (``visible_to``, not deleted) comes as
  ``comment.created`` or ``comment.updated`` with the comment as the list shows it;
- one its author deleted as ``comment.deleted``, any other they may no longer see (hidden,
  rejected, held, or a group they left) as ``comment.removed``: tombstones, id and time
  only;
- ``group.joined`` and ``group.left`` reach only the member concerned.

A comment of a reading group is only ever named to that group's members (and to its
author): rows of the other groups are not even read for an outsider, so their changes do
not move an outsider's cursor. Within one page, a comment changed several times comes
once, at its last change, in its current state.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Max, Q

from commentary.models import Comment
from commentary.roles import reader_roles
from commentary.sync.models import Change

MAX_PAGE = 500

COMMENT_KINDS = [
    Change.Kind.CREATED,
    Change.Kind.EDITED,
    Change.Kind.DELETED,
    Change.Kind.DECIDED,
    Change.Kind.REPLIED,
    Change.Kind.MOVED,
]


@dataclass
class Entry:
    """What one change tells: its type, what it is about (a comment's id, a group's slug),
    when, and the comment as it is now, for a comment its reader sees."""

    type: str
    id: int | str
    at: datetime
    object: dict | None = None


@dataclass
class ChangePage:
    """Entries in order; the cursor after them; whether more follow."""

    entries: list[Entry] = field(default_factory=list)
    cursor: int = 0
    more: bool = False


def latest_cursor() -> int:
    """The cursor of the log's end: a sync from it hears only of what comes next."""
    return Change.objects.aggregate(last=Max("pk"))["last"] or 0


def _rows_for(user):
    """The rows ``user`` may be told of anything about."""
    reaches = Q(kind__in=COMMENT_KINDS, group_id__isnull=True)
    if user is None or not user.is_authenticated:
        return Change.objects.filter(reaches)
    roles = reader_roles(user)
    if roles.groups:
        reaches |= Q(kind__in=COMMENT_KINDS, group_id__in=sorted(roles.groups))
    own = Q(kind__in=COMMENT_KINDS, author_id=user.pk)
    if roles.group_limit is not None:
        own &= Q(group_id__isnull=True) | Q(group_id__in=sorted(roles.group_limit))
        member = Q(member_id=user.pk, group_id__in=sorted(roles.group_limit))
    else:
        member = Q(member_id=user.pk)
    return Change.objects.filter(reaches | own | member)


def changes_for(
    user, *, since: int, limit: int, represent: Callable[[list[int]], dict[int, dict]]
) -> ChangePage:
    """Up to ``limit`` rows after ``since`` that ``user`` may be told of, as entries.

    ``represent(ids)``: the comments among ``ids`` that ``user`` may see, not deleted, as
    the API shows them, by id (one query, ``visible_to``). Three queries and one per group
    left in the page: the rows, ``represent``, which of the others were deleted, and the
    member's own comments in a group they left, which they still see and which follow
    the ``group.left`` entry as updates.
    """
    rows = list(_rows_for(user).filter(pk__gt=since).order_by("pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    page = ChangePage(cursor=rows[-1].pk if rows else since, more=more)
    last: dict[int, Change] = {}
    for row in rows:
        if row.comment_id is not None:
            last[row.comment_id] = row
    left_groups = sorted({row.group_id for row in rows if row.kind == Change.Kind.LEFT})
    own_left: dict[int, list[int]] = {}
    if left_groups:
        for pk, group_id in (
            Comment.objects.visible_to(user)
            .live()
            .filter(author_id=user.pk, group_id__in=left_groups)
            .order_by("pk")
            .values_list("pk", "group_id")
        ):
            own_left.setdefault(group_id, []).append(pk)
    objects = represent(sorted({*last, *(pk for pks in own_left.values() for pk in pks)}))
    gone = [pk for pk in last if pk not in objects]
    deleted = set(
        Comment.objects.visible_to(user)
        .filter(pk__in=gone, deleted_at__isnull=False)
        .values_list("pk", flat=True)
        if gone
        else []
    )
    for row in rows:
        if row.comment_id is None:
            page.entries.append(Entry(f"group.{row.kind}", row.group_slug, row.at))
            for pk in own_left.get(row.group_id, []) if row.kind == Change.Kind.LEFT else []:
                if pk in objects:
                    page.entries.append(Entry("comment.updated", pk, row.at, objects[pk]))
            continue
        if last[row.comment_id] is not row:
            continue
        pk = row.comment_id
        if pk in objects:
            kind = "comment.created" if row.kind == Change.Kind.CREATED else "comment.updated"
            page.entries.append(Entry(kind, pk, row.at, objects[pk]))
        elif pk in deleted:
            page.entries.append(Entry("comment.deleted", pk, row.at))
        else:
            page.entries.append(Entry("comment.removed", pk, row.at))
    return page
