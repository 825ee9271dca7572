"""Writes to the edition: works, imported versions, publishing.

Every function here is keyword-only, runs in one transaction and is what the management
command, the admin and the views call; none of them bypasses the immutability of published
versions.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from edition.alignment import MERGED, NEW, REMOVED, UNCHANGED, MappingRow, align
from edition.caching import edition_changed
from edition.importer import Block
from edition.models import (
    BlockKind,
    Paragraph,
    ParagraphRevision,
    PublishedVersionError,
    Version,
    VersionParagraph,
    Work,
)


@dataclass
class ImportOutcome:
    """What ``version_import`` did.

    ``created`` is False when the work's latest version already had exactly these blocks and
    nothing was written; ``replaced`` is True when an existing draft's content was replaced
    rather than a new version made. ``mapping`` compares the blocks with ``compared_with``,
    the latest published version (None for a work never published), one row per paragraph
    in reading order, removed and merged ones where they stood.
    """

    version: Version
    created: bool
    mapping: list[MappingRow] = field(default_factory=list)
    replaced: bool = False
    compared_with: Version | None = None


@dataclass
class ImportPreview:
    """What ``version_import`` would do, computed without writing anything.

    ``same_as`` is the version that already has exactly these blocks, if any;
    ``compared_with`` is the version the mapping compares against (None for a work never
    published).
    """

    mapping: list[MappingRow]
    same_as: Version | None
    compared_with: Version | None


@dataclass
class _Entry:
    """Where one new block goes: an existing paragraph or a new one, an existing revision or
    a new one."""

    block: Block
    paragraph: Paragraph
    revision: ParagraphRevision | None = None


@dataclass
class _Plan:
    latest: Version | None
    published: Version | None
    same_as: Version | None
    rows: list[MappingRow]
    entries: list[_Entry]
    merges: dict[int, int]  # merged paragraph id -> id of the paragraph it went into


def work_ensure(
    *,
    slug: str,
    title: str,
    author: str = "",
    subtitle: str = "",
    publisher: str = "",
    year: int | None = None,
    description: str = "",
    language: str = "en",
) -> Work:
    """Return the work with ``slug``, creating it if needed.

    On an existing work, each metadata field given a non-empty value replaces the stored
    one; empty values leave it alone. ``language`` is set on creation and changed afterwards
    only when a value other than the default "en" is given, so that re-importing without a
    language never resets one. Writes nothing when nothing changes. Raises ValidationError
    for invalid values (a bad slug, a title too long).
    """
    given = {
        "title": title,
        "author": author,
        "subtitle": subtitle,
        "publisher": publisher,
        "year": year,
        "description": description,
    }
    with transaction.atomic():
        work = Work.objects.select_for_update().filter(slug=slug).first()
        if work is None:
            if not title:
                raise ValidationError({"title": ["A new work needs a title."]})
            work = Work(slug=slug, language=language or "en", **_non_empty(given))
            work.full_clean(exclude=["current_version"])
            work.save()
            return work
        changes = {
            name: value for name, value in _non_empty(given).items() if getattr(work, name) != value
        }
        if language and language != "en" and language != work.language:
            changes["language"] = language
        if changes:
            for name, value in changes.items():
                setattr(work, name, value)
            work.full_clean(exclude=["current_version", "slug"])
            work.save(update_fields=list(changes))
            transaction.on_commit(edition_changed)
        return work


def work_save(*, work: Work) -> Work:
    """Save a work edited as a whole (the admin's form has validated it).

    Its title, author and slug show on every cached page of the work and in links from
    other pages, so every cached page goes stale once the change is committed.
    """
    with transaction.atomic():
        work.save()
        transaction.on_commit(edition_changed)
    return work


def work_delete(*, work: Work) -> None:
    """Delete a work; its cached pages stop being served once the deletion is committed."""
    with transaction.atomic():
        work.delete()
        transaction.on_commit(edition_changed)


def _non_empty(values: dict) -> dict:
    return {name: value for name, value in values.items() if value not in ("", None)}


def version_import_preview(*, work: Work | None, blocks: Sequence[Block]) -> ImportPreview:
    """Align ``blocks`` with the work's latest published version without writing anything.

    ``work`` may be None for a work that does not exist yet: every block is then new.
    Keys in the mapping are those ``version_import`` would give, were it run now.
    """
    blocks = _validated(blocks)
    if work is None:
        rows = [
            MappingRow(NEW, f"p{ordinal}", None, block.text, 0.0)
            for ordinal, block in enumerate(blocks, start=1)
        ]
        return ImportPreview(mapping=rows, same_as=None, compared_with=None)
    plan = _plan(work, blocks, lock=False)
    return ImportPreview(mapping=plan.rows, same_as=plan.same_as, compared_with=plan.published)


def version_import(
    *, work: Work, blocks: Sequence[Block], created_by=None, note: str = ""
) -> ImportOutcome:
    """Make ``blocks`` the content of a draft version of ``work``.

    - If the latest version (draft or published) already has exactly these blocks, it is
      returned with ``created=False`` and nothing is written.
    - If the latest version is a draft, its content (and note, when one is given) is
      replaced; otherwise a new draft numbered one above the latest is created.
    - Blocks are aligned with the latest published version (see ``edition.alignment``):
      unchanged paragraphs reuse their revision, edited ones keep their paragraph and key
      with a new revision, new ones get a new paragraph keyed ``p<ordinal>`` with ordinals
      continuing from the highest the work ever used, and merged paragraphs get
      ``merged_into``. When a draft is replaced, paragraphs that only that draft had are
      given to its new blocks first, so trying an import again does not burn keys.

    Locks the work row for the duration, so concurrent imports of one work queue up. Costs
    a bounded number of queries whatever the number of blocks. Raises ValidationError for
    an empty or malformed list of blocks.
    """
    blocks = _validated(blocks)
    with transaction.atomic():
        Work.objects.select_for_update().filter(pk=work.pk).values_list("pk").first()
        plan = _plan(work, blocks, lock=True)
        if plan.same_as is not None:
            return ImportOutcome(
                version=plan.same_as,
                created=False,
                mapping=plan.rows,
                compared_with=plan.published,
            )

        latest = plan.latest
        replaced = latest is not None and not latest.is_published
        if replaced:
            VersionParagraph.objects.filter(version=latest).delete()
            if note and note != latest.note:
                latest.note = note
                latest.save(update_fields=["note"])
            version = latest
        else:
            version = Version.objects.create(
                work=work,
                number=(latest.number + 1) if latest else 1,
                note=note,
                created_by=created_by,
            )

        new_paragraphs = [entry.paragraph for entry in plan.entries if entry.paragraph.pk is None]
        Paragraph.objects.bulk_create(new_paragraphs)
        new_revisions = []
        for entry in plan.entries:
            if entry.revision is None:
                entry.revision = _revision_for(entry.paragraph, entry.block)
                new_revisions.append(entry.revision)
        ParagraphRevision.objects.bulk_create(new_revisions)
        VersionParagraph.objects.bulk_create(
            VersionParagraph(
                version=version,
                position=position,
                paragraph=entry.paragraph,
                revision=entry.revision,
            )
            for position, entry in enumerate(plan.entries, start=1)
        )

        if plan.published is not None:
            # A draft that was replaced may have merged paragraphs this one keeps.
            Paragraph.objects.filter(
                entries__version=plan.published, merged_into__isnull=False
            ).update(merged_into=None)
        targets: dict[int, list[int]] = {}
        for merged_id, target_id in plan.merges.items():
            targets.setdefault(target_id, []).append(merged_id)
        for target_id, merged_ids in targets.items():
            Paragraph.objects.filter(pk__in=merged_ids).update(merged_into_id=target_id)

        return ImportOutcome(
            version=version,
            created=True,
            mapping=plan.rows,
            replaced=replaced,
            compared_with=plan.published,
        )


def version_publish(*, version: Version, published_by=None) -> Version:
    """Publish a draft and make it the work's current version.

    Locks the version row, so two editors publishing at once cannot both succeed. Raises
    PublishedVersionError if the version is already published or has no paragraphs.
    ``published_by`` is recorded on the version.
    """
    with transaction.atomic():
        locked = Version.objects.select_for_update().get(pk=version.pk)
        if locked.is_published:
            raise PublishedVersionError(f"{locked} is already published.")
        if not VersionParagraph.objects.filter(version=locked).exists():
            raise PublishedVersionError(f"{locked} has no paragraphs to publish.")
        locked.status = Version.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by = published_by
        locked.save(update_fields=["status", "published_at", "published_by"])
        Work.objects.filter(pk=locked.work_id).update(current_version=locked)
        transaction.on_commit(edition_changed)
    version.status = locked.status
    version.published_at = locked.published_at
    version.published_by = locked.published_by
    return version


def _validated(blocks: Sequence[Block]) -> list[Block]:
    blocks = list(blocks)
    if not blocks:
        raise ValidationError("Nothing to import: the text has no blocks.")
    kinds = set(BlockKind.values)
    for position, block in enumerate(blocks, start=1):
        if block.kind not in kinds:
            raise ValidationError(f"Block {position}: unknown kind {block.kind!r}.")
        if block.kind == BlockKind.HEADING:
            if block.level is None or not 1 <= block.level <= 6:
                raise ValidationError(f"Block {position}: a heading needs a level from 1 to 6.")
        elif block.level is not None:
            raise ValidationError(f"Block {position}: only headings have a level.")
        if not block.text.strip():
            raise ValidationError(f"Block {position}: the text is empty.")
    return blocks


def _entries_of(version: Version | None) -> list[VersionParagraph]:
    if version is None:
        return []
    return list(
        VersionParagraph.objects.filter(version=version)
        .select_related("paragraph", "revision")
        .order_by("position")
    )


def _plan(work: Work, blocks: list[Block], *, lock: bool) -> _Plan:
    """Decide, reading only, where each block goes. ``lock`` locks the latest version row."""
    versions = Version.objects.filter(work=work).order_by("-number")
    if lock:
        versions = versions.select_for_update()
    latest = versions.first()
    latest_entries = _entries_of(latest)
    if latest is not None and latest.is_published:
        published, published_entries = latest, latest_entries
    else:
        published = Version.objects.published().filter(work=work).order_by("-number").first()
        published_entries = _entries_of(published)

    old = [entry.revision for entry in published_entries]
    pairings = align(old, blocks)

    same_as = None
    if latest is not None and [entry.revision.checksum for entry in latest_entries] == [
        block.checksum for block in blocks
    ]:
        same_as = latest

    # Paragraphs only the draft being replaced has: its new blocks' identities, to hand on.
    reusable: list[Paragraph] = []
    if same_as is None and latest is not None and not latest.is_published:
        published_ids = {entry.paragraph_id for entry in published_entries}
        candidates = {e.paragraph_id: e.paragraph for e in latest_entries}
        candidate_ids = set(candidates) - published_ids
        if candidate_ids:
            elsewhere = set(
                VersionParagraph.objects.filter(paragraph_id__in=candidate_ids)
                .exclude(version=latest)
                .values_list("paragraph_id", flat=True)
            )
            reusable = sorted(
                (candidates[pk] for pk in candidate_ids - elsewhere), key=lambda p: p.ordinal
            )

    next_ordinal = 1
    if same_as is None:
        highest = Paragraph.objects.filter(work=work).aggregate(highest=Max("ordinal"))["highest"]
        next_ordinal = (highest or 0) + 1

    # align() lists every new block once and in order, so entries follow the blocks.
    entries: list[_Entry] = []
    reusable_left = iter(reusable)
    for pairing in pairings:
        if pairing.new is None:
            continue
        if same_as is not None:
            kept = latest_entries[pairing.new]
            entries.append(_Entry(blocks[pairing.new], kept.paragraph, kept.revision))
        elif pairing.old is not None:
            kept = published_entries[pairing.old]
            revision = kept.revision if pairing.status == UNCHANGED else None
            entries.append(_Entry(blocks[pairing.new], kept.paragraph, revision))
        else:
            paragraph = next(reusable_left, None)
            if paragraph is None:
                paragraph = Paragraph(work=work, ordinal=next_ordinal, key=f"p{next_ordinal}")
                next_ordinal += 1
            entries.append(_Entry(blocks[pairing.new], paragraph))

    rows: list[MappingRow] = []
    merges: dict[int, int] = {}
    for pairing in pairings:
        old_entry = published_entries[pairing.old] if pairing.old is not None else None
        old_text = old_entry.revision.text if old_entry is not None else None
        if pairing.status == REMOVED:
            rows.append(MappingRow(REMOVED, old_entry.paragraph.key, old_text, None, 0.0))
        elif pairing.status == MERGED:
            target = entries[pairing.merged_into].paragraph
            rows.append(
                MappingRow(
                    MERGED,
                    old_entry.paragraph.key,
                    old_text,
                    blocks[pairing.merged_into].text,
                    pairing.score,
                    merged_into=target.key,
                )
            )
            merges[old_entry.paragraph.pk] = target.pk
        else:
            key = entries[pairing.new].paragraph.key
            new_text = blocks[pairing.new].text
            rows.append(MappingRow(pairing.status, key, old_text, new_text, pairing.score))

    _attach_existing_revisions(entries)
    return _Plan(
        latest=latest,
        published=published,
        same_as=same_as,
        rows=rows,
        entries=entries,
        merges=merges,
    )


def _attach_existing_revisions(entries: list[_Entry]) -> None:
    """Give entries of existing paragraphs the revision they already have with that wording;
    a paragraph never holds two revisions with one checksum."""
    wanted = {
        entry.paragraph.pk
        for entry in entries
        if entry.revision is None and entry.paragraph.pk is not None
    }
    if not wanted:
        return
    existing = {
        (revision.paragraph_id, revision.checksum): revision
        for revision in ParagraphRevision.objects.filter(paragraph_id__in=wanted).only(
            "id", "paragraph_id", "checksum", "kind", "level", "text"
        )
    }
    for entry in entries:
        if entry.revision is None and entry.paragraph.pk is not None:
            entry.revision = existing.get((entry.paragraph.pk, entry.block.checksum))


def _revision_for(paragraph: Paragraph, block: Block) -> ParagraphRevision:
    return ParagraphRevision(
        paragraph=paragraph,
        kind=block.kind,
        level=block.level,
        text=block.text,
        checksum=block.checksum,
    )
