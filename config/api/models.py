"""What the API keeps of its own: the first answer to each idempotent request."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

# How long a key holds its answer: a retry later than this creates again.
KEY_LIFETIME = timedelta(hours=24)


class IdempotencyKey(models.Model):
    """One member's ``Idempotency-Key`` and the answer its request got.

    Written in the same transaction as what the request created, so a key is stored exactly
    when its request's writes are; only successful answers are kept (a refused request
    leaves no key, so its corrected retry runs). ``fingerprint`` is what the request asked
    (method, path and body), so that the same key with another request is refused.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.TextField(blank=True, help_text="The answer's JSON, as first sent.")
    location = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.user_id})"

    def is_expired(self, now=None) -> bool:
        return self.created_at <= (now or timezone.now()) - KEY_LIFETIME
