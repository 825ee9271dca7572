"""Every comment a reader may read on a work, in the order of its text: paragraph by
paragraph as the current version orders them, then oldest first on each paragraph.

The page (``/works/<slug>/comments/``) and the API (``/api/v1/works/<slug>/comments/``)
both read ``reading_order``; the visibility rule narrows it before anything else.
Comments on passages the current version no longer holds are not in this list (they are
listed under the text, "comments on passages no longer in this version").
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from commentary.models import Comment
from commentary.roles import reader_roles
from commentary.search.reads import comments_filtered
from commentary.tags import tags_joined
from edition.models import Work
from edition.parts import Chapter


@dataclass(frozen=True)
class ReadingFilters:
    # One chapter of the work's current version: the comments on its paragraphs.
    chapter: Chapter | None = None
    author_id: int | None = None
    group_slug: str = ""
    tag: str = ""
    created_after: datetime | None = None
    created_before: datetime | None = None
    status: str = ""


def may_filter_by_status(user) -> bool:
    return reader_roles(user).moderates or bool(reader_roles(user).leads)


def reading_order(user, work: Work, filters: ReadingFilters) -> QuerySet[Comment]:
    """The live comments ``user`` may read on ``work``'s current version, in reading order,
    each with ``position`` and ``tag_names`` (``commentary.tags.tags_split``)."""
    comments = comments_filtered(Comment.objects.visible_to(user).live().on_work(work), filters)
    if filters.status:
        # Within what the reader may read anyway: a moderator's view of held comments.
        comments = comments.filter(status=filters.status)
    return (
        comments.in_reading_order(work.current_version)
        .select_related("author__profile", "paragraph", "revision", "version", "group")
        .annotate(tag_names=tags_joined())
    )
