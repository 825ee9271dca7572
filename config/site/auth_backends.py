"""The authentication backends: Django's and allauth's, loading the user of a signed-in
request with the function ``SCHOLIA_USER_LOADER`` names
(``commentary.accounts.token_users.session_user``: the user with their roles, read in one
query and kept a few seconds, so that the visibility rule, the navigation and the counts ask
none of their own for them). The site's machinery imports no app."""

from allauth.account import auth_backends as allauth_backends
from django.conf import settings
from django.contrib.auth import backends as django_backends
from django.utils.module_loading import import_string


class _UserWithRoles:
    def get_user(self, user_id):
        user = import_string(settings.SCHOLIA_USER_LOADER)(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_UserWithRoles, django_backends.ModelBackend):
    pass


class AuthenticationBackend(_UserWithRoles, allauth_backends.AuthenticationBackend):
    pass
