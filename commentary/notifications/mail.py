"""The mail that tells an author of a decision on their comment: a background task.

``notifications.decision_notify`` enqueues ``notification_mail_send`` once the decision has
committed, with the notification's id. In development and tests the immediate backend runs
it at once in the same process; in production the database backend stores it and
``manage.py db_worker`` sends it (settings ``TASKS``, ``SCHOLIA_TASKS``).

The task reads everything again when it runs: the address it writes to is the author's
primary address if it is verified then. A notification already mailed is not mailed twice
(a task run again after a worker died). A send that fails raises, so the task is recorded
as failed; the notification stays in the author's list either way.

Links point at ``SCHOLIA_SITE_URL``; without it, at the site the decision came through
(the origin of its request, recorded with the task, since the task runs with no request);
for a decision taken outside any request (a shell), at the development server's address.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commentary.models import display_name_of
from commentary.notifications.entries import notification_entries
from commentary.notifications.models import Kind, Notification
from commentary.notifications.unsubscribe import unsubscribe_headers, unsubscribe_url
from config.request_log import request_id_bound
from config.site.caching import site_origin

try:  # Django 6 has the Tasks framework built in; on 5.2 the django-tasks backport.
    from django.tasks import task
except ImportError:
    from django_tasks import task

DEVELOPMENT_ORIGIN = "http://127.0.0.1:8000"


def mail_origin(recorded: str = "") -> str:
    """Where the mail's links point: the site's own origin, else ``recorded`` (the origin
    of the request the decision came through)."""
    return site_origin() or recorded or DEVELOPMENT_ORIGIN


@task()
def notification_mail_send(notification_id: int, origin: str = "", request_id: str = "") -> bool:
    """Mail notification ``notification_id`` to its recipient's verified primary address,
    linking to ``origin`` unless the site's own is set. Returns whether a mail was sent.
    ``request_id`` names the request that enqueued it, in the logs written meanwhile."""
    with request_id_bound(request_id):
        return _notification_mail_send(notification_id, origin)


def _notification_mail_send(notification_id: int, origin: str) -> bool:
    notification = (
        Notification.objects.with_related()
        .select_related("recipient__profile", "comment__work")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None:
        return False
    address = (
        EmailAddress.objects.filter(user_id=notification.recipient_id, primary=True, verified=True)
        .values_list("email", flat=True)
        .first()
    )
    if address is None:
        return False
    (entry,) = notification_entries([notification])
    origin = mail_origin(origin)
    recipient = notification.recipient
    context = {
        "entry": entry,
        "name": display_name_of(recipient),
        "work_title": notification.comment.work.title,
        "comment_url": origin + notification.comment.get_absolute_url(),
        "decisions_url": origin
        + reverse("people:user-detail", kwargs={"username": recipient.get_username()})
        + "#decisions",
        "site": origin,
        "unsubscribe_url": unsubscribe_url(recipient.pk, Kind.DECISION, origin),
    }
    subject = render_to_string("commentary/email/decision_subject.txt", context)
    body = render_to_string("commentary/email/decision_message.txt", context)
    EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers=unsubscribe_headers(recipient.pk, Kind.DECISION, origin),
    ).send()
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True
