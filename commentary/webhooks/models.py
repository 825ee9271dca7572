"""A member's webhook endpoints and the log of what was sent to them.

An endpoint names the events it wants and, optionally, the one work or reading group it is
limited to. Its secret (``whsec_`` and base64 of 32 random bytes, as Standard Webhooks
writes it) signs every delivery; it is shown to its owner once, when made or rotated, and
kept in the clear because signing needs it.

A delivery is one attempt to send one message: the message's id (``msg_…``) and body stay
the same across its attempts, so a receiver can tell a retry from a new event. The log is
these rows, newest first: what was sent, when, the answer's status and how long it took.
"""

import base64
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
# How long a rotated secret keeps signing beside the new one, unless it is revoked at once.
OLD_SECRET_OVERLAP = timedelta(hours=24)


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def new_message_id() -> str:
    return "msg_" + secrets.token_urlsafe(18)


class EventType(models.TextChoices):
    COMMENT_CREATED = "comment.created", _("A comment was written")
    COMMENT_UPDATED = "comment.updated", _("A comment was edited, or its state changed")
    COMMENT_DELETED = "comment.deleted", _("A comment was deleted by its author")
    VERSION_PUBLISHED = "version.published", _("A new version of a work was published")
    DECISION_MADE = "decision.made", _("A moderation decision (moderators only)")


TEST_EVENT = "webhook.test"


class EndpointQuerySet(models.QuerySet):
    def enabled(self) -> "EndpointQuerySet":
        return self.filter(disabled_at__isnull=True)

    def wanting(self, event_type: str) -> "EndpointQuerySet":
        """Endpoints subscribed to ``event_type`` (events are stored space-separated)."""
        return self.filter(events__regex=rf"(^| ){event_type.replace('.', '[.]')}( |$)")


class WebhookEndpoint(models.Model):
    class DisabledReason(models.TextChoices):
        OWNER = "owner", _("Disabled by its owner")
        GONE = "gone", _("The receiver answered 410 Gone")
        FAILING = "failing", _("Too many failed deliveries in a row")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    target_url = models.URLField(max_length=500, help_text=_("Where deliveries are POSTed."))
    description = models.CharField(max_length=200, blank=True)
    events = models.CharField(
        max_length=200, help_text=_("The event types it receives, separated by spaces.")
    )
    work = models.ForeignKey(
        "edition.Work",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Only events of this work; empty: every work."),
    )
    group = models.ForeignKey(
        "commentary.ReadingGroup",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Only comments of this reading group; empty: all its owner may read."),
    )
    secret = models.CharField(max_length=80, default=new_secret, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)
    # After a rotation the old secret signs too, beside the new one, until this moment, so
    # that a receiver can take the new one without refusing deliveries meanwhile.
    old_secret = models.CharField(max_length=80, blank=True, editable=False)
    old_secret_signs_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "Until this moment the secret the last rotation replaced signs each delivery "
            "too, beside the new one; empty if it was revoked at once or never rotated."
        ),
    )
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=16, choices=DisabledReason.choices, blank=True)
    failures_in_row = models.PositiveIntegerField(
        default=0, help_text=_("Failed attempts since the last success.")
    )

    objects = EndpointQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(disabled_at__isnull=True, disabled_reason="")
                | models.Q(disabled_at__isnull=False) & ~models.Q(disabled_reason=""),
                name="webhook_disabled_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"webhook {self.pk} → {self.target_url}"

    @property
    def event_list(self) -> list[str]:
        return self.events.split()

    @property
    def is_enabled(self) -> bool:
        return self.disabled_at is None

    def old_secret_signs_at(self, now) -> bool:
        """Whether the secret the last rotation replaced still signs at ``now``."""
        return bool(
            self.old_secret and self.old_secret_signs_until and now < self.old_secret_signs_until
        )

    def signing_secrets(self, now) -> list[str]:
        """The secrets a delivery made at ``now`` is signed with: the current one, and the
        old one while it still overlaps (``services.endpoint_rotate_secret``)."""
        return [self.secret, self.old_secret] if self.old_secret_signs_at(now) else [self.secret]


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SUCCEEDED = "succeeded", _("Answered with 2xx")
        FAILED = "failed", _("Failed (another attempt may follow)")
        DROPPED = (
            "dropped",
            _("Not sent: the endpoint is disabled or its owner may no longer read it"),
        )

    id = models.BigAutoField(primary_key=True)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(max_length=40, default=new_message_id)
    event_type = models.CharField(max_length=40)
    payload = models.TextField(help_text=_("The body sent, the same on every attempt."))
    # What the event is about, to ask the visibility rule again when it is sent.
    comment_id = models.BigIntegerField(null=True, blank=True)
    version_id = models.BigIntegerField(null=True, blank=True)
    attempt = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="webhook_delivery_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} attempt {self.attempt}: {self.status}"
