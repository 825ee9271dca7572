"""Notification routes of the API; config/api/urls.py joins them into the ``api`` namespace."""

from django.urls import path

from commentary.notifications.api import views as notification_views

# Notifications: never cached, each member's own.
urlpatterns = [
    # allows /api/v1/notifications/
    path(
        "notifications/",
        notification_views.NotificationList.as_view(),
        name="notification-list",
    ),
]
