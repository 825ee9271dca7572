"""Comment routes of the API; config/api/urls.py joins them into the ``api`` namespace."""

from django.urls import path
from rest_framework.settings import api_settings

from commentary.api import views
from commentary.api.filters import CommentFilter
from commentary.groups.api import views as group_views
from commentary.moderation.api import views as moderation_views
from commentary.notifications.api import views as notification_views
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
# a position, a group that must not be told from one that does not exist): answered but
# never stored. Every other filter answers 400 to a name that does not exist.
LIST_UNSTORED = ("created_after", "created_before", "group", CursorPagination.cursor_query_param)
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

# Moderation: never cached, each answer is for one moderator (or one member flagging).
urlpatterns += [
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

# Reading groups: never cached, each answer depends on who asks.
urlpatterns += [
    # allows /api/v1/groups/
    path("groups/", group_views.GroupList.as_view(), name="group-list"),
    # allows /api/v1/groups/tuesday-seminar/
    path("groups/<slug:slug>/", group_views.GroupDetail.as_view(), name="group-detail"),
    # allows /api/v1/groups/tuesday-seminar/join/
    path("groups/<slug:slug>/join/", group_views.GroupJoin.as_view(), name="group-join"),
    # allows /api/v1/groups/tuesday-seminar/invitation/
    path(
        "groups/<slug:slug>/invitation/",
        group_views.GroupInvitation.as_view(),
        name="group-invitation",
    ),
    # allows /api/v1/groups/tuesday-seminar/invitation/rotate/
    path(
        "groups/<slug:slug>/invitation/rotate/",
        group_views.GroupInvitationRotate.as_view(),
        name="group-invitation-rotate",
    ),
    # allows /api/v1/groups/tuesday-seminar/transfer/
    path(
        "groups/<slug:slug>/transfer/", group_views.GroupTransfer.as_view(), name="group-transfer"
    ),
    # allows /api/v1/groups/tuesday-seminar/copy/
    path("groups/<slug:slug>/copy/", group_views.GroupCopy.as_view(), name="group-copy"),
    # allows /api/v1/groups/tuesday-seminar/participation/
    path(
        "groups/<slug:slug>/participation/",
        group_views.GroupParticipation.as_view(),
        name="group-participation",
    ),
    # allows /api/v1/groups/tuesday-seminar/members/alice/
    path(
        "groups/<slug:slug>/members/<username:username>/",
        group_views.GroupMember.as_view(),
        name="group-member",
    ),
]

# Notifications: never cached, each member's own.
urlpatterns += [
    # allows /api/v1/notifications/
    path(
        "notifications/",
        notification_views.NotificationList.as_view(),
        name="notification-list",
    ),
]
