"""Notifications by mail: at once, from the task that wrote them (``tasks``), for the
kinds each recipient wants at once; the digests are ``digests``.

Everything is read again when the task runs: the recipient's choice, their verified
primary address, and whether they may still read what they are told
(``Notification.objects.for_recipient``): a member removed from a group meanwhile gets
nothing of it. A notification mailed is marked, and never mailed twice. Every mail has a
plain-text body and one-click unsubscribe headers (``unsubscribe``).
"""

from collections import defaultdict

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commentary.models import display_name_of
from commentary.notifications.entries import notification_entries
from commentary.notifications.mail import mail_origin
from commentary.notifications.models import Frequency, Kind, Notification
from commentary.notifications.preferences import frequencies_for
from commentary.notifications.readers import members_with_roles
from commentary.notifications.unsubscribe import unsubscribe_headers, unsubscribe_url


def verified_addresses(user_ids) -> dict[int, str]:
    """{member id: their verified primary address}, one query."""
    rows = EmailAddress.objects.filter(
        user_id__in=set(user_ids), primary=True, verified=True
    ).values_list("user_id", "email")
    return dict(rows)


def notification_message(entry, *, user, address: str, origin: str) -> EmailMessage:
    """The mail of one notification, to ``address``."""
    kind = entry.notification.kind
    context = {
        "entry": entry,
        "name": display_name_of(user),
        "url": origin + entry.url,
        "list_url": origin + reverse("notifications:list"),
        "settings_url": origin + reverse("notifications:settings"),
        "unsubscribe_url": unsubscribe_url(user.pk, kind, origin),
        "site": origin,
    }
    body = render_to_string("commentary/email/notification_message.txt", context)
    return EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(entry.summary.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers=unsubscribe_headers(user.pk, kind, origin),
    )


def mail_at_once(notification_ids: list[int], *, origin: str = "") -> int:
    """Mail each of ``notification_ids`` (not yet mailed) whose recipient wants its kind at
    once, has a verified address and may still read it. Returns how many were mailed."""
    if not notification_ids:
        return 0
    pending = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .exclude(kind=Kind.DECISION)  # decisions have their own mail (``mail``)
        .values_list("pk", "recipient_id", "kind")
    )
    wanted: dict[int, list[int]] = defaultdict(list)
    by_kind: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for pk, recipient_id, kind in pending:
        by_kind[kind].append((pk, recipient_id))
    for kind, rows in by_kind.items():
        choices = frequencies_for((recipient for _, recipient in rows), kind)
        for pk, recipient_id in rows:
            if choices[recipient_id] == Frequency.AT_ONCE:
                wanted[recipient_id].append(pk)
    addresses = verified_addresses(wanted)
    origin = mail_origin(origin)
    sent = 0
    for user in members_with_roles(addresses):
        readable = (
            Notification.objects.for_recipient(user)
            .filter(pk__in=wanted[user.pk], emailed_at__isnull=True)
            .with_related()
        )
        for entry in notification_entries(readable):
            message = notification_message(
                entry, user=user, address=addresses[user.pk], origin=origin
            )
            message.send()
            Notification.objects.filter(pk=entry.notification.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent
