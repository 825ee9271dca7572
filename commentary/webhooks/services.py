"""The writes on webhook endpoints, shared by the settings page and the API.

Each validates what it is given and raises ``django.core.exceptions.ValidationError`` with
a message per field. An endpoint may be limited to one work and to one reading group its
owner belongs to; ``decision.made`` is for those who moderate (the site, or a group they
lead); a credential limited to reading groups (a token) may only make or move an endpoint
limited to one of them.
"""

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commentary.roles import reader_roles
from commentary.webhooks.addresses import AddressRefused, url_check
from commentary.webhooks.models import (
    OLD_SECRET_OVERLAP,
    EventType,
    WebhookEndpoint,
    new_secret,
)
from commentary.webhooks.wanted import endpoints_changed
from config.request_origin import request_origin
from config.site.caching import site_origin

MAX_ENDPOINTS = 20
UNSET = object()


def _events(events: Iterable[str], owner) -> str:
    chosen = list(dict.fromkeys(events))
    if not chosen:
        raise ValidationError({"events": [_("Choose at least one event.")]})
    unknown = [event for event in chosen if event not in EventType.values]
    if unknown:
        raise ValidationError(
            {"events": [_("Unknown event: %(event)s.") % {"event": ", ".join(unknown)}]}
        )
    roles = reader_roles(owner)
    if EventType.DECISION_MADE in chosen and not (roles.moderates or roles.leads):
        raise ValidationError(
            {"events": [_("decision.made is for moderators and reading-group leaders.")]}
        )
    return " ".join(event for event in EventType.values if event in chosen)


def _target(url: str) -> str:
    try:
        url_check(url)
    except AddressRefused as refused:
        raise ValidationError({"target_url": [str(refused)]}) from refused
    return url


def _group(owner, group):
    """``group`` if ``owner`` may limit an endpoint to it (they belong to it, through these
    credentials); with credentials limited to groups, a group must be named."""
    roles = reader_roles(owner)
    if group is None:
        if roles.group_limit is not None:
            raise ValidationError(
                {"group": [_("This token reaches only some reading groups: name one of them.")]}
            )
        return None
    if group.pk not in roles.groups:
        raise ValidationError({"group": [_("You are not a member of this reading group.")]})
    return group


def endpoint_create(
    *, owner, target_url: str, events: Iterable[str], description: str = "", work=None, group=None
) -> WebhookEndpoint:
    """A new enabled endpoint of ``owner``; its secret is on the returned object."""
    if WebhookEndpoint.objects.filter(owner=owner).count() >= MAX_ENDPOINTS:
        raise ValidationError(
            {
                "target_url": [
                    _("You have %(count)d endpoints, the most there may be.")
                    % {"count": MAX_ENDPOINTS}
                ]
            }
        )
    endpoint = WebhookEndpoint(
        owner=owner,
        target_url=_target(target_url),
        events=_events(events, owner),
        description=description,
        work=work,
        group=_group(owner, group),
    )
    endpoint.save()
    return endpoint


def endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    by,
    target_url=UNSET,
    events=UNSET,
    description=UNSET,
    work=UNSET,
    group=UNSET,
    enabled=UNSET,
) -> WebhookEndpoint:
    """Change what is given (``by`` is the owner, with the credentials of the request).
    Enabling an endpoint clears its failures; disabling it records that its owner did."""
    if target_url is not UNSET:
        endpoint.target_url = _target(target_url)
    if events is not UNSET:
        endpoint.events = _events(events, by)
    if description is not UNSET:
        endpoint.description = description
    if work is not UNSET:
        endpoint.work = work
    if group is not UNSET:
        endpoint.group = _group(by, group)
    elif endpoint.group_id is None and reader_roles(by).group_limit is not None:
        raise ValidationError(
            {"group": [_("This token reaches only some reading groups: name one of them.")]}
        )
    if enabled is True and not endpoint.is_enabled:
        endpoint.disabled_at, endpoint.disabled_reason, endpoint.failures_in_row = None, "", 0
    elif enabled is False and endpoint.is_enabled:
        endpoint.disabled_at = timezone.now()
        endpoint.disabled_reason = WebhookEndpoint.DisabledReason.OWNER
    endpoint.save()
    return endpoint


def endpoint_rotate_secret(
    *, endpoint: WebhookEndpoint, revoke_old: bool = False
) -> WebhookEndpoint:
    """A new secret, signing every delivery from now on. The old one signs beside it for
    ``OLD_SECRET_OVERLAP`` (each delivery then carries both signatures), so that a receiver
    can take the new secret without refusing a delivery meanwhile; with ``revoke_old`` (a
    secret that leaked) it stops at once. A secret already overlapping is dropped: only the
    one just replaced overlaps."""
    now = timezone.now()
    if revoke_old:
        endpoint.old_secret, endpoint.old_secret_signs_until = "", None
    else:
        endpoint.old_secret = endpoint.secret
        endpoint.old_secret_signs_until = now + OLD_SECRET_OVERLAP
    endpoint.secret = new_secret()
    endpoint.secret_rotated_at = now
    endpoint.save(
        update_fields=["secret", "secret_rotated_at", "old_secret", "old_secret_signs_until"]
    )
    return endpoint


def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


def endpoint_disable(*, endpoint: WebhookEndpoint, reason: str) -> WebhookEndpoint:
    """Disable ``endpoint`` for ``reason``; when the receiver's answers disabled it, tell its
    owner by mail (if their address is verified) after the commit. The settings page says
    so too."""
    disabled = WebhookEndpoint.objects.filter(pk=endpoint.pk, disabled_at__isnull=True).update(
        disabled_at=timezone.now(), disabled_reason=reason
    )
    if disabled:
        endpoints_changed()  # written by update(): no signal tells of it
    endpoint.refresh_from_db()
    if disabled and reason != WebhookEndpoint.DisabledReason.OWNER:
        transaction.on_commit(lambda: _owner_tell(endpoint))
    return endpoint


def _owner_tell(endpoint: WebhookEndpoint) -> bool:
    address = (
        EmailAddress.objects.filter(user_id=endpoint.owner_id, primary=True, verified=True)
        .values_list("email", flat=True)
        .first()
    )
    if address is None:
        return False
    origin = site_origin() or request_origin() or "http://127.0.0.1:8000"
    context = {
        "name": endpoint.owner.get_username(),
        "endpoint": endpoint,
        "reason": endpoint.get_disabled_reason_display(),
        "settings_url": origin + reverse("webhooks:detail", kwargs={"pk": endpoint.pk}),
    }
    subject = _("Your webhook to %(url)s was disabled") % {"url": endpoint.target_url[:80]}
    body = render_to_string("commentary/email/webhook_disabled_message.txt", context)
    EmailMessage(subject=subject, body=body, to=[address]).send()
    return True
