"""Comment routes of the API; config/api/urls.py joins them into the ``api`` namespace."""

from django.urls import path
from rest_framework.settings import api_settings

from commentary.api import views
from commentary.api.filters import CommentFilter
from config.api.pagination import CursorPagination
from config.site.caching import DISCUSSION, cache_for_anonymous


def cached(view, *, params: tuple[str, ...] = (), unstored: tuple[str, ...] = ()):
    """An API view served from the page cache to anonymous clients, as JSON or as the
    browsable API, keyed by the query parameters it reads (see ``cache_for_anonymous``)."""
    return cache_for_anonymous(
        view,
        params=(*params, api_settings.URL_FORMAT_OVERRIDE),
        shows=(DISCUSSION,),
        negotiated=True,
        unstored=unstored,
    )


# The comment list's filters whose values name no thing the filters can check (instants,
# a position, a group that must not be told from one that does not exist, a tag: any word
# is one): answered but never stored. Every other filter answers 400 to a name that does
# not exist.
LIST_UNSTORED = (
    "created_after",
    "created_before",
    "modified_after",
    "group",
    "tag",
    CursorPagination.cursor_query_param,
)
LIST_PARAMS = (
    *(name for name in CommentFilter.base_filters if name not in LIST_UNSTORED),
    CursorPagination.page_size_query_param,
)

urlpatterns = [
    # allows /api/v1/comments/
    path(
        "comments/",
        cached(views.CommentList.as_view(), params=LIST_PARAMS, unstored=LIST_UNSTORED),
        name="comment-list",
    ),
    # allows /api/v1/comments/123/
    path(
        "comments/<comment_id:id>/",
        cached(views.CommentDetail.as_view(), params=("version",)),
        name="comment-detail",
    ),
    # allows /api/v1/comments/123/thread/
    path(
        "comments/<comment_id:id>/thread/",
        cached(views.CommentThread.as_view(), params=("version",)),
        name="comment-thread",
    ),
    # allows /api/v1/comments/123/revisions/
    path(
        "comments/<comment_id:id>/revisions/",
        views.CommentRevisions.as_view(),
        name="comment-revisions",
    ),
]
