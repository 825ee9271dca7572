"""Notifications, follows and how each member wants to be told.

A notification tells one member of one thing: a moderation decision on their comment
(pointing at the ModerationEvent, so what was decided is the audit log's own record), a
reply, a new comment in a thread, on a paragraph or a work they follow, a mention, a new
version of a work they follow, or, in a "post first" group, that the group wrote on a
paragraph where they have not written yet (never what). Services and reads live in
``commentary.notifications.services``, ``follows``, ``replies`` and ``digests``.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    DECISION = "decision", _("A decision on your comment")
    REPLY = "reply", _("A reply to your comment")
    MENTION = "mention", _("A mention of you")
    THREAD = "thread", _("A new comment in a thread you follow")
    PARAGRAPH = "paragraph", _("A new comment on a paragraph you follow")
    WORK = "work", _("A new comment on a work you follow")
    GROUP_WROTE = "group_wrote", _("Your post-first group wrote on a paragraph")
    VERSION = "version", _("A new version of a work you follow")


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user) -> "NotificationQuerySet":
        """What ``user`` may read of notifications: their own, on comments the one
        visibility rule still shows them; without a comment, one about a work (anybody's)
        or about one of their reading groups (only while they belong to it). Nothing for an
        anonymous reader."""
        if user is None or not user.is_authenticated:
            return self.none()
        from commentary.models import Comment
        from commentary.roles import reader_roles

        visible = Comment.objects.visible_to(user).values("pk")
        about_text = Q(comment__isnull=True, group__isnull=True)
        about_group = Q(comment__isnull=True, group_id__in=sorted(reader_roles(user).groups))
        return self.filter(recipient_id=user.pk).filter(
            Q(comment__in=visible) | about_text | about_group
        )

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def with_related(self) -> "NotificationQuerySet":
        return self.select_related(
            "event",
            "comment__work",
            "comment__paragraph",
            "comment__author__profile",
            "work",
            "paragraph",
            "group",
            "version",
        )


class Notification(models.Model):
    """One thing told to one member."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(
        max_length=16,
        choices=Kind.choices,
        default=Kind.DECISION,
        help_text=_("What it tells; also which email preference applies."),
    )
    event = models.OneToOneField(
        "commentary.ModerationEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notification",
        help_text=_("The decision told: its action, reason, statuses and time."),
    )
    comment = models.ForeignKey(
        "commentary.Comment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        help_text=_("The comment told of; empty for a new version or a post-first note."),
    )
    work = models.ForeignKey(
        "edition.Work", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    paragraph = models.ForeignKey(
        "edition.Paragraph", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    group = models.ForeignKey(
        "commentary.ReadingGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The post-first group that wrote on the paragraph (its note names no text)."),
    )
    version = models.ForeignKey(
        "edition.Version", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True, help_text=_("What changed, for a new version."))
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When its recipient marked it read; empty: unread.")
    )
    emailed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When it was sent by mail, alone or in a digest; empty if not."),
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
        constraints = [
            # A member is told of a comment once, whatever the reasons (a reply that
            # mentions them in a thread they follow): listeners may run twice.
            models.UniqueConstraint(
                fields=["recipient", "comment"],
                condition=Q(event__isnull=True, comment__isnull=False),
                name="notification_once_per_comment",
            ),
            models.UniqueConstraint(
                fields=["recipient", "version"],
                condition=Q(version__isnull=False),
                name="notification_once_per_version",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "decision",
                        "reply",
                        "mention",
                        "thread",
                        "paragraph",
                        "work",
                        "group_wrote",
                        "version",
                    ]
                ),
                name="notification_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Notification {self.pk} ({self.kind}) to user {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Follow(models.Model):
    """A member follows a work, a paragraph of it, or a thread (its first comment)."""

    class Target(models.TextChoices):
        WORK = "work", _("Work")
        PARAGRAPH = "paragraph", _("Paragraph")
        THREAD = "thread", _("Thread")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    target = models.CharField(max_length=16, choices=Target.choices)
    work = models.ForeignKey("edition.Work", on_delete=models.CASCADE, related_name="+")
    paragraph = models.ForeignKey(
        "edition.Paragraph", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    thread = models.ForeignKey(
        "commentary.Comment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The first comment of the thread followed."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target="work", paragraph__isnull=True, thread__isnull=True)
                | Q(target="paragraph", paragraph__isnull=False, thread__isnull=True)
                | Q(target="thread", thread__isnull=False),
                name="follow_target_consistent",
            ),
            models.UniqueConstraint(
                fields=["user", "work"], condition=Q(target="work"), name="follow_work_once"
            ),
            models.UniqueConstraint(
                fields=["user", "paragraph"],
                condition=Q(target="paragraph"),
                name="follow_paragraph_once",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"], condition=Q(target="thread"), name="follow_thread_once"
            ),
        ]
        indexes = [
            models.Index(fields=["work", "target"], name="follow_work"),
            models.Index(fields=["paragraph"], name="follow_paragraph"),
            models.Index(fields=["thread"], name="follow_thread"),
        ]

    def __str__(self) -> str:
        place = self.thread_id or self.paragraph_id or self.work_id
        return f"{self.user_id} follows {self.target} {place}"


class Frequency(models.TextChoices):
    AT_ONCE = "at_once", _("At once")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    NEVER = "never", _("Never")


class DeliveryPreference(models.Model):
    """How a member wants one kind of notification by email. A kind without a row takes
    ``services.DEFAULT_FREQUENCY``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delivery_preferences"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    frequency = models.CharField(max_length=16, choices=Frequency.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="delivery_preference_once"),
            models.CheckConstraint(
                condition=Q(frequency__in=["at_once", "daily", "weekly", "never"]),
                name="delivery_preference_frequency_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.frequency}"


class NotificationSettings(models.Model):
    """A member's other choices: whether writing a comment follows its thread, and the
    secret of their private feed (empty: none; a new one revokes the old)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    follow_own_threads = models.BooleanField(
        default=True, help_text=_("Writing a comment follows its thread.")
    )
    feed_token = models.CharField(max_length=64, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"Notification settings of {self.user_id}"

    @staticmethod
    def new_feed_token() -> str:
        return secrets.token_urlsafe(32)


class Digest(models.Model):
    """One digest sent (or found empty) to one member for one period: a second run of
    ``send_digests`` for the same period finds it and sends nothing."""

    class Period(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=8, choices=Period.choices)
    period_key = models.CharField(
        max_length=16, help_text=_("The day (2026-12-06) or ISO week (2026-W49) it covers.")
    )
    item_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period", "period_key"], name="digest_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} digest {self.period_key} to {self.user_id}"
