"""The notifications wing's pages."""

from django.urls import path

from commentary.notifications.pages import decisions, follows, inbox, preferences, unsubscribe

app_name = "notifications"

urlpatterns = [
    path("notifications/", inbox.notification_list, name="list"),
    path("notifications/read/", inbox.notifications_read, name="read"),
    path("follows/", follows.follow_toggle, name="follow"),
    path("settings/notifications/", preferences.notification_settings, name="settings"),
    path("settings/notifications/feed/", preferences.feed_token_renew, name="feed-renew"),
    path("settings/notifications/feed/revoke/", preferences.feed_token_revoke, name="feed-revoke"),
    path(
        "notifications/unsubscribe/<str:token>/",
        unsubscribe.unsubscribe_view,
        name="unsubscribe",
    ),
    path("settings/decisions/read/", decisions.decisions_read, name="decisions-read"),
]
