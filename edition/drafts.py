"""A draft version under review: what it changes, and the corrections an editor makes to it.

Editors are staff (``is_staff``), the same people who may read drafts
(``edition.querysets.can_read_drafts``): whoever may change a draft may always see it.

The review compares the draft with the work's latest published version by paragraph
identity and names each change as the draft records it (its ParagraphChange rows: moved,
split, merged, restored, ...), so it shows the draft as it is stored, corrections included.
Every correction rewrites the rows of the paragraphs it touches, so what the review shows is
what ``version_publish`` applies.

The corrections are services like those of ``edition.services``: keyword-only, each in one
transaction, locking the draft's row (as ``version_publish`` does, so a correction and a
publication of one draft queue up and a correction never lands in a published version).
They raise DraftError, with a message for the editor, for what cannot be done. Each makes
stale the cached pages of the edition once committed. None leaves a trace of the draft
behind it: a wording or a paragraph that only the draft held and no longer holds is deleted.
"""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from config.site.caching import edition_changed
from edition.alignment import (
    EDITED,
    MERGED,
    MOVED,
    NEW,
    REMOVED,
    RESTORED,
    SPLIT,
    UNCHANGED,
    similarity,
)
from edition.importer import Block
from edition.models import (
    BlockKind,
    Paragraph,
    ParagraphChange,
    ParagraphRevision,
    Version,
    VersionParagraph,
    Work,
)
from edition.querysets import can_read_drafts
from edition.reading import comparison_rows, version_rows

# The order the review summarises statuses in; statuses not listed here (those a later
# alignment may report) follow in the order they appear.
REVIEW_STATUSES = (UNCHANGED, EDITED, MOVED, SPLIT, MERGED, RESTORED, NEW, REMOVED)


class DraftError(ValidationError):
    """A correction that cannot be made to a draft; the message says why, for the editor."""


def can_edit_drafts(user) -> bool:
    return bool(user is not None and user.is_active and can_read_drafts(user))


@dataclass(frozen=True)
class ReviewRow:
    """One paragraph of a draft under review, or one the draft no longer holds.

    ``status`` is a mapping status (see ``edition.alignment``; the review shows any it is
    given); ``score`` the word-level similarity of the two wordings; ``diff`` the word diff
    ``[(op, text)]`` when both exist and differ; ``merged_into`` the key a merged paragraph
    went into, ``split_from`` the key a split-off paragraph came out of; ``position_old``
    and ``position_new`` its place in each version.
    """

    status: str
    key: str
    kind: str
    level: int | None
    old_text: str | None
    new_text: str | None
    score: float
    position_old: int | None
    position_new: int | None
    diff: list[tuple[str, str]]
    merged_into: str | None = None
    split_from: str | None = None


