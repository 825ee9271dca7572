"""What a reader is told of the change log: ``changes_for``.

Each row is judged when it is read, by the one visibility rule, never when it was written:

- a comment the reader may see now (``visible_to``, not deleted) comes as
  ``comment.created`` or ``comment.updated`` with the comment as the list shows it;
- one its author deleted (or whose author deleted their account) as ``comment.deleted``,
  any other they may no longer see (hidden, rejected, held, or a group they left) as
  ``comment.removed``: tombstones, id and time only;
- ``group.joined``, ``group.left`` and ``group.changed`` (what they read of a group they
  stay in changed: it turned "post first" on or off, they became its owner) reach only the
  member concerned, and so do the rows that show a post-first member the group's comments
  on a paragraph once they write there.

A comment of a reading group is only ever named to those who may read it: the group's
members (in a "post first" group, a plain member only on the paragraphs they wrote on), its
author, and a site moderator once a member flagged it. Rows of the others are not even read
for an outsider, so their changes do not move an outsider's cursor. Within one page, a
comment changed several times comes once, at its last change, in its current state.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, Max, OuterRef, Q

from commentary.models import Comment
from commentary.relations import flag_model
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
    Change.Kind.ERASED,
    Change.Kind.RENAMED,
]

# The rows of a member's own: what they read of a group, and what it reveals to them.
GROUP_TYPES = {
    Change.Kind.JOINED: "group.joined",
    Change.Kind.LEFT: "group.left",
    Change.Kind.REACH: "group.changed",
}


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
    """The rows ``user`` may be told of anything about: those of the comments they may be
    able to read (the module says which), and their own group rows."""
    told = Q(kind__in=COMMENT_KINDS)
    reaches = told & Q(group_id__isnull=True)
    if user is None or not user.is_authenticated:
        return Change.objects.filter(reaches)
    roles = reader_roles(user)
    whole = roles.leads | roles.reads
    if whole:
        reaches |= told & Q(group_id__in=sorted(whole))
    if roles.reads_after_posting:
        wrote_here = Comment.objects.filter(
            group_id=OuterRef("group_id"),
            paragraph_id=OuterRef("paragraph_id"),
            author_id=user.pk,
        )
        reaches |= told & Q(group_id__in=sorted(roles.reads_after_posting)) & Q(Exists(wrote_here))
    if roles.moderates:
        flagged = Exists(flag_model().objects.filter(comment_id=OuterRef("comment_id")))
        moderated = Q(kind__in=[*COMMENT_KINDS, Change.Kind.FLAGGED], group_id__isnull=False)
        moderated &= Q(flagged)
        if roles.group_limit is not None:
            moderated &= Q(group_id__in=sorted(roles.group_limit))
        reaches |= moderated
    own = told & Q(author_id=user.pk)
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
    the API shows them, by id (one query, ``visible_to``). Three queries, and a fourth when
    the page holds a ``group.left``: the rows, ``represent``, which of the others were
    deleted, and the member's own comments in the groups they left, which they still see
    and which follow the ``group.left`` entry as updates.
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
            page.entries.append(Entry(GROUP_TYPES[row.kind], row.group_slug, row.at))
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
