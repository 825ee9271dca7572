"""Personal API tokens: the two services that write them.

A raw key is ``sch_`` plus 40 random URL-safe characters. It is shown to its owner once,
when created; the database keeps only its SHA-256 (enough for a key with 240 random bits,
which no one can guess or brute-force) and a short prefix that lets the owner tell keys
apart in a list. The model is ``commentary.accounts.models.ApiToken``; the API reads keys through
``config.site.token_auth``.
"""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commentary.accounts.models import (
    KEY_PREFIX,
    MAX_ACTIVE_TOKENS,
    VISIBLE_PREFIX_LENGTH,
    ApiToken,
    key_hash,
)


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
