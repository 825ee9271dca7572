"""A signed-in member's own data and account."""

from django.urls import path

from commentary.accounts.pages import own_data

app_name = "accounts"

urlpatterns = [
    path("settings/data/", own_data.own_data, name="own-data"),
    path(
        "settings/data/<int:pk>/scholia-data.<slug:extension>",
        own_data.own_data_file,
        name="own-data-file",
    ),
    path("settings/delete/", own_data.own_account_delete, name="account-delete"),
]
