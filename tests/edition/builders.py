"""Build works and versions straight from the models, for page tests.

A version is a list of blocks; a block naming an existing key continues that paragraph
(same wording: same revision; new wording: a new revision). Entries are written while the
version is a draft, then it is published the way ``version_publish`` leaves it.
"""

from dataclasses import dataclass

from django.utils import timezone

from edition.mapping import version_merges_record
from edition.models import (
    BlockKind,
    Paragraph,
    ParagraphRevision,
    Version,
    VersionMerge,
    VersionParagraph,
    Work,
    revision_checksum,
)


@dataclass(frozen=True)
class Spec:
    text: str
    kind: str = BlockKind.PARAGRAPH
    level: int | None = None
    key: str | None = None


def heading(text: str, level: int = 2, key: str | None = None) -> Spec:
    return Spec(text, BlockKind.HEADING, level, key)


def para(text: str, key: str | None = None) -> Spec:
    return Spec(text, BlockKind.PARAGRAPH, None, key)


def item(text: str, key: str | None = None) -> Spec:
    return Spec(text, BlockKind.LIST_ITEM, None, key)


def quote(text: str, key: str | None = None) -> Spec:
    return Spec(text, BlockKind.QUOTE, None, key)


def build_work(slug: str = "october-1917", **fields) -> Work:
    defaults = {
        "title": "October 1917 Revolution: A Century Later",
        "subtitle": "Chapter One",
        "author": "Samir Amin",
        "publisher": "Daraja Press",
        "year": 2017,
    }
    return Work.objects.create(slug=slug, **{**defaults, **fields})


def build_version(
    work: Work, specs: list[Spec], *, publish: bool = True, make_current: bool = True
) -> Version:
    """A new version of ``work`` holding ``specs`` in order, with a few bulk queries."""
    number = (work.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = Version.objects.create(work=work, number=number)

    existing = {p.key: p for p in work.paragraphs.all()}
    next_ordinal = max((p.ordinal for p in existing.values()), default=0) + 1
    new_paragraphs = []
    for spec in specs:
        if spec.key is None:
            new_paragraphs.append(
                Paragraph(work=work, ordinal=next_ordinal, key=f"p{next_ordinal}")
            )
            next_ordinal += 1
    Paragraph.objects.bulk_create(new_paragraphs)
    fresh = iter(new_paragraphs)
    paragraphs = [existing[spec.key] if spec.key else next(fresh) for spec in specs]

    revisions = {
        (r.paragraph_id, r.checksum): r
        for r in ParagraphRevision.objects.filter(paragraph__in=paragraphs)
    }
    missing = []
    for paragraph, spec in zip(paragraphs, specs, strict=True):
        checksum = revision_checksum(spec.kind, spec.level, spec.text)
        if (paragraph.pk, checksum) not in revisions:
            revision = ParagraphRevision(
                paragraph=paragraph,
                kind=spec.kind,
                level=spec.level,
                text=spec.text,
                checksum=checksum,
            )
            revisions[(paragraph.pk, checksum)] = revision
            missing.append(revision)
    ParagraphRevision.objects.bulk_create(missing)

    VersionParagraph.objects.bulk_create(
        VersionParagraph(
            version=version,
            position=position,
            paragraph=paragraph,
            revision=revisions[(paragraph.pk, revision_checksum(spec.kind, spec.level, spec.text))],
        )
        for position, (paragraph, spec) in enumerate(zip(paragraphs, specs, strict=True), 1)
    )

    if publish:
        # What publishing writes of the version's own mapping: the merges carried on from
        # the version before it (tests add their merges with ``merge``).
        version_merges_record(version=version)
        published_at = timezone.now()
        Version.objects.filter(pk=version.pk).update(
            status=Version.Status.PUBLISHED, published_at=published_at
        )
        version.status, version.published_at = Version.Status.PUBLISHED, published_at
        if make_current:
            work.current_version = version
            work.save(update_fields=["current_version"])
    return version


def merge(version: Version, merged: str, into: str) -> None:
    """Record on ``version`` that it shows paragraph ``merged`` merged into ``into``, as
    publishing a version that merged them would."""
    paragraphs = dict(
        Paragraph.objects.filter(work_id=version.work_id, key__in=[merged, into]).values_list(
            "key", "pk"
        )
    )
    VersionMerge.objects.update_or_create(
        version=version,
        paragraph_id=paragraphs[merged],
        defaults={"merged_into_id": paragraphs[into]},
    )


def merged_into(key: str) -> str | None:
    """The key of the paragraph the latest published version (of the one work a test
    builds) shows paragraph ``key`` merged into, None when it shows it merged into none."""
    latest = Version.objects.published().order_by("-number").first()
    return (
        VersionMerge.objects.filter(version=latest, paragraph__key=key)
        .values_list("merged_into__key", flat=True)
        .first()
    )


def split_origin(key: str) -> str | None:
    """The key of the paragraph a published version split paragraph ``key`` off."""
    return Paragraph.objects.with_mapping().get(key=key).split_from_key


def chapter_specs() -> list[Spec]:
    """A short chapter with every kind of block: headings at three levels, a list, a quote."""
    return [
        heading("Chapter One"),
        heading("The October 1917 Revolution started off the transformation of the world"),
        para("The aim of this chapter is certainly not to denigrate this first socialist project."),
        para("However, neither is the objective of this study a nostalgic looking back."),
        heading("Soviet leaders facing the challenge of history", level=3),
        para("Lenin, along with the Bolshevik leaders, shaped the history of the revolution."),
        item("the form of property;"),
        item("the form of planning;"),
        para("Nevertheless, Lenin quickly learned the necessary historical lesson."),
        heading("Two: Autocratic Power", level=4),
        quote("What to outward appearances was an autocracy masked another reality."),
        para("Thermidor, the Restoration: toward a second wave of revolutionary advances?"),
    ]
