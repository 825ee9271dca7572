from django.urls import path

from commentary.pages import discussion as views
from commentary.pages import live
from config.site.caching import DISCUSSION, cache_for_anonymous

app_name = "commentary"

urlpatterns = [
    path(
        "works/<slug:slug>/p/<slug:key>/discussion/",
        views.paragraph_discussion,
        name="paragraph-discussion",
    ),
    path(
        "works/<slug:slug>/p/<slug:key>/discussion/live/",
        live.discussion_live,
        name="discussion-live",
    ),
    path("works/<slug:slug>/p/<slug:key>/comments/", views.comment_create, name="comment-create"),
    path(
        "comments/<int:pk>/",
        cache_for_anonymous(views.comment_detail, shows=(DISCUSSION,)),
        name="comment-detail",
    ),
    path("comments/<int:pk>/reply/", views.comment_reply, name="comment-reply"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment-edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment-delete"),
    path("comments/<int:pk>/history/", views.comment_history, name="comment-history"),
]