@dataclass(frozen=True)
class DraftReview:
    """A draft and what it changes against ``compared_with`` (None for a first version).

    ``checksum`` names the draft's content and corrections as the review read them (see
    ``draft_checksum``): publishing asks for it, so that what is published is what was
    reviewed."""

    draft: Version
    compared_with: Version | None
    rows: list[ReviewRow]
    checksum: str = ""

    @property
    def summary(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = dict.fromkeys(REVIEW_STATUSES, 0)
        for row in self.rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        return [(status, count) for status, count in counts.items() if count]

    @property
    def keys_to_link(self) -> list[ReviewRow]:
        """The paragraphs the draft no longer holds, which a block may be linked to."""
        return [row for row in self.rows if row.position_new is None]


class DraftChanged(DraftError):
    """The draft is no longer the one its reviewer read: another upload or correction came
    in between."""


def draft_checksum(draft: Version) -> str:
    """A digest of everything publishing ``draft`` would publish: its paragraphs in order
    with their wordings, the changes it records (its corrections included) and its note.
    Two queries whatever the length of the text."""
    digest = hashlib.sha256(draft.note.encode())
    for position, key, checksum in (
        VersionParagraph.objects.filter(version=draft)
        .order_by("position")
        .values_list("position", "paragraph__key", "revision__checksum")
    ):
        digest.update(f"\n{position} {key} {checksum}".encode())
    digest.update(b"\nchanges")
    for key, status, other_key, score in (
        ParagraphChange.objects.filter(version=draft)
        .order_by("paragraph__key", "pk")
        .values_list("paragraph__key", "status", "other__key", "score")
    ):
        digest.update(f"\n{key} {status} {other_key} {score!r}".encode())
    return digest.hexdigest()


def draft_review(draft: Version) -> DraftReview:
    """The review of ``draft``, read from what its import stored and its corrections
    rewrote (the ParagraphChange rows and their scores): nothing is aligned again. A bounded
    number of queries whatever the length of the text."""
    compared_with = (
        Version.objects.published()
        .filter(work_id=draft.work_id, number__lt=draft.number)
        .order_by("-number")
        .first()
    )
    checksum = draft_checksum(draft)
    if compared_with is None:
        rows = [
            ReviewRow(
                NEW, row.key, row.kind, row.level, None, row.text, 0.0, None, row.position, []
            )
            for row in version_rows(draft)
        ]
        return DraftReview(draft, None, rows, checksum)

    compared = comparison_rows(compared_with, draft)
    recorded = {
        key: (status, other_key, score)
        for key, status, other_key, score in ParagraphChange.objects.filter(
            version=draft
        ).values_list("paragraph__key", "status", "other__key", "score")
    }
    held = {row["key"] for row in compared if row["new_text"] is not None}
    rows = []
    for row in compared:
        old_text, new_text = row["old_text"], row["new_text"]
        # The draft's record names the change; a paragraph it records nothing for is one
        # both versions hold unchanged.
        status, other, score = recorded.get(row["key"], (None, None, None))
        if status is None:
            status = UNCHANGED if old_text is not None and new_text is not None else row["status"]
            score = 1.0 if status == UNCHANGED else 0.0
        merged_into = other if status == MERGED else None
        if status == MERGED and merged_into not in held:
            status, merged_into, score = REMOVED, None, 0.0
        diff = [(part["op"], part["text"]) for part in row["diff"] or ()]
        rows.append(
            ReviewRow(
                status,
                row["key"],
                row["kind"],
                row["level"],
                old_text,
                new_text,
                score,
                row["position_a"],
                row["position_b"],
                diff,
                merged_into,
                other if status == SPLIT else None,
            )
        )
    return DraftReview(draft, compared_with, rows, checksum)


def draft_note_set(*, version: Version, note: str) -> Version:
    """Set the draft's note (what changed in this version)."""
    with transaction.atomic():
        draft = _locked_draft(version)
        if draft.note != note:
            draft.note = note
            draft.save(update_fields=["note"])
            transaction.on_commit(edition_changed)
    return draft


def draft_paragraph_separate(*, version: Version, key: str) -> VersionParagraph:
    """Treat the draft's block that continues paragraph ``key`` as a new paragraph.

    The block gets a fresh key (the next the work has not used) with its wording, and
    ``key`` is no longer in the draft. Raises DraftError when the block is new already.
    """
    with transaction.atomic():
        draft = _locked_draft(version)
        entry = _entry(draft, key)
        if not _held_elsewhere(entry.paragraph, draft):
            raise DraftError(_("%(key)s is already a new paragraph.") % {"key": key})
        _lock_work(draft)
        ordinal = (
            Paragraph.objects.filter(work_id=draft.work_id).aggregate(top=Max("ordinal"))["top"]
            or 0
        ) + 1
        fresh = Paragraph.objects.create(work_id=draft.work_id, ordinal=ordinal, key=f"p{ordinal}")
        previous = entry.revision
        _move_entry(entry, fresh, _wording_of(fresh, _block_of(previous)))
        # Words merged or split off from the block went into it or came out of it,
        # whichever paragraph it now is.
        ParagraphChange.objects.filter(version=draft, other=previous.paragraph).update(other=fresh)
        _drop_if_unheld(previous)
        _record(draft, [fresh.pk, previous.paragraph_id])
        transaction.on_commit(edition_changed)
    return entry


def draft_paragraph_link(*, version: Version, key: str, target_key: str) -> VersionParagraph:
    """Make the draft's block now keyed ``key`` continue paragraph ``target_key``.

    ``target_key`` must be a paragraph of the work that a published version held and the
    draft does not hold (one the review shows as removed or merged). The block keeps its
    wording; ``key`` leaves the draft, and is deleted if only the draft held it.
    """
    with transaction.atomic():
        draft = _locked_draft(version)
        entry = _entry(draft, key)
        target = Paragraph.objects.filter(work_id=draft.work_id, key=target_key).first()
        if (
            target is None
            or not VersionParagraph.objects.published()
            .filter(paragraph=target)
            .exclude(version=draft)
            .exists()
        ):
            raise DraftError(
                _("There is no published paragraph %(key)s to link to.") % {"key": target_key}
            )
        if VersionParagraph.objects.filter(version=draft, paragraph=target).exists():
            raise DraftError(
                _("%(key)s is already in this draft; a paragraph appears once in a version.")
                % {"key": target_key}
            )
        previous = entry.revision
        _move_entry(entry, target, _wording_of(target, _block_of(previous)))
        ParagraphChange.objects.filter(version=draft, other=previous.paragraph).update(other=target)
        if _held_elsewhere(previous.paragraph, None):
            _drop_if_unheld(previous)
            _record(draft, [target.pk, previous.paragraph_id])
        else:
            previous.paragraph.delete()
            _record(draft, [target.pk])
        transaction.on_commit(edition_changed)
    return entry


def draft_paragraph_edit(
    *, version: Version, key: str, kind: str, level: int | None, text: str
) -> VersionParagraph:
    """Give paragraph ``key`` in the draft this wording and kind (a heading has a level from
    1 to 6, other kinds none). Leading and trailing spaces are dropped."""
    block = Block(kind=kind, level=level if kind == BlockKind.HEADING else None, text=text.strip())
    if not block.text:
        raise DraftError(_("The text cannot be empty."))
    if kind not in BlockKind.values:
        raise DraftError(_("Unknown kind of block: %(kind)s.") % {"kind": kind})
    if kind == BlockKind.HEADING and not (block.level and 1 <= block.level <= 6):
        raise DraftError(_("A heading needs a level from 1 to 6."))
    with transaction.atomic():
        draft = _locked_draft(version)
        entry = _entry(draft, key)
        previous = entry.revision
        if previous.checksum != block.checksum:
            _move_entry(entry, entry.paragraph, _wording_of(entry.paragraph, block))
            _drop_if_unheld(previous)
            _record(draft, [entry.paragraph_id])
            transaction.on_commit(edition_changed)
    return entry


def _record(draft: Version, paragraph_ids: list[int]) -> None:
    """Rewrite the draft's ParagraphChange rows of these paragraphs from what it now holds.

    Against the latest published version: a paragraph both hold is edited when its wording
    differs (a move recorded at import stays a move), and records nothing otherwise; one
    only the draft holds is restored when an earlier published version held it, split off
    when the import recorded it so, new otherwise; one only the published version holds is
    merged when recorded as merged into a paragraph the draft holds, removed otherwise.
    """
    published = (
        Version.objects.published()
        .filter(work_id=draft.work_id, number__lt=draft.number)
        .order_by("-number")
        .first()
    )
    entries = VersionParagraph.objects.filter(paragraph_id__in=paragraph_ids).select_related(
        "revision"
    )
    in_draft = {e.paragraph_id: e.revision for e in entries if e.version_id == draft.pk}
    in_published = {
        e.paragraph_id: e.revision for e in entries if published and e.version_id == published.pk
    }
    earlier = set(
        entries.filter(version__status=Version.Status.PUBLISHED).values_list(
            "paragraph_id", flat=True
        )
    )
    existing = {
        change.paragraph_id: change
        for change in ParagraphChange.objects.filter(version=draft, paragraph_id__in=paragraph_ids)
    }
    ParagraphChange.objects.filter(version=draft, paragraph_id__in=paragraph_ids).delete()
    rows = []
    for paragraph_id in paragraph_ids:
        before = existing.get(paragraph_id)
        was = before.status if before else None
        other_id, score = None, 0.0
        new, old = in_draft.get(paragraph_id), in_published.get(paragraph_id)
        if new is not None and old is not None:
            if new.pk == old.pk:
                status = MOVED if was == MOVED else None
                score = 1.0
            else:
                status = MOVED if was == MOVED else EDITED
                score = similarity(old.text, new.text)
        elif new is not None:
            if paragraph_id in earlier:
                status = RESTORED
            elif was == SPLIT:
                status, other_id = SPLIT, before.other_id
            else:
                status = NEW
        elif old is not None:
            if (
                was == MERGED
                and VersionParagraph.objects.filter(
                    version=draft, paragraph_id=before.other_id
                ).exists()
            ):
                status, other_id, score = MERGED, before.other_id, before.score
            else:
                status = REMOVED
        else:
            status = None
        if status is not None:
            rows.append(
                ParagraphChange(
                    version=draft,
                    paragraph_id=paragraph_id,
                    status=status,
                    other_id=other_id,
                    score=score,
                )
            )
    ParagraphChange.objects.bulk_create(rows)


def _locked_draft(version: Version) -> Version:
    draft = Version.objects.select_for_update().filter(pk=version.pk).first()
    if draft is None:
        raise DraftError(_("This draft no longer exists: it has been discarded."))
    if draft.is_published:
        raise DraftError(
            _("Version %(number)s has been published; it can no longer be changed.")
            % {"number": draft.number}
        )
    return draft


def _lock_work(draft: Version) -> None:
    # New ordinals are taken under the work's lock, as imports take them.
    Work.objects.select_for_update().filter(pk=draft.work_id).values_list("pk").first()


def _entry(draft: Version, key: str) -> VersionParagraph:
    entry = (
        VersionParagraph.objects.filter(version=draft, paragraph__key=key)
        .select_related("paragraph", "revision")
        .first()
    )
    if entry is None:
        raise DraftError(_("There is no paragraph %(key)s in this draft.") % {"key": key})
    return entry


def _held_elsewhere(paragraph: Paragraph, draft: Version | None) -> bool:
    """Whether a version other than ``draft`` holds ``paragraph`` (any version when None)."""
    entries = VersionParagraph.objects.filter(paragraph=paragraph)
    if draft is not None:
        entries = entries.exclude(version=draft)
    return entries.exists()


def _block_of(revision: ParagraphRevision) -> Block:
    return Block(kind=revision.kind, level=revision.level, text=revision.text)


def _wording_of(paragraph: Paragraph, block: Block) -> ParagraphRevision:
    """The paragraph's revision with this wording, made if it has none: a paragraph never
    holds two revisions of one wording."""
    existing = ParagraphRevision.objects.filter(
        paragraph=paragraph, checksum=block.checksum
    ).first()
    if existing is not None:
        return existing
    return ParagraphRevision.objects.create(
        paragraph=paragraph, kind=block.kind, level=block.level, text=block.text
    )


def _move_entry(entry: VersionParagraph, paragraph: Paragraph, revision: ParagraphRevision) -> None:
    entry.paragraph = paragraph
    entry.revision = revision
    entry.save(update_fields=["paragraph", "revision"])


def _drop_if_unheld(revision: ParagraphRevision) -> None:
    """Delete a wording no version holds any more: only a draft ever held it."""
    if not VersionParagraph.objects.filter(revision=revision).exists():
        revision.delete()
