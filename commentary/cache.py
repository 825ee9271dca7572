"""What the discussion's writes make stale in the page cache (see config.site.caching).

A new, deleted or moderated comment changes the counts in the reading page's margin and the
threads that show it; an edit changes only what the comment says, so the reading pages of
its work stay cached; a renamed person shows under comments on every work.

A signed-in reader's own part of a reading page is kept under their own generation
(``config.site.caching.READER``, see ``edition.pages.shared_page``): what they follow,
their memberships, their sanctions, their account and their own comments make it stale
(their notifications too, ``commentary.notifications.services.unread_changed``); a
group's or a permission's change makes every reader's stale.
"""

from collections.abc import Collection
from functools import partial

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from commentary import events
from config.site.caching import (
    COUNTS,
    DISCUSSION,
    TEXT,
    bump,
    expect_kept,
    reader_changed,
    readers_changed,
    remembered,
)
from edition.parts import passage_part_slugs


def comments_counted(
    work_slug: str, parts: Collection[str] = (), readers: Collection[int | None] = ()
) -> None:
    """A comment of the work appeared or went: counts and threads are stale, on the pages of
    ``parts`` (the chapters that show its passage) and on the work's other pages; and the
    own parts of ``readers`` (its author), in the same round trip."""
    bump(COUNTS, DISCUSSION, work=work_slug, parts=parts, readers=readers)


def comment_reworded(
    work_slug: str, parts: Collection[str] = (), readers: Collection[int | None] = ()
) -> None:
    """What a comment of the work says changed; no count did."""
    bump(DISCUSSION, work=work_slug, parts=parts, readers=readers)


def people_renamed() -> None:
    """A name shown beside comments changed, on any work."""
    bump(DISCUSSION)


def _group_changed(*, update_fields=None, **_ignored) -> None:
    # A group's name shows with its discussion (its annotation container's label): what
    # shows its comments is stale, on every work. A save of other fields only (its
    # invitation) shows nowhere there.
    if update_fields is None or "name" in update_fields:
        transaction.on_commit(people_renamed)


# Listeners of ``commentary.events``: a comment that appeared, went, or changed status
# changes counts; an edit that kept the status changes only what it says.


def _parts(comment) -> set[str]:
    """The chapters of its work that show ``comment``'s passage (none for an undivided
    work), so that a comment expires its chapter's pages and no other chapter's. Kept in
    the cache under the text's generation, which publishing a version moves: a post asks
    the database nothing for them."""
    work, key = comment.work, comment.paragraph.key
    return remembered(_parts_name(work.slug, key), (TEXT,), lambda: passage_part_slugs(work, key))


def _parts_name(work_slug: str, key: str) -> str:
    return f"passage-parts:{work_slug}:{key}"


def expect_passage_parts(work_slug: str, key: str) -> None:
    """A comment is about to be posted on passage ``key`` of the work with slug
    ``work_slug``: read its chapters (``_parts``, for its event) with the request's first
    read of the pages' cache, rather than in a read of their own once it is written."""
    expect_kept(_parts_name(work_slug, key))


# Each also makes stale the own parts of the comment's author, who sees their comments
# whatever their status, in the same round trip as the counts.


def _counted(*, comment, **_ignored) -> None:
    comments_counted(comment.work.slug, _parts(comment), readers=[comment.author_id])


def _edited(*, comment, status_changed: bool, **_ignored) -> None:
    (comments_counted if status_changed else comment_reworded)(
        comment.work.slug, _parts(comment), readers=[comment.author_id]
    )


def _decided(*, comment, status_changed: bool, **_ignored) -> None:
    if status_changed:
        comments_counted(comment.work.slug, _parts(comment), readers=[comment.author_id])
    else:
        _reader_changed(comment.author_id)


def _reader_changed(user_id: int | None) -> None:
    if user_id is not None:
        transaction.on_commit(partial(reader_changed, user_id))


def _readers_changed(**_ignored) -> None:
    transaction.on_commit(readers_changed)


def _own_row_changed(*, instance, **_ignored) -> None:
    # A follow, a membership, a sanction: a row of one reader's.
    _reader_changed(instance.user_id)


def _account_changed(*, instance, **_ignored) -> None:
    _reader_changed(instance.pk)


def _flagged(*, comment, flag, **_ignored) -> None:
    # The flagger's "Flagged" under the comment, kept with their part of its thread page.
    _reader_changed(flag.user_id)
    # A site moderator reads a group's comment from its first flag on.
    if comment.group_id is not None:
        readers_changed()


def _relation_changed(*, action: str, **_ignored) -> None:
    if action.startswith("post_"):
        _readers_changed()


def _account_roles_changed(*, instance, action: str, **_ignored) -> None:
    # A user's groups or permissions: theirs alone; a group's permissions: its holders'.
    if not action.startswith("post_"):
        return
    if isinstance(instance, get_user_model()):
        _reader_changed(instance.pk)
    else:
        _readers_changed()


def listen() -> None:
    """Connect the page cache to the discussion's events (``CommentaryConfig.ready``)."""
    for own_row in ("commentary.Follow", "commentary.Membership", "commentary.Sanction"):
        post_save.connect(_own_row_changed, sender=own_row, dispatch_uid=f"reader-{own_row}")
        post_delete.connect(_own_row_changed, sender=own_row, dispatch_uid=f"reader-{own_row}")
    User = get_user_model()
    post_save.connect(_account_changed, sender=User, dispatch_uid="reader-account-saved")
    post_delete.connect(_account_changed, sender=User, dispatch_uid="reader-account-deleted")
    for shared in ("commentary.ReadingGroup", Group, Permission):
        post_save.connect(_readers_changed, sender=shared, dispatch_uid=f"readers-{shared}")
        post_delete.connect(_readers_changed, sender=shared, dispatch_uid=f"readers-{shared}")
    for through in (User.groups.through, User.user_permissions.through):
        m2m_changed.connect(_account_roles_changed, sender=through, dispatch_uid=f"r-{through}")
    m2m_changed.connect(
        _relation_changed, sender=Group.permissions.through, dispatch_uid="readers-group-perms"
    )
    # The works a group reads: the layers offered on a work's page.
    works = apps.get_model("commentary", "ReadingGroup").works.through
    m2m_changed.connect(_relation_changed, sender=works, dispatch_uid="readers-group-works")
    events.comment_flagged.connect(_flagged, dispatch_uid="readers-comment-flagged")
    events.comment_created.connect(_counted, dispatch_uid="cache-comment-created")
    events.comment_deleted.connect(_counted, dispatch_uid="cache-comment-deleted")
    events.comment_edited.connect(_edited, dispatch_uid="cache-comment-edited")
    events.comment_decided.connect(_decided, dispatch_uid="cache-comment-decided")
    group = "commentary.ReadingGroup"
    post_save.connect(_group_changed, sender=group, dispatch_uid="cache-group-saved")
    post_delete.connect(_group_changed, sender=group, dispatch_uid="cache-group-deleted")
