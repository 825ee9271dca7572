"""Where a new comment goes: what a client names, resolved for one user.

A form or an API body names the place of a new comment by work slug, paragraph key,
version number and parent id, with an optional quote. ``resolve_comment_target`` turns them
into the objects ``services.comment_create`` takes, or raises the CommentError the form
views show beside the form and the API answers with a 400. What the user may not see reads
exactly as what does not exist: a draft, a withdrawn work, a comment held for moderation.

Comments are written on the published text, so the edition's rule is ``published()``
(``edition.querysets``) whoever asks; the parent is looked up with ``visible_to(user)``.
A group is named by its slug; to anybody outside it, it reads as one that does not exist
(the permission table's "group.write"); a reply takes its thread's group.

The service then checks what depends on the moment of writing (a closed work, a deleted
parent, the depth of the thread, the quote in the wording).

A new comment on the current text (the usual post) finds its place in the cache: the
paragraph with its work, the current version and its wording are kept under the text's
generation, which every write to the edition moves (``_current_wording``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from django.db.models import F
from django.utils.translation import gettext as _

from commentary.cache import expect_passage_parts
from commentary.models import Comment
from commentary.permissions import allowed
from commentary.relations import reading_group_model
from commentary.services import CommentError
from config.site.caching import TEXT, remembered
from edition.models import Paragraph, Version, VersionParagraph, Work

if TYPE_CHECKING:
    from commentary.groups.models import ReadingGroup


@dataclass(frozen=True)
class CommentTarget:
    """The place of a new comment; ``arguments()`` is what ``comment_create`` takes."""

    work: Work
    paragraph: Paragraph
    version: Version | None  # None: the work's current version
    parent: Comment | None
    quote: dict | None
    group: ReadingGroup | None = None  # None: public, or the thread's group for a reply
    # The paragraph's entry in the current version, when the target was read with it.
    wording: VersionParagraph | None = None

    def arguments(self) -> dict:
        return {
            "paragraph": self.paragraph,
            "version": self.version,
            "parent": self.parent,
            "quote": self.quote,
            "group": self.group,
            "wording": self.wording,
        }


def resolve_comment_target(
    user,
    *,
    work: str | None = None,
    paragraph: str | None = None,
    version: int | None = None,
    parent: int | None = None,
    quote: dict | None = None,
    group: str | None = None,
) -> CommentTarget:
    """The target named by a work slug and paragraph key, or by a parent comment's id
    (then work and paragraph may be left out, and must match the parent's if given), in
    the reading group ``group`` names (a reply may name only its thread's)."""
    parent_comment = _parent(user, parent) if parent is not None else None
    resolved_group = _group(user, group) if group else None
    wording = None
    if parent_comment is None and version is None:
        wording = _current_wording(work, paragraph)
    if wording is not None:
        resolved_paragraph = wording.paragraph
        resolved_work = resolved_paragraph.work
    else:
        resolved_work = _work(work, parent_comment)
        resolved_paragraph = _paragraph(resolved_work, paragraph, parent_comment)
    return CommentTarget(
        work=resolved_work,
        paragraph=resolved_paragraph,
        version=_version(resolved_work, version) if version is not None else None,
        parent=parent_comment,
        quote=quote,
        group=resolved_group,
        wording=wording,
    )


def _group(user, slug: str) -> ReadingGroup:
    """The group named, if ``user`` may write in it (the permission table's "group.write",
    answered from their roles: no query of memberships); to anybody outside it, the
    answer a slug that names no group gets. A reply in another group than its thread's
    is the service's to refuse."""
    found = reading_group_model().objects.filter(slug=slug).first()
    if found is None or not allowed(user, "group.write", found):
        raise CommentError({"group": [_("No such group.")]})
    return found


def _parent(user, pk: int) -> Comment:
    found = (
        Comment.objects.visible_to(user)
        .select_related("work", "paragraph__work")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise CommentError({"parent": [_("No such comment.")]})
    return found


class _NoWording(Exception):
    """The names lead to no paragraph of a published current version: nothing is kept, so
    that made-up names cannot fill the cache."""


def _current_wording(slug: str | None, key: str | None) -> VersionParagraph | None:
    """The entry of the paragraph a work's slug and a key name in the work's current
    version, published, with the paragraph, the work, that version and the wording: what a
    new comment on the current text needs. None if either name is missing, or names nothing
    there (``_work`` and ``_paragraph`` then say what is wrong, or the service does: a
    paragraph the current version no longer holds).

    Kept in the cache under the generation of ``TEXT``, read in one query on a miss. What
    it holds changes only with the edition, and every write to a work or to which version
    is current (``edition.services``: ``work_ensure``, ``work_save``, ``work_delete``,
    ``version_publish``; the admin goes through them) bumps that generation once
    committed: the work's moderation policy and current version, which decide whether and
    how a comment is admitted, are never older than the last committed change to them.
    """
    if not slug or not key:
        return None
    expect_passage_parts(slug, key)
    name = "current-wording:" + hashlib.sha256(f"{slug}\n{key}".encode()).hexdigest()
    try:
        return remembered(name, (TEXT,), partial(_current_wording_read, slug, key))
    except _NoWording:
        return None


def _current_wording_read(slug: str, key: str) -> VersionParagraph:
    entry = (
        VersionParagraph.objects.select_related("paragraph__work__current_version", "revision")
        .filter(
            paragraph__work__slug=slug,
            paragraph__key=key,
            version=F("paragraph__work__current_version"),
            paragraph__work__current_version__status=Version.Status.PUBLISHED,
        )
        .order_by()
        .first()
    )
    if entry is None:
        raise _NoWording
    entry.version = entry.paragraph.work.current_version
    return entry


def _work(slug: str | None, parent: Comment | None) -> Work:
    if not slug:
        if parent is None:
            raise CommentError(
                {"work": [_("Say which work the comment is on, or give the parent it replies to.")]}
            )
        return parent.work
    # The service reads the current version: the join the rule makes already holds it.
    work = Work.objects.published().select_related("current_version").filter(slug=slug).first()
    if work is None:
        raise CommentError({"work": [_("No such work.")]})
    if parent is not None and parent.work_id != work.pk:
        raise CommentError({"parent": [_("The parent comment is on another work.")]})
    return work


def _paragraph(work: Work, key: str | None, parent: Comment | None) -> Paragraph:
    """The paragraph named, or the parent's; the service refuses a parent on another one."""
    if not key:
        if parent is None:
            raise CommentError({"paragraph": [_("Say which paragraph it is on.")]})
        return parent.paragraph
    paragraph = Paragraph.objects.published().filter(work=work, key=key).first()
    if paragraph is None:
        raise CommentError(
            {
                "paragraph": [
                    _("No paragraph %(key)s in %(work)s.") % {"key": key, "work": work.slug}
                ]
            }
        )
    paragraph.work = work
    return paragraph


def _version(work: Work, number: int) -> Version:
    version = Version.objects.published().filter(work=work, number=number).first()
    if version is None:
        message = _(
            "That version does not exist. The work %(work)s has no published version %(number)s."
        )
        raise CommentError({"version": [message % {"work": work.slug, "number": number}]})
    version.work = work
    return version
