"""What the discussion's writes make stale in the page cache (see config.site.caching).

A new, deleted or moderated comment changes the counts in the reading page's margin and the
threads that show it; an edit changes only what the comment says, so the reading pages of
its work stay cached; a renamed person shows under comments on every work.
"""

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
