"""The change log's writers: they hear the discussion's, the groups', the accounts' and the
edition's events (each sent once, after its commit) and add a row per change, with no
content, through ``changes_log`` (which keeps the ids in the order they commit)."""

from django.db.models import Exists, OuterRef

from commentary import events
from commentary.accounts import events as account_events
from commentary.groups import events as group_events
from commentary.groups.models import Membership, ReadingGroup
from commentary.models import Comment
from commentary.sync.models import Change
from commentary.sync.writes import changes_log
from edition import events as edition_events
from edition.models import VersionParagraph

COMMENT_FIELDS = ("pk", "author_id", "group_id", "paragraph_id")


def _row(comment, kind: str) -> Change:
    return Change(
        kind=kind,
        comment_id=comment.pk,
        author_id=comment.author_id,
        group_id=comment.group_id,
        paragraph_id=comment.paragraph_id,
    )


def _rows_of(comments, kind: str, **extra) -> list[Change]:
    """A row of ``kind`` for each of ``comments`` (a queryset), read in one query."""
    return [
        Change(
            kind=kind, comment_id=pk, author_id=author, group_id=group, paragraph_id=para, **extra
        )
        for pk, author, group, para in comments.order_by("pk").values_list(*COMMENT_FIELDS)
    ]


def _parent_row(comment) -> list[Change]:
    """A row for ``comment``'s parent, whose count of replies may change."""
    if comment.parent_id is None:
        return []
    parent = Comment.objects.only(*COMMENT_FIELDS).get(pk=comment.parent_id)
    return [_row(parent, Change.Kind.REPLIED)]


def _revealed(comment) -> list[Change]:
    """In a "post first" group, a plain member's first comment on a paragraph shows them
    the group's comments there (``Comment.group_condition``): a row for each, that only
    they read. Their later comments there reveal nothing more; and since the rule counts
    any comment of theirs there, deleted or not, nothing they do takes it back."""
    if comment.group_id is None:
        return []
    plain_member = Membership.objects.filter(
        group_id=comment.group_id,
        user_id=comment.author_id,
        role=Membership.Role.MEMBER,
        group__post_first=True,
    )
    here = Comment.objects.filter(group_id=comment.group_id, paragraph_id=comment.paragraph_id)
    earlier = here.filter(author_id=comment.author_id, pk__lt=comment.pk)
    if earlier.exists() or not plain_member.exists():
        return []
    others = here.exclude(author_id=comment.author_id).filter(
        status=Comment.Status.PUBLISHED, deleted_at__isnull=True
    )
    return _rows_of(others, Change.Kind.REVEALED, member_id=comment.author_id)


def _comment_changed(comment, kind: str) -> None:
    changes_log([_row(comment, kind), *_parent_row(comment)])


def _created(*, comment, **_ignored) -> None:
    changes_log([_row(comment, Change.Kind.CREATED), *_parent_row(comment), *_revealed(comment)])


def _edited(*, comment, **_ignored) -> None:
    _comment_changed(comment, Change.Kind.EDITED)


def _deleted(*, comment, **_ignored) -> None:
    _comment_changed(comment, Change.Kind.DELETED)


def _decided(*, comment, **_ignored) -> None:
    _comment_changed(comment, Change.Kind.DECIDED)


def _flagged(*, comment, **_ignored) -> None:
    """A site moderator reads a reading group's comment once it is flagged; a public one
    they read already, and a flag changes nothing anybody else is shown."""
    if comment.group_id is not None:
        changes_log([_row(comment, Change.Kind.FLAGGED)])


def _version_published(*, version, **_ignored) -> None:
    """The comments of the work on paragraphs the new version does not hold as themselves
    (merged into another, or removed): shown elsewhere from now on."""
    held = VersionParagraph.objects.filter(version=version, paragraph_id=OuterRef("paragraph_id"))
    moved = Comment.objects.filter(work_id=version.work_id).exclude(Exists(held))
    changes_log(_rows_of(moved, Change.Kind.MOVED))


def _account_deleted(*, user_id, **_ignored) -> None:
    """Every comment of theirs now shows "[deleted member]", and most are tombstones; the
    comments they replied to may count one reply fewer."""
    theirs = Comment.objects.filter(author_id=user_id)
    parents = Comment.objects.filter(pk__in=theirs.filter(parent__isnull=False).values("parent"))
    changes_log([*_rows_of(theirs, Change.Kind.ERASED), *_rows_of(parents, Change.Kind.REPLIED)])


def _member_renamed(*, user_id, **_ignored) -> None:
    changes_log(_rows_of(Comment.objects.filter(author_id=user_id), Change.Kind.RENAMED))


def _group_row(kind: str, group: ReadingGroup, user_id: int) -> Change:
    return Change(kind=kind, member_id=user_id, group_id=group.pk, group_slug=group.slug)


def _member_joined(*, group, user, **_ignored) -> None:
    changes_log([_group_row(Change.Kind.JOINED, group, user.pk)])


def _member_left(*, group, user_id, **_ignored) -> None:
    changes_log([_group_row(Change.Kind.LEFT, group, user_id)])


def _reach_changed(*, group, user_ids, **_ignored) -> None:
    changes_log([_group_row(Change.Kind.REACH, group, user_id) for user_id in user_ids])


def _group_copied(*, comment_ids, **_ignored) -> None:
    changes_log(_rows_of(Comment.objects.filter(pk__in=comment_ids), Change.Kind.CREATED))


def listen() -> None:
    connections = [
        (events.comment_created, _created, "created"),
        (events.comment_edited, _edited, "edited"),
        (events.comment_deleted, _deleted, "deleted"),
        (events.comment_decided, _decided, "decided"),
        (events.comment_flagged, _flagged, "flagged"),
        (edition_events.version_published, _version_published, "version-published"),
        (account_events.account_deleted, _account_deleted, "account-deleted"),
        (account_events.member_renamed, _member_renamed, "member-renamed"),
        (group_events.member_joined, _member_joined, "member-joined"),
        (group_events.member_left, _member_left, "member-left"),
        (group_events.reach_changed, _reach_changed, "reach-changed"),
        (group_events.group_copied, _group_copied, "group-copied"),
    ]
    for signal, receiver, name in connections:
        signal.connect(receiver, dispatch_uid=f"sync-{name}")
