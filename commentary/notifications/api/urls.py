"""Notification routes of the API; config/api/urls.py joins them into the ``api`` namespace."""

from django.urls import path

from commentary.notifications.api import follows as follow_views
from commentary.notifications.api import preferences as preference_views
from commentary.notifications.api import views as notification_views

# Notifications and follows: never cached, each member's own.
urlpatterns = [
    # allows /api/v1/notifications/
    path(
        "notifications/",
        notification_views.NotificationList.as_view(),
        name="notification-list",
    ),
    # allows /api/v1/notifications/read/
    path(
        "notifications/read/",
        notification_views.NotificationsRead.as_view(),
        name="notification-read",
    ),
    # allows /api/v1/notifications/preferences/
    path(
        "notifications/preferences/",
        preference_views.Preferences.as_view(),
        name="notification-preferences",
    ),
    # allows /api/v1/follows/
    path("follows/", follow_views.FollowList.as_view(), name="follow-list"),
]
