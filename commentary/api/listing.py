"""What a comment list reads and shows: the comments a reader may see with their reply
counts and tags, in one query, as plain rows (``CommentRow``), and those rows as the API
shows them. Shared by the comment list, the moderation queue and the change log."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from rest_framework.request import Request

from commentary.anchors import VersionWordings
from commentary.api.serializers import comment_data, comments_url
from commentary.models import Comment
from commentary.rows import CommentRow
from commentary.tags import tags_joined, tags_split

RELATED = ("author__profile", "work", "paragraph", "version", "group")


def comment_queryset(user, comments: QuerySet[Comment] | None = None) -> QuerySet[Comment]:
    """Comments ``user`` may see (``comments``: only those of them, a part of
    ``Comment.objects.visible_to(user)``), with what their representation needs, in one
    query.

    ``reply_count`` counts the direct replies the same user may see, tombstones left out.
    """
    visible_replies = (
        Comment.objects.visible_to(user)
        .live()
        .filter(parent_id=OuterRef("pk"))
        .order_by()
        .values("parent_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    if comments is None:
        comments = Comment.objects.visible_to(user)
    return comments.select_related(*RELATED).annotate(
        reply_count=Coalesce(Subquery(visible_replies, output_field=IntegerField()), 0),
        tag_names=tags_joined(),
    )


def listed_rows(comments: QuerySet[Comment], *extra: str) -> QuerySet:
    """``comments`` (from ``comment_queryset``) as the plain rows the list serializes (see
    CommentRow), with ``modified_at`` and the ``extra`` fields a pagination may sort by."""
    return comments.values(*CommentRow.FIELDS, "reply_count", "tag_names", "modified_at", *extra)


def listed_data(request: Request, rows, wordings: VersionWordings | None = None) -> list[dict]:
    """Rows of ``listed_rows`` as the comment list shows them; no query."""
    list_url = comments_url({"request": request})
    listed = []
    for row in rows:
        data = comment_data(
            CommentRow.from_values(row),
            list_url=list_url,
            reply_count=row["reply_count"],
            wordings=wordings,
            tags=tags_split(row["tag_names"]),
        )
        if "position" in row:  # in reading order: the paragraph's place in the text
            data["position"] = row["position"]
        listed.append(data)
    return listed
