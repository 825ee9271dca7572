"""Moderation routes of the API; config/api/urls.py joins them into the ``api`` namespace."""

from django.urls import path

from commentary.moderation.api import views as moderation_views

# Moderation: never cached, each answer is for one moderator (or one member flagging).
urlpatterns = [
    # allows /api/v1/comments/123/flags/
    path(
        "comments/<comment_id:id>/flags/",
        moderation_views.FlagCreate.as_view(),
        name="comment-flags",
    ),
    # allows /api/v1/comments/123/moderate/
    path(
        "comments/<comment_id:id>/moderate/",
        moderation_views.CommentModerate.as_view(),
        name="comment-moderate",
    ),
    # allows /api/v1/moderation/queue/
    path(
        "moderation/queue/",
        moderation_views.ModerationQueue.as_view(),
        name="moderation-queue",
    ),
    # allows /api/v1/moderation/events/
    path(
        "moderation/events/",
        moderation_views.ModerationEvents.as_view(),
        name="moderation-events",
    ),
    # allows /api/v1/users/alice/suspend/
    path(
        "users/<username:username>/suspend/",
        moderation_views.UserSuspend.as_view(),
        name="user-suspend",
    ),
    # allows /api/v1/users/alice/ban/
    path("users/<username:username>/ban/", moderation_views.UserBan.as_view(), name="user-ban"),
    # allows /api/v1/users/alice/reinstate/
    path(
        "users/<username:username>/reinstate/",
        moderation_views.UserReinstate.as_view(),
        name="user-reinstate",
    ),
]
