"""Notifications: a member is told of the moderation decisions on their comments.

A notification points at the ModerationEvent it reports, so what was decided, why, from
which status to which and when are the audit log's own record, never a copy. Services and
reads live in ``commentary.notifications.services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user) -> "NotificationQuerySet":
        """What ``user`` may read of notifications: their own, on comments the one
        visibility rule still shows them. Nothing for an anonymous reader."""
        if user is None or not user.is_authenticated:
            return self.none()
        from commentary.models import Comment

        visible = Comment.objects.visible_to(user).values("pk")
        return self.filter(recipient_id=user.pk, comment__in=visible)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def with_related(self) -> "NotificationQuerySet":
        return self.select_related("event", "comment__work", "comment__paragraph")


class Notification(models.Model):
    """One moderation decision told to the author of the comment it was taken on."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.OneToOneField(
        "commentary.ModerationEvent",
        on_delete=models.PROTECT,
        related_name="notification",
        help_text=_("The decision told: its action, reason, statuses and time."),
    )
    comment = models.ForeignKey(
        "commentary.Comment", on_delete=models.PROTECT, related_name="notifications"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When its recipient marked it read; empty: unread.")
    )
    emailed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When it was sent by mail; empty if it was not (no verified address)."),
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["recipient", "id"], name="notification_recipient"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"Notification {self.pk} to user {self.recipient_id} of event {self.event_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
