"""The text: works, their versions, and paragraphs with a stable identity across versions.

A Paragraph is the identity of a passage (its ``key`` never changes and is never reused);
a ParagraphRevision is one immutable wording of it; a VersionParagraph places one revision
at one position in one version. Unchanged paragraphs share their revision across versions.
A ParagraphChange records what a version's import found it did to a paragraph (moved,
split, merged, restored…); a VersionMerge, what a published version maps: the paragraphs it
no longer holds that it shows inside one it holds. Both belong to one version, so
publishing a later version changes nothing of an earlier one.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from edition.inline import passage_html
from edition.querysets import (
    ParagraphQuerySet,
    VersionParagraphQuerySet,
    VersionQuerySet,
    WorkQuerySet,
)


class PublishedVersionError(ValidationError):
    """Raised by every write that would change a published version."""


class VersionPublishError(ValidationError):
    """Raised when a draft cannot be published because it was discarded meanwhile."""


class CurrentVersionError(ValidationError):
    """Raised when a work would be saved with a current version readers cannot read."""


class ModerationPolicy(models.TextChoices):
    OPEN = "open", _("Open: comments appear at once and are moderated afterwards")
    PREMODERATED = "premoderated", _("Pre-moderated: comments wait for approval")
    CLOSED = "closed", _("Closed: no new comments")


class Work(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    subtitle = models.CharField(max_length=300, blank=True)
    author = models.CharField(max_length=200, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    language = models.CharField(max_length=16, default="en")
    description = models.TextField(blank=True)
    moderation_policy = models.CharField(
        max_length=16,
        choices=ModerationPolicy.choices,
        default=ModerationPolicy.OPEN,
        help_text=_("How new comments on this work are moderated."),
    )
    current_version = models.ForeignKey(
        "Version",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The published version readers see by default."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def current_version_problem(self) -> str | None:
        """Why ``current_version`` cannot be this work's current version, or None if it can.

        Readers see a work through its current version, so it must be one of the work's
        published versions. The version is judged by its stored row, not by an instance
        that may be out of date.
        """
        if self.current_version_id is None:
            return None
        stored = (
            Version.objects.filter(pk=self.current_version_id)
            .values_list("work_id", "status")
            .first()
        )
        if stored is None:
            return None  # the foreign key reports a version that does not exist
        work_id, status = stored
        if work_id != self.pk:
            return _("The current version must be a version of this work.")
        if status != Version.Status.PUBLISHED:
            return _("Only a published version can be the current one.")
        return None

    def clean_fields(self, exclude=None) -> None:
        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "current_version" not in (exclude or ()) and "current_version" not in errors:
            problem = self.current_version_problem()
            if problem:
                errors["current_version"] = [problem]
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        """Refuses (CurrentVersionError) a current version readers could not read, whoever
        saves: the admin's form reports it first, on the field."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"current_version", "current_version_id"} & set(update_fields):
            problem = self.current_version_problem()
            if problem:
                raise CurrentVersionError({"current_version": [problem]})
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("edition:work-detail", kwargs={"slug": self.slug})


# Version.number is a PositiveIntegerField: 32-bit in every database Django supports.
MAX_VERSION_NUMBER = 2**31 - 1


