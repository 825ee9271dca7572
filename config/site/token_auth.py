"""How the API knows who is calling: a personal token, else the browser's session.

The token model is the setting ``SCHOLIA_TOKEN_MODEL`` names (``commentary.ApiToken``), as
``AUTH_USER_MODEL`` names the user's: the site's machinery imports no app."""

from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <key>`` (or ``Token <key>``, as DRF's own token scheme).

    A request without such a header is left to the other authenticators; one with a key
    that is unknown, revoked or of an inactive user is refused with 401, the same answer
    for each, so a key's state cannot be probed.
    """

    keywords = ("bearer", "token")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header: give the key after the scheme, with no spaces.")
            )
        try:
            raw_key = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from error
        # The token with its user and their roles, kept briefly per token by the model's app.
        token = apps.get_model(settings.SCHOLIA_TOKEN_MODEL).objects.for_key_kept(raw_key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        token.note_use()
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Documents ApiTokenAuthentication in the OpenAPI schema as HTTP bearer auth."""

    target_class = "config.site.token_auth.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal API token, created at /settings/tokens/: "
                "`Authorization: Bearer <key>` (`Token <key>` is accepted too)."
            ),
        }
