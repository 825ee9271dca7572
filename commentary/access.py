"""Fetch helpers: each returns what the user may see or raises Http404, never 403.

"Does not exist" and "exists but not yours" are the same answer (design invariant 4).
"""

from django.db.models import Count
from django.http import Http404

from commentary.models import Comment


def get_comment_for_user(user, pk) -> Comment:
    try:
        return Comment.objects.visible_to(user).with_related().get(pk=int(pk))
    except (Comment.DoesNotExist, TypeError, ValueError) as missing:
        raise Http404("No such comment.") from missing


def get_comment_for_author(user, pk) -> Comment:
    """A comment its author may edit or delete; anybody else gets the same 404."""
    comment = get_comment_for_user(user, pk)
    if not comment.is_editable_by(user):
        raise Http404("No such comment.")
    return comment


def paragraph_comment_counts(user, paragraph_ids) -> dict[int, int]:
    """Live comments per paragraph that ``user`` may see, in one query."""
    rows = (
        Comment.objects.visible_to(user)
        .live()
        .filter(paragraph_id__in=list(paragraph_ids))
        .values("paragraph_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["paragraph_id"]: row["count"] for row in rows}
