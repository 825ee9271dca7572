"""Where an annotation came from, when it was not written here, and the reports of imports.

An ``AnnotationOrigin`` keeps what a client or an export said of an annotation that the
comment itself has no column for: its ``canonical`` IRI (never changed), the ``id`` it had
(shown as ``via``), and for an import the source's own id, so that importing the same
export again finds it and changes nothing.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AnnotationOrigin(models.Model):
    comment = models.OneToOneField(
        "commentary.Comment", on_delete=models.CASCADE, related_name="annotation_origin"
    )
    canonical = models.CharField(
        max_length=2000, blank=True, help_text=_("The canonical IRI the client gave; kept.")
    )
    via = models.CharField(
        max_length=2000, blank=True, help_text=_("The id the annotation had where it came from.")
    )
    source_id = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("For an import: the source's own id, e.g. 'hypothesis:Ab12'."),
    )
    layer = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("For an import: the layer imported into, 'work:<id>' or 'group:<id>'."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["layer", "source_id"],
                condition=~Q(source_id=""),
                name="annotation_origin_imported_once",
            )
        ]

    def __str__(self) -> str:
        return f"Origin of comment {self.comment_id}"


class AnnotationImport(models.Model):
    """One run of an import, with its report (see ``commentary.annotations.importer``)."""

    work = models.ForeignKey("edition.Work", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(
        "commentary.ReadingGroup",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The reading group imported into; empty for the public discussion."),
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    source_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"Import {self.pk} into {self.work_id}"
