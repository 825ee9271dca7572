"""What the discussion's writes make stale in the page cache (see config.site.caching).

A new, deleted or moderated comment changes the counts in the reading page's margin and the
threads that show it; an edit changes only what the comment says, so the reading pages of
its work stay cached; a renamed person shows under comments on every work.
"""

from collections.abc import Collection

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from commentary import events
from config.site.caching import COUNTS, DISCUSSION, TEXT, bump, remembered
from edition.parts import passage_part_slugs


def comments_counted(work_slug: str, parts: Collection[str] = ()) -> None:
    """A comment of the work appeared or went: counts and threads are stale, on the pages of
    ``parts`` (the chapters that show its passage) and on the work's other pages."""
    bump(COUNTS, DISCUSSION, work=work_slug, parts=parts)


def comment_reworded(work_slug: str, parts: Collection[str] = ()) -> None:
    """What a comment of the work says changed; no count did."""
    bump(DISCUSSION, work=work_slug, parts=parts)


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
    return remembered(
        f"passage-parts:{work.pk}:{key}", (TEXT,), lambda: passage_part_slugs(work, key)
    )


def _counted(*, comment, **_ignored) -> None:
    comments_counted(comment.work.slug, _parts(comment))


def _edited(*, comment, status_changed: bool, **_ignored) -> None:
    (comments_counted if status_changed else comment_reworded)(comment.work.slug, _parts(comment))


def _decided(*, comment, status_changed: bool, **_ignored) -> None:
    if status_changed:
        comments_counted(comment.work.slug, _parts(comment))


def listen() -> None:
    """Connect the page cache to the discussion's events (``CommentaryConfig.ready``)."""
    events.comment_created.connect(_counted, dispatch_uid="cache-comment-created")
    events.comment_deleted.connect(_counted, dispatch_uid="cache-comment-deleted")
    events.comment_edited.connect(_edited, dispatch_uid="cache-comment-edited")
    events.comment_decided.connect(_decided, dispatch_uid="cache-comment-decided")
    group = "commentary.ReadingGroup"
    post_save.connect(_group_changed, sender=group, dispatch_uid="cache-group-saved")
    post_delete.connect(_group_changed, sender=group, dispatch_uid="cache-group-deleted")
