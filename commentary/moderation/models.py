"""What moderation keeps: members' flags, the append-only log of decisions, and sanctions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commentary.groups.models import ReadingGroup
from commentary.models import Comment, any_of
from commentary.roles import reader_roles


class FlagQuerySet(models.QuerySet):
    def open(self) -> "FlagQuerySet":
        """Flags no moderator has reviewed yet: they count towards hiding a comment."""
        return self.filter(reviewed_at__isnull=True)


class Flag(models.Model):
    """A member's report that a comment needs a moderator's look; one per member and
    comment. A moderator's decision on the comment marks its open flags reviewed."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        OFFENSIVE = "offensive", _("Offensive")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Other (say what)")

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="flags")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="flags_given"
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.TextField(
        max_length=500, blank=True, help_text=_("Required when the reason is “other”.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Set when a moderator decided on the comment.")
    )

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="flag_one_per_member"),
            models.CheckConstraint(
                condition=Q(reason__in=["spam", "offensive", "off_topic", "other"]),
                name="flag_reason_valid",
            ),
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(note=""), name="flag_other_has_note"
            ),
        ]
        indexes = [models.Index(fields=["comment", "reviewed_at"], name="flag_comment_open")]

    def __str__(self) -> str:
        return f"Flag {self.pk} ({self.reason}) on comment {self.comment_id}"


class ModerationEventQuerySet(models.QuerySet):
    """Events are only ever added: a bulk update or delete is refused like a single one."""

    def update(self, **kwargs):
        raise ModerationEvent.Immutable(_("Moderation events cannot be changed."))

    def delete(self):
        raise ModerationEvent.Immutable(_("Moderation events cannot be deleted."))

    def visible_to(self, user) -> "ModerationEventQuerySet":
        """The audit log ``user`` may read: events on the comments they moderate
        (``Comment.moderation_condition``), and, for site moderators, the sanctions and
        trust decisions about members; for a reading group's owner and moderators, the
        group's decisions about its members. A reading group's log stays with its leaders."""
        moderated = Comment.moderation_condition(user)
        if moderated is None:
            return self.none()
        roles = reader_roles(user)
        members = any_of(
            ([Q(group__isnull=True)] if roles.moderates else [])
            + ([Q(group_id__in=sorted(roles.leads))] if roles.leads else [])
        )
        on_comments = Q(comment__in=Comment.objects.filter(moderated).values("pk"))
        return self.filter(on_comments | (Q(comment__isnull=True) & members))

    def with_related(self) -> "ModerationEventQuerySet":
        return self.select_related("actor", "comment__work", "comment__paragraph", "user")


class ModerationEvent(models.Model):
    """One line of the audit log: who did what to which comment or member, why, and what
    it changed. Append-only: ``save`` refuses to change a row, ``delete`` refuses always."""

    class Immutable(Exception):
        pass

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")
        KEEP = "keep", _("Kept (flags dismissed)")
        REQUEUE = "requeue", _("Sent back to the queue after an edit")
        SUSPEND = "suspend", _("Suspended")
        BAN = "ban", _("Banned")
        REINSTATE = "reinstate", _("Reinstated")
        TRUST = "trust", _("Trust granted")
        DISTRUST = "distrust", _("Trust removed")
        REMOVE = "remove", _("Removed from a reading group")
        TRUST_AUTOMATIC = "trust_automatic", _("Trust back to automatic")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moderation_actions",
        help_text=_("The moderator; empty when the site acted by itself (flags, edits)."),
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moderation_events",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moderation_events",
        help_text=_("The member acted on: the comment's author, or the member sanctioned."),
    )
    group = models.ForeignKey(
        ReadingGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moderation_events",
        help_text=_("The reading group whose leader acted on a member; empty for the site."),
    )
    reason = models.TextField(max_length=1000, blank=True)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ModerationEventQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(comment__isnull=False) | Q(user__isnull=False),
                name="moderationevent_has_target",
            ),
        ]
        indexes = [
            models.Index(fields=["actor", "created_at"], name="modevent_actor_created"),
            models.Index(fields=["user", "created_at"], name="modevent_user_created"),
        ]

    def __str__(self) -> str:
        target = f"comment {self.comment_id}" if self.comment_id else f"user {self.user_id}"
        return f"{self.action} of {target} by {self.actor_id or 'the site'}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise self.Immutable(_("Moderation events cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.Immutable(_("Moderation events cannot be deleted."))


class SanctionQuerySet(models.QuerySet):
    def in_force(self, at=None) -> "SanctionQuerySet":
        """Sanctions not lifted and not over at ``at`` (default: now)."""
        at = at or timezone.now()
        return self.filter(lifted_at__isnull=True).filter(Q(until__isnull=True) | Q(until__gt=at))

    def applying_to(self, group_id: int | None) -> "SanctionQuerySet":
        """The sanctions that stop a write in the reading group ``group_id`` (None: the
        public discussion): the site's, which apply everywhere, and that group's own."""
        scope = Q(group__isnull=True)
        if group_id is not None:
            scope |= Q(group_id=group_id)
        return self.filter(scope)

    def visible_to(self, user) -> "SanctionQuerySet":
        """The sanctions ``user`` may read: the site's for site moderators, a reading
        group's for its owner and moderators (as ``ModerationEventQuerySet.visible_to``)."""
        if user is None or not user.is_authenticated:
            return self.none()
        roles = reader_roles(user)
        scopes = ([Q(group__isnull=True)] if roles.moderates else []) + (
            [Q(group_id__in=sorted(roles.leads))] if roles.leads else []
        )
        return self.filter(any_of(scopes)) if scopes else self.none()


class Sanction(models.Model):
    """A suspension until a date, or a ban; either stops a member posting, editing and
    flagging until it ends or a moderator lifts it: everywhere when the site's moderators
    gave it, in one reading group only when that group's leaders did (``group``)."""

    class Kind(models.TextChoices):
        SUSPEND = "suspend", _("Suspension")
        BAN = "ban", _("Ban")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    until = models.DateTimeField(
        null=True, blank=True, help_text=_("When a suspension ends; empty for a ban.")
    )
    reason = models.TextField(max_length=1000)
    group = models.ForeignKey(
        ReadingGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sanctions",
        help_text=_(
            "The reading group whose leaders gave it: it stops writing in that group only. "
            "Empty: the site's moderators gave it, and it applies everywhere."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sanctions_given"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sanctions_lifted",
    )

    objects = SanctionQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="suspend", until__isnull=False)
                | Q(kind="ban", until__isnull=True),
                name="sanction_until_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["user", "lifted_at"], name="sanction_user_lifted")]

    def __str__(self) -> str:
        scope = f" in group {self.group_id}" if self.group_id else ""
        return f"{self.get_kind_display()} of user {self.user_id}{scope}"
