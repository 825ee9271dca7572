"""The notifications wing's pages."""

from django.urls import path

from commentary.notifications.pages import decisions

app_name = "notifications"

urlpatterns = [
    path("settings/decisions/read/", decisions.decisions_read, name="decisions-read"),
]
