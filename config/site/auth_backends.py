"""The authentication backends: Django's and allauth's, loading the user of a signed-in
request together with their roles (``commentary.roles.user_with_roles``), so that the
visibility rule, the navigation and the counts ask no query of their own for them."""

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends as django_backends

from commentary.roles import user_with_roles


class _UserWithRoles:
    def get_user(self, user_id):
        user = user_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_UserWithRoles, django_backends.ModelBackend):
    pass


class AuthenticationBackend(_UserWithRoles, allauth_backends.AuthenticationBackend):
    pass
