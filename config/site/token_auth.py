"""How the API knows who is calling: a personal token, else the browser's session.

The token model is the setting ``SCHOLIA_TOKEN_MODEL`` names (``commentary.ApiToken``), as
``AUTH_USER_MODEL`` names the user's: the site's machinery imports no app.

A token holds scopes. Each API view names the scope a request to it needs
(``required_scope``); a token without it is refused with 403 and, as RFC 6750 says,
``WWW-Authenticate: Bearer error="insufficient_scope" scope="<the one it lacks>"``. A
session (the browser's own pages) is its user whole, and needs no scope."""

from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from config.api.conditional import expect_conditional_read

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def required_scope(view, method: str) -> str:
    """The scope a token needs for ``method`` on ``view``: the view's ``token_scope`` (a
    scope, or a dict of them by method, "*" for any other method), else ``read`` for a
    safe method and ``write`` for any other."""
    declared = getattr(view, "token_scope", None)
    if isinstance(declared, dict):
        declared = declared.get(method, declared.get("*"))
    if declared:
        return declared
    return "read" if method in SAFE_METHODS else "write"


class InsufficientScope(exceptions.PermissionDenied):
    default_code = "insufficient_scope"

    def __init__(self, scope: str):
        super().__init__(_("This token lacks the scope “%(scope)s”.") % {"scope": scope})
        # The exception handler sends it as WWW-Authenticate, 403 or not.
        self.auth_header = f'Bearer realm="api", error="insufficient_scope", scope="{scope}"'


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <key>`` (or ``Token <key>``, as DRF's own token scheme).

    A request without such a header is left to the other authenticators; one with a key
    that is unknown, revoked or of an inactive user is refused with 401, the same answer
    for each, so a key's state cannot be probed. An expired key is refused with 401 too,
    saying so (its holder knows the key; telling them why saves a support request). A
    key without the scope the view needs is refused with 403 (``InsufficientScope``).
    Otherwise the user comes back restricted to what the token may reach
    (``ApiToken.restrict``: its groups, and moderation only with that scope).
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
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if view is not None:
            expect_conditional_read(view, request.method)
        # The token with its user and their roles, kept briefly per token by the model's app.
        token = apps.get_model(settings.SCHOLIA_TOKEN_MODEL).objects.for_key_kept(raw_key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("This token has expired."), code="expired")
        if view is not None:
            scope = required_scope(view, request.method)
            if not token.has_scope(scope):
                raise InsufficientScope(scope)
        token.restrict(token.user)
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
                "A personal API token, created at /settings/tokens/ or POST /api/v1/tokens/: "
                "`Authorization: Bearer <key>` (`Token <key>` is accepted too). A token has "
                "scopes: `read` for reads, `write` for writes, `moderate` for moderation "
                "and `groups:manage` for changes to reading groups and memberships; a "
                "request beyond them answers 403 with `WWW-Authenticate: Bearer "
                'error="insufficient_scope" scope="<the scope it needs>"`. An expired '
                "token answers 401. A token limited to reading groups reaches no other."
            ),
        }
