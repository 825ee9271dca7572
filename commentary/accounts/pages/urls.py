"""People's pages: public profiles and a signed-in user's settings."""

from django.urls import path

from commentary.accounts.pages import people, tokens

app_name = "people"

urlpatterns = [
    path("users/<username:username>/", people.user_detail, name="user-detail"),
    path("settings/profile/", people.profile_edit, name="profile-edit"),
    path("settings/tokens/", tokens.token_list, name="token-list"),
    path("settings/tokens/new/", tokens.token_created, name="token-created"),
    path("settings/tokens/<int:pk>/revoke/", tokens.token_revoke, name="token-revoke"),
    path("settings/tokens/revoke-all/", tokens.token_revoke_all, name="token-revoke-all"),
]
