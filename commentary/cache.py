"""What the discussion's writes make stale in the page cache (see config.site.caching).

A new, deleted or moderated comment changes the counts in the reading page's margin and the
threads that show it; an edit changes only what the comment says, so the reading pages of
its work stay cached; a renamed person shows under comments on every work.
"""

from commentary import events
from config.site.caching import COUNTS, DISCUSSION, bump


def comments_counted(work_slug: str) -> None:
    """A comment of the work appeared or went: counts and threads are stale."""
    bump(COUNTS, work=work_slug)
    bump(DISCUSSION, work=work_slug)


def comment_reworded(work_slug: str) -> None:
    """What a comment of the work says changed; no count did."""
    bump(DISCUSSION, work=work_slug)


def people_renamed() -> None:
    """A name shown beside comments changed, on any work."""
    bump(DISCUSSION)


# Listeners of ``commentary.events``: a comment that appeared, went, or changed status
# changes counts; an edit that kept the status changes only what it says.


def _counted(*, comment, **_ignored) -> None:
    comments_counted(comment.work.slug)


def _edited(*, comment, status_changed: bool, **_ignored) -> None:
    (comments_counted if status_changed else comment_reworded)(comment.work.slug)


def _decided(*, comment, status_changed: bool, **_ignored) -> None:
    if status_changed:
        comments_counted(comment.work.slug)


def listen() -> None:
    """Connect the page cache to the discussion's events (``CommentaryConfig.ready``)."""
    events.comment_created.connect(_counted, dispatch_uid="cache-comment-created")
    events.comment_deleted.connect(_counted, dispatch_uid="cache-comment-deleted")
    events.comment_edited.connect(_edited, dispatch_uid="cache-comment-edited")
    events.comment_decided.connect(_decided, dispatch_uid="cache-comment-decided")
