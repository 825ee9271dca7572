"""Reading groups: a seminar or a book club holding its own discussion of some works.

A group's comments reach its members only (the rule is ``Comment.objects.visible_to``);
its owner and moderators moderate them. Membership is a row per person with a role;
leaving or being removed deletes the row, so access ends with it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commentary.roles import reader_roles
from edition.models import ModerationPolicy, Work

INVITE_CODE_BYTES = 12


def new_invite_code() -> str:
    return secrets.token_urlsafe(INVITE_CODE_BYTES)


class ReadingGroupQuerySet(models.QuerySet):
    def for_member(self, user) -> "ReadingGroupQuerySet":
        """The groups ``user`` belongs to, in any role; none for anonymous readers."""
        if user is None or not user.is_authenticated:
            return self.none()
        groups = self.filter(memberships__user_id=user.pk)
        limit = reader_roles(user).group_limit
        # Credentials limited to groups (a token's) show no other group.
        return groups if limit is None else groups.filter(pk__in=sorted(limit))

    def led_by(self, user) -> "ReadingGroupQuerySet":
        """The groups ``user`` owns or moderates: those whose comments they moderate."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=sorted(reader_roles(user).leads))

    def discoverable(self) -> "ReadingGroupQuerySet":
        return self.filter(discoverable=True)


class ReadingGroup(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(max_length=2000, blank=True)
    works = models.ManyToManyField(Work, related_name="reading_groups", blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    discoverable = models.BooleanField(
        default=False,
        help_text=_("Outsiders may see its name and description, never its comments."),
    )
    post_first = models.BooleanField(
        default=False,
        help_text=_(
            "A member sees the group's comments on a paragraph only after writing there; "
            "the owner and moderators see everything."
        ),
    )
    suggested_tags = models.CharField(
        max_length=450,
        blank=True,
        help_text=_(
            "Tags its members are offered first when they write in the group, separated "
            "by spaces: question objection source."
        ),
    )
    moderation_policy = models.CharField(
        max_length=16,
        choices=[
            (ModerationPolicy.OPEN, ModerationPolicy.OPEN.label),
            (ModerationPolicy.PREMODERATED, ModerationPolicy.PREMODERATED.label),
        ],
        default=ModerationPolicy.OPEN,
        help_text=_("Whether members' comments wait for the group's moderators."),
    )
    invite_code = models.CharField(max_length=32, unique=True, default=new_invite_code)
    invite_enabled = models.BooleanField(default=True)
    invite_role = models.CharField(
        max_length=16,
        choices=[("member", _("Member")), ("moderator", _("Moderator"))],
        default="member",
        help_text=_("The role the invitation gives."),
    )
    invite_expires_at = models.DateTimeField(
        null=True, blank=True, help_text=_("After this the invitation no longer works.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReadingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(moderation_policy__in=["open", "premoderated"]),
                name="readinggroup_policy_valid",
            ),
            models.CheckConstraint(
                condition=Q(invite_role__in=["member", "moderator"]),
                name="readinggroup_invite_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="readinggroup_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:group-detail", kwargs={"slug": self.slug})

    def invitation_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.invite_enabled and (
            self.invite_expires_at is None or self.invite_expires_at > at
        )


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MODERATOR = "moderator", _("Moderator")
        MEMBER = "member", _("Member")

    LEADING_ROLES = (Role.OWNER, Role.MODERATOR)

    group = models.ForeignKey(ReadingGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    role = models.CharField(
        max_length=16,
        choices=Role.choices,
        default=Role.MEMBER,
        help_text=_("Owners and moderators moderate the group's comments and see them all."),
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["group", "joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="membership_once_per_group"),
            models.UniqueConstraint(
                fields=["group"], condition=Q(role="owner"), name="membership_one_owner"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["owner", "moderator", "member"]),
                name="membership_role_valid",
            ),
        ]
        indexes = [models.Index(fields=["user", "group"], name="membership_user_group")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.group_id} as {self.role}"
