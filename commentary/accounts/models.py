"""Who people are on the site: their profile, the personal tokens the API knows them by, and
the downloads of their own data (``commentary.accounts.export``)."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=80, blank=True)
    affiliation = models.CharField(max_length=120, blank=True)
    bio = models.TextField(max_length=1000, blank=True)
    trusted = models.BooleanField(
        null=True,
        blank=True,
        help_text=_(
            "Set by a moderator: yes (trusted), no (trust removed). Empty: trusted once "
            "enough of their comments have been approved."
        ),
    )

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()

    def get_absolute_url(self) -> str:
        return reverse("people:user-detail", kwargs={"username": self.user.get_username()})


KEY_PREFIX = "sch_"
VISIBLE_PREFIX_LENGTH = len(KEY_PREFIX) + 8
MAX_ACTIVE_TOKENS = 25
# Writing last_used_at on every request would turn each API read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)

    def for_key(self, raw_key: str) -> "ApiToken | None":
        """The active token whose key is ``raw_key``, with its user; None for none."""
        return self.active().select_related("user").filter(key_hash=key_hash(raw_key)).first()

    def for_key_kept(self, raw_key: str) -> "ApiToken | None":
        """``for_key``, with its user's roles, kept a few seconds for the requests that
        follow (``commentary.accounts.token_users``)."""
        from commentary.accounts.token_users import token_for_key

        return token_for_key(raw_key)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80, help_text=_("What the token is for, for its owner."))
    prefix = models.CharField(
        max_length=16, editable=False, help_text=_("The first characters of the key.")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Set when revoked; a revoked token never works again.")
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        indexes = [models.Index(fields=["user", "revoked_at"], name="apitoken_user_revoked")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def note_use(self) -> None:
        """Record that the token was used, at ``LAST_USED_RESOLUTION`` at most: writing on
        every request would turn each API read into a write."""
        now = timezone.now()
        if self.last_used_at is not None and now - self.last_used_at < LAST_USED_RESOLUTION:
            return
        # Conditional, so that concurrent requests write once between them.
        ApiToken.objects.filter(pk=self.pk).filter(
            models.Q(last_used_at__isnull=True)
            | models.Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        self.last_used_at = now


class MemberExport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(
        max_length=16,
        choices=Status.choices,
        default=Status.PENDING,
        help_text=_("Pending until the files are written; only a ready export downloads."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    comment_count = models.PositiveIntegerField(default=0)
    json = models.TextField(blank=True, help_text=_("Everything, as JSON."))
    markdown = models.TextField(blank=True, help_text=_("The same, as Markdown."))

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="ready") | models.Q(finished_at__isnull=False),
                name="memberexport_ready_has_finished_at",
            ),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} of user {self.user_id} ({self.status})"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY
