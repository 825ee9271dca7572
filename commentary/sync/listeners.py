"""The change log's writers: they hear the discussion's, the groups' and the edition's
events (each sent once, after its commit) and add a row per change, with no content."""

from django.db.models import Exists, OuterRef

from commentary import events
from commentary.groups import events as group_events
from commentary.models import Comment
from commentary.sync.models import Change
from edition import events as edition_events
from edition.models import VersionParagraph


def _row(comment, kind: str) -> Change:
    return Change(
        kind=kind, comment_id=comment.pk, author_id=comment.author_id, group_id=comment.group_id
    )


def _comment_changed(comment, kind: str) -> None:
    """A row for ``comment``, and one for its parent, whose count of replies may change."""
    rows = [_row(comment, kind)]
    if comment.parent_id is not None:
        parent = Comment.objects.only("pk", "author_id", "group_id").get(pk=comment.parent_id)
        rows.append(_row(parent, Change.Kind.REPLIED))
    Change.objects.bulk_create(rows)


def _created(*, comment, **_ignored) -> None:
    _comment_changed(comment, Change.Kind.CREATED)


def _edited(*, comment, **_ignored) -> None:
    _comment_changed(comment, Change.Kind.EDITED)


def _deleted(*, comment, **_ignored) -> None:
    _comment_changed(comment, Change.Kind.DELETED)


def _decided(*, comment, **_ignored) -> None:
    _comment_changed(comment, Change.Kind.DECIDED)


def _version_published(*, version, **_ignored) -> None:
    """The comments of the work on paragraphs the new version does not hold as themselves
    (merged into another, or removed): shown elsewhere from now on."""
    held = VersionParagraph.objects.filter(version=version, paragraph_id=OuterRef("paragraph_id"))
    moved = (
        Comment.objects.filter(work_id=version.work_id)
        .exclude(Exists(held))
        .values_list("pk", "author_id", "group_id")
    )
    Change.objects.bulk_create(
        Change(kind=Change.Kind.MOVED, comment_id=pk, author_id=author_id, group_id=group_id)
        for pk, author_id, group_id in moved.iterator()
    )


def _member_joined(*, group, user, **_ignored) -> None:
    Change.objects.create(
        kind=Change.Kind.JOINED, member_id=user.pk, group_id=group.pk, group_slug=group.slug
    )


def _member_left(*, group, user_id, **_ignored) -> None:
    Change.objects.create(
        kind=Change.Kind.LEFT, member_id=user_id, group_id=group.pk, group_slug=group.slug
    )


def listen() -> None:
    connections = [
        (events.comment_created, _created, "created"),
        (events.comment_edited, _edited, "edited"),
        (events.comment_deleted, _deleted, "deleted"),
        (events.comment_decided, _decided, "decided"),
        (edition_events.version_published, _version_published, "version-published"),
        (group_events.member_joined, _member_joined, "member-joined"),
        (group_events.member_left, _member_left, "member-left"),
    ]
    for signal, receiver, name in connections:
        signal.connect(receiver, dispatch_uid=f"sync-{name}")
