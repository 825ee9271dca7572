"""The change log a client syncs from (``GET /api/v1/changes/``): one row per thing that
happened, written after its commit by the listeners (``commentary.sync.listeners``),
always through ``commentary.sync.writes.changes_log``, which keeps the ids committing in
their order, and never edited. A row holds no content, only what finds it again and who
may be told: the comment's id, its group, paragraph and author, or the group a member
joined, left or reads differently now, and that member. What a reader is told is decided
when they read, by the one visibility rule (``commentary.sync.reads``)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Change(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", _("A comment was written")
        EDITED = "edited", _("A comment was edited")
        DELETED = "deleted", _("A comment was deleted by its author")
        DECIDED = "decided", _("A moderator decided on a comment, or flags hid it")
        REPLIED = "replied", _("A reply to the comment came, went or changed state")
        MOVED = "moved", _("A new version shows the comment under another paragraph")
        ERASED = "erased", _("Its author deleted their account")
        RENAMED = "renamed", _("Its author changed the name shown beside it")
        FLAGGED = "flagged", _("A member flagged a reading group's comment")
        REVEALED = "revealed", _("A post-first member wrote on its paragraph and reads it")
        JOINED = "joined", _("A member joined a reading group, or founded one")
        LEFT = "left", _("A member left a reading group, or was removed")
        REACH = "reach", _("What a member reads of a reading group changed")

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Plain numbers, not foreign keys: the log outlives nothing it names, and a row never
    # changes once written.
    comment_id = models.BigIntegerField(null=True, blank=True)
    author_id = models.BigIntegerField(
        null=True, blank=True, help_text=_("The comment's author, who reads its changes.")
    )
    group_id = models.BigIntegerField(
        null=True, blank=True, help_text=_("The comment's reading group, or the one joined/left.")
    )
    group_slug = models.CharField(max_length=80, blank=True)
    paragraph_id = models.BigIntegerField(
        null=True,
        blank=True,
        help_text=_("The comment's paragraph: a post-first member reads where they wrote."),
    )
    member_id = models.BigIntegerField(
        null=True,
        blank=True,
        help_text=_("The member a group's change or a reveal is for: the only reader of the row."),
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["group_id", "id"], name="change_group_id"),
            models.Index(fields=["author_id", "id"], name="change_author_id"),
            models.Index(fields=["member_id", "id"], name="change_member_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind__in=["joined", "left", "reach"],
                        member_id__isnull=False,
                        comment_id__isnull=True,
                    )
                    | models.Q(kind="revealed", member_id__isnull=False, comment_id__isnull=False)
                    | models.Q(
                        ~models.Q(kind__in=["joined", "left", "reach", "revealed"]),
                        comment_id__isnull=False,
                    )
                ),
                name="change_names_its_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"change {self.pk}: {self.kind}"
