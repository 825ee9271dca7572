"""People talking about the text: profiles, comments and their edit history.

A comment is anchored to a Paragraph (stable across versions) and to the
ParagraphRevision its author saw; a quote, if any, is a W3C TextQuoteSelector plus
TextPositionSelector inside that revision's text.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from edition.models import Paragraph, ParagraphRevision, Version, Work


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=80, blank=True)
    affiliation = models.CharField(max_length=120, blank=True)
    bio = models.TextField(max_length=1000, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()

    def get_absolute_url(self) -> str:
        return reverse("people:user-detail", kwargs={"username": self.user.get_username()})


def display_name_of(user) -> str:
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or user.get_username()


# Comment ids are 64-bit: DEFAULT_AUTO_FIELD is a BigAutoField.
MAX_COMMENT_ID = models.BigIntegerField.MAX_BIGINT
# Quote offsets are PositiveIntegerFields: 32-bit in every database Django supports.
MAX_QUOTE_OFFSET = 2**31 - 1


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CommentQuerySet":
        """The one visibility rule: what ``user`` may see of comments, on every surface.

        Fails closed: published comments, plus the viewer's own in any state. Tombstones of
        deleted comments stay in (their replies hang on them); callers that count or list
        content use ``live()`` on top.
        """
        visible = Comment.public_condition()
        personal = Comment.personal_condition(user)
        if personal is not None:
            visible |= personal
        return self.filter(visible)

    def visible_beyond_public(self, user) -> "CommentQuerySet":
        """What ``user`` sees over and above an anonymous reader: ``visible_to(user)`` is
        exactly the public comments plus these. Empty for anonymous readers."""
        personal = Comment.personal_condition(user)
        if personal is None:
            return self.none()
        return self.filter(personal).exclude(Comment.public_condition())

    def live(self) -> "CommentQuerySet":
        return self.filter(deleted_at__isnull=True)

    def on_work(self, work: Work) -> "CommentQuerySet":
        return self.filter(work=work)

    def in_thread(self, root_id: int) -> "CommentQuerySet":
        return self.filter(Q(pk=root_id) | Q(root_id=root_id))

    def with_related(self) -> "CommentQuerySet":
        return self.select_related(
            "author__profile", "paragraph", "revision", "version", "work", "parent"
        )


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending: waiting for a moderator")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected by a moderator")
        HIDDEN = "hidden", _("Hidden by a moderator or by flags")

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="comments")
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="comments")
    revision = models.ForeignKey(
        ParagraphRevision,
        on_delete=models.PROTECT,
        related_name="comments",
        help_text=_("The wording of the paragraph its author saw."),
    )
    version = models.ForeignKey(
        Version,
        on_delete=models.PROTECT,
        related_name="comments",
        help_text=_("The version its author was reading."),
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="descendants",
        help_text=_("The first comment of the thread; empty on that comment itself."),
    )
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    body = models.TextField()
    body_html = models.TextField()
    quote_exact = models.TextField(blank=True)
    quote_prefix = models.TextField(blank=True)
    quote_suffix = models.TextField(blank=True)
    quote_start = models.PositiveIntegerField(null=True, blank=True)
    quote_end = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=16,
        choices=Status.choices,
        default=Status.PUBLISHED,
        help_text=_("Who may read it: published for all, the others for author and moderators."),
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Set when its author deleted it; a tombstone stays.")
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["paragraph", "status"], name="comment_paragraph_status"),
            models.Index(fields=["work", "status", "created_at"], name="comment_work_status"),
            models.Index(fields=["author", "created_at"], name="comment_author_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(parent__isnull=True, root__isnull=True, depth=0)
                    | Q(parent__isnull=False, root__isnull=False, depth__gte=1)
                ),
                name="comment_thread_position_consistent",
            ),
            models.CheckConstraint(
                condition=(
                    Q(quote_start__isnull=True, quote_end__isnull=True, quote_exact="")
                    | Q(quote_start__isnull=False, quote_end__gt=models.F("quote_start"))
                ),
                name="comment_quote_complete",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "published", "rejected", "hidden"]),
                name="comment_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author_id} on {self.paragraph_id}"

    @staticmethod
    def public_condition() -> Q:
        """Comments everybody may see, signed in or not; the base of ``visible_to``."""
        return Q(status=Comment.Status.PUBLISHED)

    @staticmethod
    def personal_condition(user) -> Q | None:
        """Comments ``user`` may see besides the public ones (their own, in any state)."""
        if user is None or not user.is_authenticated:
            return None
        return Q(author_id=user.pk)

    def get_absolute_url(self) -> str:
        return reverse("commentary:comment-detail", kwargs={"pk": self.pk})

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None

    @property
    def thread_root_id(self) -> int:
        return self.root_id or self.pk

    @property
    def quote(self) -> dict | None:
        if self.quote_start is None:
            return None
        return {
            "exact": self.quote_exact,
            "prefix": self.quote_prefix,
            "suffix": self.quote_suffix,
            "start": self.quote_start,
            "end": self.quote_end,
        }

    def is_editable_by(self, user) -> bool:
        return bool(user and user.is_authenticated and user.pk == self.author_id) and (
            not self.is_deleted
        )


class CommentRevision(models.Model):
    """An earlier body of a comment, kept when its author edits it."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    body_html = models.TextField()
    written_at = models.DateTimeField(help_text=_("When this body was first written."))
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["comment", "pk"]

    def __str__(self) -> str:
        return f"Revision {self.pk} of comment {self.comment_id}"


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