class Version(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=16,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("A draft can be changed; a published version never is."),
    )
    note = models.TextField(blank=True, help_text=_("What changed in this version."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["work", "number"]
        constraints = [
            models.UniqueConstraint(fields=["work", "number"], name="version_number_unique"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="version_number_positive"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="draft", published_at__isnull=True)
                    | models.Q(status="published", published_at__isnull=False)
                ),
                name="version_published_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def get_absolute_url(self) -> str:
        return reverse(
            "edition:version-detail", kwargs={"slug": self.work.slug, "number": self.number}
        )

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            stored = Version.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.PUBLISHED:
                raise PublishedVersionError(_("A published version cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_published:
            raise PublishedVersionError(_("A published version cannot be deleted."))
        return super().delete(*args, **kwargs)


class DraftDoubts(models.Model):
    """What the importer was unsure of when a draft's text was uploaded (``[kind, message]``
    pairs, in the order of the text), kept with the draft for as long as it is reviewed:
    every editor who opens the review reads them, whatever their session holds. Apart from
    ``Version`` so that the versions read on every page never carry them."""

    version = models.OneToOneField(
        Version, on_delete=models.CASCADE, primary_key=True, related_name="import_doubts"
    )
    doubts = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.version}: {len(self.doubts)} import doubts"


class Paragraph(models.Model):
    """The stable identity of a passage: its key is used by permalinks, citations, comments."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="paragraphs")
    ordinal = models.PositiveIntegerField(help_text=_("Creation order; the key is p<ordinal>."))
    key = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ParagraphQuerySet.as_manager()

    class Meta:
        ordering = ["work", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["work", "key"], name="paragraph_key_unique"),
            models.UniqueConstraint(fields=["work", "ordinal"], name="paragraph_ordinal_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.work.slug}#{self.key}"

    def get_absolute_url(self) -> str:
        return reverse("edition:paragraph-detail", kwargs={"slug": self.work.slug, "key": self.key})


class BlockKind(models.TextChoices):
    HEADING = "heading", _("Heading")
    PARAGRAPH = "paragraph", _("Paragraph")
    LIST_ITEM = "list_item", _("List item")
    ORDERED_ITEM = "ordered_item", _("Numbered list item")
    QUOTE = "quote", _("Block quote")
    CODE = "code", _("Code block")
    TABLE = "table", _("Table")


def revision_checksum(kind: str, level: int | None, text: str, markup: str = "") -> str:
    # Without markup the payload is what it always was, so plain wordings keep their checksum.
    payload = f"{kind}\x1f{level or ''}\x1f{text}"
    if markup:
        payload += f"\x1f{markup}"
    return hashlib.sha256(payload.encode()).hexdigest()


class ParagraphRevision(models.Model):
    """One immutable wording of a paragraph."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(max_length=16, choices=BlockKind.choices, default=BlockKind.PARAGRAPH)
    level = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Heading level (1 is the top); empty for other kinds.")
    )
    text = models.TextField(help_text=_("The words a reader sees, without markup."))
    markup = models.TextField(
        blank=True,
        help_text=_(
            "The Markdown the author wrote (inline formatting, or a table), rendered safely; "
            "empty when the text has no formatting."
        ),
    )
    checksum = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paragraph", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["paragraph", "checksum"], name="revision_checksum_unique"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="heading", level__isnull=False, level__gte=1, level__lte=6)
                    | (~models.Q(kind="heading") & models.Q(level__isnull=True))
                ),
                name="revision_level_only_on_headings",
            ),
            models.CheckConstraint(condition=~models.Q(text=""), name="revision_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.paragraph} r{self.pk}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError(_("A paragraph revision is immutable."))
        self.checksum = revision_checksum(self.kind, self.level, self.text, self.markup)
        super().save(*args, **kwargs)

    @property
    def html(self) -> str:
        """Safe HTML of the wording (see ``edition.inline``)."""
        return passage_html(self.kind, self.text, self.markup)


class VersionParagraph(models.Model):
    """One revision of one paragraph at one position of one version."""

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField()
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="entries")
    revision = models.ForeignKey(ParagraphRevision, on_delete=models.PROTECT, related_name="+")

    objects = VersionParagraphQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="version_position_unique"),
            models.UniqueConstraint(
                fields=["version", "paragraph"], name="version_paragraph_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1), name="version_position_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} §{self.position}"

    def _refuse_if_published(self) -> None:
        if Version.objects.filter(pk=self.version_id, status=Version.Status.PUBLISHED).exists():
            raise PublishedVersionError(_("A published version cannot be changed."))

    def save(self, *args, **kwargs) -> None:
        self._refuse_if_published()
        if self.revision.paragraph_id != self.paragraph_id:
            raise ValidationError(_("The revision belongs to another paragraph."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_published()
        return super().delete(*args, **kwargs)


class ParagraphChange(models.Model):
    """What one version did to one paragraph, as its import's alignment found it.

    Recorded when a draft is imported, so an editor can review it; a published version's
    rows are its record of what it split off (``other``, the paragraph a new half came
    from), moved and merged, read by the pages of that version and of the history. Its
    merges also go into the version's VersionMerge rows when it is published, so nothing
    of a draft reaches readers. Unchanged paragraphs have no row.
    """

    class Status(models.TextChoices):
        EDITED = "edited", _("Edited")
        MOVED = "moved", _("Moved")
        SPLIT = "split", _("Split off")
        MERGED = "merged", _("Merged")
        RESTORED = "restored", _("Restored")
        NEW = "new", _("New")
        REMOVED = "removed", _("Removed")

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="changes")
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(
        max_length=16,
        choices=Status.choices,
        help_text=_("What the version did to the paragraph."),
    )
    other = models.ForeignKey(
        Paragraph,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_(
            "For a split, the paragraph it came out of; for a merge, the one it went into."
        ),
    )
    score = models.FloatField(help_text=_("Word-level similarity of the two wordings, 0 to 1."))

    class Meta:
        ordering = ["version", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "paragraph"], name="paragraph_change_unique"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status__in=["split", "merged"], other__isnull=False)
                    | (~models.Q(status__in=["split", "merged"]) & models.Q(other__isnull=True))
                ),
                name="paragraph_change_other_only_on_split_and_merge",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version}: {self.paragraph.key} {self.status}"


class StaleGeneration(models.Model):
    """A generation counter a committed write could not bump (its Redis was unreachable).

    Kept in the database, which the write has just reached, so that every process learns
    of it: until the bump is made again, no page or fragment cached under the old counter
    may be served (see config.site.caching).
    """

    topic = models.CharField(max_length=20)
    work = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.topic} of {self.work or 'every work'}"


class VersionMerge(models.Model):
    """A merge in force on one version: ``paragraph``, which the version does not hold, went
    into ``merged_into`` (by this version or an earlier one), and the version shows its
    comments there, following merges of merges (``edition.mapping.home_of``).

    Written once, when the version is published, from the rows of the version published
    before it (less the paragraphs this one holds again) and the merges this version
    recorded (``edition.mapping.version_merges_record``); never changed afterwards, so
    restoring a paragraph in a later version leaves this version's reading as it was.
    """

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="merges")
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="+")
    merged_into = models.ForeignKey(
        Paragraph,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The paragraph this one was merged into."),
    )

    class Meta:
        ordering = ["version", "paragraph"]
        constraints = [
            models.UniqueConstraint(fields=["version", "paragraph"], name="version_merge_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.version}: {self.paragraph.key} in {self.merged_into.key}"


class ReadingPlace(models.Model):
    """Where a signed-in reader left a work: the passage at the top of the page they read
    last, or the one whose discussion they opened (``edition.places``). One per reader and
    work, never shown to anybody else."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_places"
    )
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="+")
    # The version it was read in, and the passage's number there (None for a heading).
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="one_reading_place_per_work")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.paragraph_id} of {self.work_id}"
