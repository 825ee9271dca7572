"""Writes to the edition: works, imported versions, publishing.

Every function here is keyword-only, runs in one transaction and is what the management
command, the admin and the views call; none of them bypasses the immutability of published
versions.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from config.site.caching import edition_changed
from config.site.events import send_after_commit
from edition.alignment import (
    MERGED,
    NEW,
    REMOVED,
    RESTORED,
    SPLIT,
    UNCHANGED,
    MappingRow,
    align,
)
from edition.drafts import DraftChanged, draft_checksum
from edition.events import version_published
from edition.importer import Block
from edition.mapping import version_merges_record
from edition.models import (
    BlockKind,
    Paragraph,
    ParagraphChange,
    ParagraphRevision,
    PublishedVersionError,
    Version,
    VersionParagraph,
    VersionPublishError,
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
    # (status, paragraph, other paragraph, score) for every row but the unchanged ones.
    changes: list[tuple[str, Paragraph, Paragraph | None, float]]
    # Paragraphs only the draft being replaced held that no block took up: to drop.
    unused: list[Paragraph]


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
    - Blocks are aligned with the latest published version and with every wording the
      work's other paragraphs had in earlier published versions (see
      ``edition.alignment``): unchanged and moved paragraphs reuse their revision, edited
      ones keep their paragraph and key with a new revision, a paragraph the revision takes
      up again gets its key back, new ones get a new paragraph keyed ``p<ordinal>`` with
      ordinals continuing from the highest the work ever used. When a draft is replaced,
      paragraphs that only that draft had are given to its new blocks first, so trying an
      import again does not burn keys; those no block takes up are deleted.
    - What the alignment found is stored as the draft's ParagraphChange rows. Its merges
      reach readers (as the version's VersionMerge rows) only when the version is
      published: readers never see anything of a draft.

    Locks the work row for the duration, so concurrent imports of one work queue up. Costs
    a bounded number of queries whatever the number of blocks. Raises ValidationError for
    an empty or malformed list of blocks, or one longer than SCHOLIA_IMPORT_MAX_PARAGRAPHS.
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
            dropped_revisions = set(
                VersionParagraph.objects.filter(version=latest).values_list(
                    "revision_id", flat=True
                )
            )
            VersionParagraph.objects.filter(version=latest).delete()
            ParagraphChange.objects.filter(version=latest).delete()
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

        ParagraphChange.objects.bulk_create(
            ParagraphChange(
                version=version, paragraph=paragraph, status=status, other=other, score=score
            )
            for status, paragraph, other, score in plan.changes
        )
        if replaced:
            _drop_unheld(
                paragraph_ids={paragraph.pk for paragraph in plan.unused},
                revision_ids=dropped_revisions,
            )

        return ImportOutcome(
            version=version,
            created=True,
            mapping=plan.rows,
            replaced=replaced,
            compared_with=plan.published,
        )


def version_publish(
    *, version: Version, published_by=None, expected_checksum: str | None = None
) -> Version:
    """Publish a draft and make it the work's current version, in one transaction.

    With ``expected_checksum`` (what ``edition.drafts.draft_checksum`` gave when its
    publisher reviewed it), a draft whose content, corrections or note have changed since
    raises DraftChanged and nothing is published: nobody publishes what they did not read.

    Locks the work row, then the version's, so two editors publishing at once queue up: the
    first wins and the second gets a PublishedVersionError saying the version is already
    published. Raises PublishedVersionError too for a version with no paragraphs, and
    VersionPublishError for a draft discarded meanwhile. Writes
    the merges in force on the version (``edition.mapping.version_merges_record``: those of
    the version before it and its own, less what it holds), which no later version changes.
    ``published_by`` is recorded on the version. Nothing is written unless all is.
    """
    with transaction.atomic():
        Work.objects.select_for_update().filter(pk=version.work_id).values_list("pk").first()
        locked = Version.objects.select_for_update().filter(pk=version.pk).first()
        if locked is None:
            raise VersionPublishError(f"{version} no longer exists: it was discarded.")
        if locked.is_published:
            raise PublishedVersionError(
                f"{locked} is already published: someone else published it first."
            )
        if not VersionParagraph.objects.filter(version=locked).exists():
            raise PublishedVersionError(f"{locked} has no paragraphs to publish.")
        if expected_checksum is not None and draft_checksum(locked) != expected_checksum:
            raise DraftChanged(f"{locked} changed since it was reviewed.")
        version_merges_record(version=locked)
        locked.status = Version.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by = published_by
        locked.save(update_fields=["status", "published_at", "published_by"])
        Work.objects.filter(pk=locked.work_id).update(current_version=locked)
        transaction.on_commit(edition_changed)
        send_after_commit(version_published, version=locked)
    version.status = locked.status
    version.published_at = locked.published_at
    version.published_by = locked.published_by
    return version


def version_discard(*, version: Version) -> None:
    """Delete a draft and leave no trace of it.

    Deletes the version, its entries and recorded changes, the revisions only it held and
    the paragraphs only it held (keys it handed out are free again, since no reader saw
    them). Locks the work row like publishing does, so a draft is never discarded halfway
    through being published. Raises PublishedVersionError for a published version.
    """
    with transaction.atomic():
        Work.objects.select_for_update().filter(pk=version.work_id).values_list("pk").first()
        locked = Version.objects.select_for_update().filter(pk=version.pk).first()
        if locked is None:
            return
        if locked.is_published:
            raise PublishedVersionError(f"{locked} is published and cannot be discarded.")
        held = list(
            VersionParagraph.objects.filter(version=locked).values_list(
                "paragraph_id", "revision_id"
            )
        )
        VersionParagraph.objects.filter(version=locked).delete()
        ParagraphChange.objects.filter(version=locked).delete()
        _drop_unheld(
            paragraph_ids={paragraph_id for paragraph_id, _ in held},
            revision_ids={revision_id for _, revision_id in held},
        )
        Version.objects.filter(pk=locked.pk).delete()
        transaction.on_commit(edition_changed)


def _drop_unheld(*, paragraph_ids: set[int], revision_ids: set[int]) -> None:
    """Delete, among those given, the revisions and paragraphs no version holds any more."""
    held_revision = VersionParagraph.objects.filter(revision=OuterRef("pk"))
    ParagraphRevision.objects.filter(pk__in=revision_ids).exclude(Exists(held_revision)).delete()
    held_paragraph = VersionParagraph.objects.filter(paragraph=OuterRef("pk"))
    Paragraph.objects.filter(pk__in=paragraph_ids).exclude(Exists(held_paragraph)).delete()


def _validated(blocks: Sequence[Block]) -> list[Block]:
    """The blocks as a list; ValidationError for none, too many
    (``SCHOLIA_IMPORT_MAX_PARAGRAPHS``) or a malformed one."""
    blocks = list(blocks)
    if not blocks:
        raise ValidationError("Nothing to import: the text has no blocks.")
    limit = settings.SCHOLIA_IMPORT_MAX_PARAGRAPHS
    if len(blocks) > limit:
        raise ValidationError(
            f"The text has {len(blocks):,} paragraphs, more than the {limit:,} a version may "
            "hold. Divide it into several works, or ask the site's administrator to raise "
            "SCHOLIA_IMPORT_MAX_PARAGRAPHS."
        )
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

    earlier = _earlier_wordings(work, published)
    old = [entry.revision for entry in published_entries]
    pairings = align(
        old,
        blocks,
        [revision for _, revision in earlier],
        [paragraph.pk for paragraph, _ in earlier],
    )

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
    reusable_left = list(reversed(reusable))
    for pairing in pairings:
        if pairing.new is None:
            continue
        block = blocks[pairing.new]
        if same_as is not None:
            kept = latest_entries[pairing.new]
            entries.append(_Entry(block, kept.paragraph, kept.revision))
        elif pairing.old is not None:
            kept = published_entries[pairing.old]
            revision = kept.revision if kept.revision.checksum == block.checksum else None
            entries.append(_Entry(block, kept.paragraph, revision))
        elif pairing.status == RESTORED:
            paragraph, revision = earlier[pairing.earlier]
            revision = revision if revision.checksum == block.checksum else None
            entries.append(_Entry(block, paragraph, revision))
        else:
            if reusable_left:
                paragraph = reusable_left.pop()
            else:
                paragraph = Paragraph(work=work, ordinal=next_ordinal, key=f"p{next_ordinal}")
                next_ordinal += 1
            entries.append(_Entry(block, paragraph))

    rows: list[MappingRow] = []
    changes: list[tuple[str, Paragraph, Paragraph | None, float]] = []
    for pairing in pairings:
        old_entry = published_entries[pairing.old] if pairing.old is not None else None
        old_text = old_entry.revision.text if old_entry is not None else None
        old_position = old_entry.position if old_entry is not None else None
        new_position = pairing.new + 1 if pairing.new is not None else None
        if pairing.status == REMOVED:
            rows.append(
                MappingRow(
                    REMOVED, old_entry.paragraph.key, old_text, None, 0.0, old_position=old_position
                )
            )
            changes.append((REMOVED, old_entry.paragraph, None, 0.0))
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
                    old_position=old_position,
                    new_position=pairing.merged_into + 1,
                )
            )
            changes.append((MERGED, old_entry.paragraph, target, pairing.score))
        else:
            paragraph = entries[pairing.new].paragraph
            new_text = blocks[pairing.new].text
            split_from = None
            if pairing.status == SPLIT:
                source = published_entries[pairing.split_from]
                split_from, old_text = source.paragraph, source.revision.text
            elif pairing.status == RESTORED:
                old_text = earlier[pairing.earlier][1].text
            rows.append(
                MappingRow(
                    pairing.status,
                    paragraph.key,
                    old_text,
                    new_text,
                    pairing.score,
                    split_from=split_from.key if split_from is not None else None,
                    old_position=old_position,
                    new_position=new_position,
                )
            )
            # A first version is new throughout: nothing to record.
            if pairing.status != UNCHANGED and published is not None:
                changes.append((pairing.status, paragraph, split_from, pairing.score))

    _attach_existing_revisions(entries)
    return _Plan(
        latest=latest,
        published=published,
        same_as=same_as,
        rows=rows,
        entries=entries,
        changes=changes,
        unused=reusable_left,
    )


def _earlier_wordings(
    work: Work, published: Version | None
) -> list[tuple[Paragraph, ParagraphRevision]]:
    """Every wording the work's published versions gave a paragraph that ``published`` (the
    latest published version) no longer holds, most recent first within each paragraph."""
    if published is None:
        return []
    in_latest = VersionParagraph.objects.filter(
        version=published, paragraph_id=OuterRef("paragraph_id")
    )
    wordings: dict[int, tuple[Paragraph, ParagraphRevision]] = {}
    for entry in (
        VersionParagraph.objects.published()
        .filter(version__work=work)
        .exclude(Exists(in_latest))
        .select_related("paragraph", "revision")
        .order_by("paragraph__ordinal", "-version__number")
    ):
        wordings.setdefault(entry.revision_id, (entry.paragraph, entry.revision))
    return list(wordings.values())


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
        markup=block.markup,
        checksum=block.checksum,
    )
