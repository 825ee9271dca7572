"""Comment routes of the API; config/api/urls.py joins them into the ``api`` namespace."""

from django.urls import path

from commentary.api import views
from edition.caching import cache_for_anonymous

urlpatterns = [
    # allows /api/v1/comments/
    path("comments/", cache_for_anonymous(views.CommentList.as_view()), name="comment-list"),
    # allows /api/v1/comments/123/
    path(
        "comments/<comment_id:id>/",
        cache_for_anonymous(views.CommentDetail.as_view()),
        name="comment-detail",
    ),
    # allows /api/v1/comments/123/thread/
    path(
        "comments/<comment_id:id>/thread/",
        cache_for_anonymous(views.CommentThread.as_view()),
        name="comment-thread",
    ),
    # allows /api/v1/comments/123/revisions/
    path(
        "comments/<comment_id:id>/revisions/",
        views.CommentRevisions.as_view(),
        name="comment-revisions",
    ),
]
