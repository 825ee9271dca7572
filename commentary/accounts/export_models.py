"""A member's download of their own data: made at once for a small account, in the
background for a large one (``commentary.accounts.export``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
