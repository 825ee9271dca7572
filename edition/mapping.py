"""What each version maps: the paragraphs it shows merged into others, the ones it split.

A version's merges are its own VersionMerge rows, written when it is published from the
version before it and what it recorded itself; its splits and moves are its own
ParagraphChange rows. Nothing here is kept per work, so a later version (restoring a
paragraph an earlier one merged away, say) never changes what an earlier one shows.
"""

from collections.abc import Container, Iterable

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from edition.models import ParagraphChange, Version, VersionMerge, VersionParagraph, Work


def home_of(paragraph_id: int, held: Container[int], merges: dict[int, int]) -> int | None:
    """The paragraph among ``held`` (one version's) that shows ``paragraph_id``: itself, or
    the one it was merged into, following merges of merges; None if neither."""
    seen = set()
    while paragraph_id not in held:
        if paragraph_id in seen or paragraph_id not in merges:
            return None
        seen.add(paragraph_id)
        paragraph_id = merges[paragraph_id]
    return paragraph_id


def _previous_published(version: Version) -> Version | None:
    return (
        Version.objects.published()
        .filter(work_id=version.work_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )


def merges_computed(version: Version) -> dict[int, int]:
    """{merged paragraph id: id it went into} as publishing ``version`` would leave them:
    those of the published version before it, less the paragraphs ``version`` holds again,
    and the merges it recorded. What the version holds decides, should a draft have been
    corrected since its import: a merge counts only for a paragraph it no longer holds,
    into one it does hold. Three queries."""
    previous = _previous_published(version)
    merges = merges_of(previous) if previous is not None else {}
    held = set(
        VersionParagraph.objects.filter(version=version).values_list("paragraph_id", flat=True)
    )
    merges = {merged: into for merged, into in merges.items() if merged not in held}
    recorded = ParagraphChange.objects.filter(
        version=version, status=ParagraphChange.Status.MERGED
    ).values_list("paragraph_id", "other_id")
    for merged, into in recorded:
        if merged not in held and into in held:
            merges[merged] = into
    return merges


def merges_of(version: Version) -> dict[int, int]:
    """{merged paragraph id: id it went into} in force on ``version``: a published version's
    own rows (one query), or what publishing a draft would write."""
    if not version.is_published:
        return merges_computed(version)
    return dict(
        VersionMerge.objects.filter(version=version).values_list("paragraph_id", "merged_into_id")
    )


def merges_now(paragraph_ids: Iterable[int]) -> dict[int, int]:
    """``merges_of`` the current version of the work (or works) these paragraphs belong to,
    for a reader who names no version: one query."""
    current = Work.objects.filter(paragraphs__in=list(paragraph_ids)).values("current_version")
    return dict(
        VersionMerge.objects.filter(version__in=current).values_list(
            "paragraph_id", "merged_into_id"
        )
    )


def version_merges_record(*, version: Version) -> None:
    """Write the merges in force on ``version`` (``merges_computed``), as it is published.

    Called inside the publishing transaction, before the version is marked published;
    the rows are never written again."""
    with transaction.atomic():
        VersionMerge.objects.filter(version=version).delete()
        VersionMerge.objects.bulk_create(
            VersionMerge(version=version, paragraph_id=merged, merged_into_id=into)
            for merged, into in merges_computed(version).items()
        )


def splits_between(version_a: Version, version_b: Version) -> QuerySet[ParagraphChange]:
    """The splits recorded by the versions after ``version_a`` up to ``version_b``
    (published ones, and ``version_b`` itself, a draft an editor compares), oldest first:
    each a paragraph and ``other``, the one it was split off. None when b is not after a."""
    if version_b.number <= version_a.number:
        return ParagraphChange.objects.none()
    return (
        ParagraphChange.objects.filter(
            version__work_id=version_b.work_id,
            version__number__gt=version_a.number,
            version__number__lte=version_b.number,
            status=ParagraphChange.Status.SPLIT,
        )
        .exclude(version__status=Version.Status.DRAFT, version__number__lt=version_b.number)
        .order_by("version__number")
    )


def merged_into_key(version: Version, paragraph: OuterRef) -> Subquery | Coalesce:
    """For a query on paragraphs (``paragraph``, the reference to their id): the key of the
    paragraph ``version`` shows each merged into, or None. A published version's own rows;
    for a draft, the merge it recorded, else the one of the version before it, which
    publishing the draft would carry on."""
    if version.is_published:
        own = VersionMerge.objects.filter(version=version, paragraph_id=paragraph)
        return Subquery(own.values("merged_into__key")[:1])
    recorded = ParagraphChange.objects.filter(
        version=version, paragraph_id=paragraph, status=ParagraphChange.Status.MERGED
    )
    previous = VersionMerge.objects.filter(
        version=Subquery(
            Version.objects.published()
            .filter(work_id=version.work_id, number__lt=version.number)
            .order_by("-number")
            .values("pk")[:1]
        ),
        paragraph_id=paragraph,
    )
    return Coalesce(
        Subquery(recorded.values("other__key")[:1]),
        Subquery(previous.values("merged_into__key")[:1]),
    )
