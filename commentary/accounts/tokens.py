"""Personal API tokens: the services that write them.

A raw key is ``sch_`` plus 40 random URL-safe characters. It is shown to its owner once,
when created; the database keeps only its SHA-256 (enough for a key with 240 random bits,
which no one can guess or brute-force) and a short prefix that lets the owner tell keys
apart in a list. The model is ``commentary.accounts.models.ApiToken``; the API reads keys through
``config.site.token_auth``.

A token is narrower than its owner: it holds scopes (``Scope``), may expire, and may be
limited to some of its owner's reading groups, reaching no other (``ApiToken.restrict``).
"""

import secrets
from collections.abc import Collection
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commentary.accounts.models import (
    KEY_PREFIX,
    MAX_ACTIVE_TOKENS,
    VISIBLE_PREFIX_LENGTH,
    ApiToken,
    Scope,
    key_hash,
)
from commentary.relations import reading_group_model


class TokenError(ValidationError):
    """Input a user can correct, keyed by the field it concerns."""


class ScopeLacking(PermissionDenied):
    """A token asked to make a token with a scope it has not itself."""

    def __init__(self, scope: str):
        super().__init__(scope)
        self.scope = scope


def _within(made_with: ApiToken, scopes, expires_at, group_slugs):
    """What a token may make is no more than itself: its scopes (else ``ScopeLacking``),
    its groups (those it does not reach read as unknown), and its expiry, which a new
    token without one inherits."""
    for scope in Scope.values:
        if scope in scopes and not made_with.has_scope(scope):
            raise ScopeLacking(scope)
    limit = made_with.group_ids()
    if limit is not None and group_slugs is None:
        raise TokenError({"groups": [_("This token is limited to groups: name them.")]})
    if made_with.expires_at is not None:
        if expires_at is None:
            expires_at = made_with.expires_at
        elif expires_at > made_with.expires_at:
            raise TokenError({"expires_at": [_("A token cannot outlive the token that makes it.")]})
    return expires_at


def _clean_scopes(scopes: Collection[str]) -> str:
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        message = _("Unknown scope: %(scopes)s. The scopes are %(known)s.") % {
            "scopes": ", ".join(unknown),
            "known": ", ".join(Scope.values),
        }
        raise TokenError({"scopes": [message]})
    if not scopes:
        raise TokenError({"scopes": [_("Choose at least one scope.")]})
    return " ".join(scope for scope in Scope.values if scope in set(scopes))


def _clean_groups(user, group_slugs: Collection[str]):
    """The reading groups ``user`` belongs to among ``group_slugs``; any other slug is an
    error that reads the same whether the group exists or not."""
    groups = list(reading_group_model().objects.for_member(user).filter(slug__in=group_slugs))
    missing = sorted(set(group_slugs) - {group.slug for group in groups})
    if missing:
        message = _("You are not a member of: %(groups)s.") % {"groups": ", ".join(missing)}
        raise TokenError({"groups": [message]})
    return groups


@transaction.atomic
def token_create(
    *,
    user,
    name: str,
    scopes: Collection[str] = (Scope.READ,),
    expires_at: datetime | None = None,
    group_slugs: Collection[str] | None = None,
    made_with: ApiToken | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its raw key, which the caller shows once and forgets.

    ``group_slugs`` None: the token reaches every group its owner belongs to; a list (even
    an empty one): only those groups, each one the owner belongs to now (as ``user`` may
    see them: a user object restricted by a token sees only its groups). ``made_with``: the
    token the request came with, if any; the new one is no wider (``_within``).
    """
    name = (name or "").strip()
    if not name:
        raise TokenError({"name": [_("Give the token a name.")]})
    if len(name) > 80:
        raise TokenError({"name": [_("A token's name can be at most 80 characters long.")]})
    scope_text = _clean_scopes(scopes)
    if made_with is not None:
        expires_at = _within(made_with, scopes, expires_at, group_slugs)
    if expires_at is not None and expires_at <= timezone.now():
        raise TokenError({"expires_at": [_("A token must expire in the future.")]})
    groups = None if group_slugs is None else _clean_groups(user, group_slugs)
    if ApiToken.objects.active().filter(user=user).count() >= MAX_ACTIVE_TOKENS:
        message = _("You have %(limit)d tokens; revoke one first.") % {"limit": MAX_ACTIVE_TOKENS}
        raise TokenError({"name": [message]})
    raw_key = KEY_PREFIX + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw_key[:VISIBLE_PREFIX_LENGTH],
        key_hash=key_hash(raw_key),
        scopes=scope_text,
        expires_at=expires_at,
        limited_to_groups=groups is not None,
    )
    if groups:
        token.groups.set(groups)
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


@transaction.atomic
def tokens_revoke_all(*, user) -> int:
    """Revoke every token of ``user`` not yet revoked (after a password change, say); how
    many were."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
