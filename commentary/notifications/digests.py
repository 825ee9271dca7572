"""Daily and weekly digests: one mail per member and period with what they have not read
nor been mailed, of the kinds they want in that digest.

``digests_send`` is what ``manage.py send_digests --period daily|weekly`` runs. It is safe
to run twice: a member's digest for a period (the day, or the ISO week) is recorded
(``Digest``, unique) in the same transaction that marks its notifications mailed, so a
second run finds it and sends nothing. It re-reads at sending time what each member may
read (``Notification.objects.for_recipient``): a member removed from a group since gets
nothing of it, even what was told before.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commentary.models import display_name_of
from commentary.notifications.entries import notification_entries
from commentary.notifications.mail import mail_origin
from commentary.notifications.models import Digest, Notification
from commentary.notifications.preferences import frequencies_of
from commentary.notifications.readers import members_with_roles
from commentary.notifications.unsubscribe import EVERY_KIND, unsubscribe_headers, unsubscribe_url

MOST_ITEMS = 100


def period_key(period: str, now=None) -> str:
    day = timezone.localdate(now or timezone.now())
    if period == Digest.Period.WEEKLY:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


def digest_message(user, address: str, entries, *, period: str, origin: str) -> EmailMessage:
    context = {
        "name": display_name_of(user),
        "entries": [(entry, origin + entry.url) for entry in entries],
        "period": period,
        "list_url": origin + reverse("notifications:list"),
        "settings_url": origin + reverse("notifications:settings"),
        "unsubscribe_url": unsubscribe_url(user.pk, EVERY_KIND, origin),
        "site": origin,
    }
    subject = render_to_string("commentary/email/digest_subject.txt", context)
    return EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body=render_to_string("commentary/email/digest_message.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers=unsubscribe_headers(user.pk, EVERY_KIND, origin),
    )


def digest_send(user, address: str, *, period: str, key: str, origin: str) -> int:
    """``user``'s digest for ``period`` ``key``; how many items it held (0: none sent)."""
    kinds = [kind for kind, chosen in frequencies_of(user).items() if chosen == period]
    if not kinds:
        return 0
    notes = (
        Notification.objects.for_recipient(user)
        .unread()
        .filter(kind__in=kinds, emailed_at__isnull=True)
        .with_related()[:MOST_ITEMS]
    )
    entries = notification_entries(notes)
    if not entries:
        return 0
    try:
        with transaction.atomic():
            Digest.objects.create(user=user, period=period, period_key=key, item_count=len(entries))
            Notification.objects.filter(pk__in=[e.notification.pk for e in entries]).update(
                emailed_at=timezone.now()
            )
            digest_message(user, address, entries, period=period, origin=origin).send()
    except IntegrityError:  # this period's digest went out already
        return 0
    return len(entries)


def digests_send(period: str, *, now=None) -> dict[str, int]:
    """Every member's digest for ``period`` ("daily" or "weekly"), once per period."""
    key = period_key(period, now)
    origin = mail_origin()
    waiting = (
        Notification.objects.filter(read_at__isnull=True, emailed_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    done = Digest.objects.filter(period=period, period_key=key).values_list("user_id", flat=True)
    addresses = dict(
        EmailAddress.objects.filter(user_id__in=waiting, primary=True, verified=True)
        .exclude(user_id__in=done)
        .values_list("user_id", "email")
    )
    sent = items = 0
    for user in members_with_roles(addresses):
        count = digest_send(user, addresses[user.pk], period=period, key=key, origin=origin)
        sent += bool(count)
        items += count
    return {"digests": sent, "items": items}
