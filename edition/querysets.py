"""Who may read what in the edition: the one rule, as QuerySet methods.

- A **work** is published when its current version is published. ``Work.save`` keeps the
  current version one of the work's published versions, so a work without one is still in
  draft, or withdrawn by clearing it.
- A **version** may be read when it is published and its work is.
- A **paragraph** may be read when a published version of a published work holds it; one
  that only drafts hold may not.
- **Staff** read everything, drafts included (``can_read_drafts``).

What a user may not read answers 404, the same as something that does not exist.
``readable_by(user)`` applies the rule for one user; ``published()`` is what every reader
may read, and what the discussion is about (comments are written on published wordings
only). Pages, the API and commentary read through these methods, mostly by way of the
fetch helpers in ``edition.access``.
"""

from django.apps import apps
from django.db import models


def can_read_drafts(user) -> bool:
    return bool(user is not None and user.is_staff)


def _edition_model(name: str) -> type[models.Model]:
    # edition.models builds its managers from this module, so models are looked up on use.
    return apps.get_model("edition", name)


def _published() -> str:
    return _edition_model("Version").Status.PUBLISHED


class WorkQuerySet(models.QuerySet):
    def published(self) -> "WorkQuerySet":
        return self.filter(current_version__status=_published())

    def readable_by(self, user) -> "WorkQuerySet":
        return self if can_read_drafts(user) else self.published()


class VersionQuerySet(models.QuerySet):
    def published(self) -> "VersionQuerySet":
        """Published versions, whatever their work; ``readable_by`` also asks the work."""
        return self.filter(status=self.model.Status.PUBLISHED)

    def drafts(self) -> "VersionQuerySet":
        return self.filter(status=self.model.Status.DRAFT)

    def readable_by(self, user) -> "VersionQuerySet":
        if can_read_drafts(user):
            return self
        return self.published().filter(work__current_version__status=_published())


class ParagraphQuerySet(models.QuerySet):
    def published(self) -> "ParagraphQuerySet":
        in_published_version = (
            _edition_model("VersionParagraph")
            .objects.published()
            .filter(paragraph=models.OuterRef("pk"))
        )
        return self.filter(
            models.Exists(in_published_version), work__current_version__status=_published()
        )

    def readable_by(self, user) -> "ParagraphQuerySet":
        return self if can_read_drafts(user) else self.published()

    def with_mapping(self) -> "ParagraphQuerySet":
        """Each with ``merged_into_key``, the key of the paragraph its work's current
        version shows it merged into (None when none), and ``split_from_key``, the key of
        the paragraph a published version split it off (None when it did not begin so):
        each version's own record (``edition.mapping``), read in the same query."""
        merged_into = (
            _edition_model("VersionMerge")
            .objects.filter(
                version_id=models.OuterRef("work__current_version_id"),
                paragraph_id=models.OuterRef("pk"),
            )
            .values("merged_into__key")[:1]
        )
        change = _edition_model("ParagraphChange")
        split_from = (
            change.objects.filter(
                paragraph_id=models.OuterRef("pk"),
                status=change.Status.SPLIT,
                version__status=_published(),
            )
            .order_by("version__number")
            .values("other__key")[:1]
        )
        return self.annotate(
            merged_into_key=models.Subquery(merged_into),
            split_from_key=models.Subquery(split_from),
        )


class VersionParagraphQuerySet(models.QuerySet):
    def published(self) -> "VersionParagraphQuerySet":
        """Entries of published versions: the wordings readers have been shown."""
        return self.filter(version__status=_published())
