"""People's pages: public profiles and a signed-in user's settings."""

from django.urls import path

from commentary import account_views

app_name = "people"

urlpatterns = [
    path("users/<str:username>/", account_views.user_detail, name="user-detail"),
    path("settings/profile/", account_views.profile_edit, name="profile-edit"),
    path("settings/tokens/", account_views.token_list, name="token-list"),
    path("settings/tokens/new/", account_views.token_created, name="token-created"),
    path("settings/tokens/<int:pk>/revoke/", account_views.token_revoke, name="token-revoke"),
]
