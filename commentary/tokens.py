"""Personal API tokens: the model, the two services that write it, and DRF authentication.

A raw key is ``sch_`` plus 40 random URL-safe characters. It is shown to its owner once,
when created; the database keeps only its SHA-256 (enough for a key with 240 random bits,
which no one can guess or brute-force) and a short prefix that lets the owner tell keys
apart in a list.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

KEY_PREFIX = "sch_"
VISIBLE_PREFIX_LENGTH = len(KEY_PREFIX) + 8
MAX_ACTIVE_TOKENS = 25
# Writing last_used_at on every request would turn each API read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80, help_text=_("What the token is for, for its owner."))
    prefix = models.CharField(
        max_length=16, editable=False, help_text=_("The first characters of the key.")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Set when revoked; a revoked token never works again.")
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        indexes = [models.Index(fields=["user", "revoked_at"], name="apitoken_user_revoked")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class TokenError(ValidationError):
    """Input a user can correct, keyed by the field it concerns."""


@transaction.atomic
def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its raw key, which the caller shows once and forgets."""
    name = (name or "").strip()
    if not name:
        raise TokenError({"name": [_("Give the token a name.")]})
    if len(name) > 80:
        raise TokenError({"name": [_("A token's name can be at most 80 characters long.")]})
    if ApiToken.objects.active().filter(user=user).count() >= MAX_ACTIVE_TOKENS:
        message = _("You have %(limit)d tokens; revoke one first.") % {"limit": MAX_ACTIVE_TOKENS}
        raise TokenError({"name": [message]})
    raw_key = KEY_PREFIX + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw_key[:VISIBLE_PREFIX_LENGTH],
        key_hash=key_hash(raw_key),
    )
    return token, raw_key


@transaction.atomic
def token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Revoke for good. Its owner may, and staff allowed to change tokens (the admin).

    Revoking a revoked token changes nothing.
    """
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if not (by.pk == token.user_id or by.has_perm("commentary.change_apitoken")):
        raise PermissionDenied("Only its owner can revoke a token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


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
        token = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(key_hash=key_hash(raw_key))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        self._note_use(token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'

    @staticmethod
    def _note_use(token: ApiToken) -> None:
        now = timezone.now()
        if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
            return
        # Conditional, so that concurrent requests write once between them.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        token.last_used_at = now


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Documents ApiTokenAuthentication in the OpenAPI schema as HTTP bearer auth."""

    target_class = "commentary.tokens.ApiTokenAuthentication"
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
