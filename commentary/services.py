"""Writes on the discussion. Views, the API and the admin all call these.

Every service is keyword-only, runs in one transaction and returns the object it wrote (a
new comment without parent or tags is one row, written by one statement: that statement's
own transaction).
They raise CommentError (a ValidationError keyed by field) for input a user can correct;
the callers turn it into form errors or a 400. Permission to *see* an object is checked by
the fetch helpers in ``commentary.access`` before a service is called.
"""

from collections.abc import Iterable
from contextlib import nullcontext
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commentary.errors import CommentError, CommentRateLimited
from commentary.events import comment_created, comment_deleted, comment_edited
from commentary.markdown import render_markdown
from commentary.models import Comment, CommentRevision
from commentary.permissions import allowed
from commentary.policy import write_policy
from commentary.quotes import Occurrence, Quote, QuoteAmbiguous, QuoteError, quote_locate
from commentary.tags import comment_tags_set, tags_read
from config.site.events import send_after_commit
from edition.models import ModerationPolicy, Paragraph, Version, VersionParagraph

if TYPE_CHECKING:
    from commentary.groups.models import ReadingGroup


class CommentQuoteAmbiguous(CommentError):
    """A quoted phrase that stands in more than one place; ``occurrences`` lists them, so
    that a form can ask which one is meant."""

    def __init__(self, message: str, occurrences: list[Occurrence]) -> None:
        self.occurrences = occurrences
        super().__init__({"quote": [message]})


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise CommentError({"body": ["A comment cannot be empty."]})
    limit = settings.SCHOLIA_COMMENT_MAX_LENGTH
    if len(body) > limit:
        raise CommentError({"body": [f"A comment can be at most {limit} characters long."]})
    return body


def _wording_seen(paragraph: Paragraph, version: Version) -> VersionParagraph:
    entry = (
        VersionParagraph.objects.select_related("revision")
        .filter(version=version, paragraph=paragraph)
        .first()
    )
    if entry is None:
        raise CommentError({"paragraph": [f"Paragraph {paragraph.key} is not in {version}."]})
    return entry


def _locked_parent(parent: Comment, paragraph: Paragraph | None) -> Comment:
    """The parent of a reply, its row locked so that concurrent replies and a concurrent
    delete of the parent serialise; refused if it cannot take this reply."""
    parent = Comment.objects.select_for_update().get(pk=parent.pk)
    if paragraph is not None and paragraph.pk != parent.paragraph_id:
        raise CommentError({"parent": ["The parent comment is on another paragraph."]})
    if parent.is_deleted:
        raise CommentError({"parent": ["That comment was deleted; it takes no replies."]})
    if parent.depth + 1 > settings.SCHOLIA_COMMENT_MAX_DEPTH:
        raise CommentError({"parent": ["This thread is as deep as it may go; reply higher up."]})
    return parent


def _version_read(paragraph: Paragraph, version: Version | None, parent: Comment | None) -> Version:
    """The published version whose wording the comment is about (default: the current one)."""
    work = paragraph.work
    if version is None:
        version = work.current_version
    if version is None or not version.is_published or version.work_id != work.pk:
        raise CommentError({"version": ["That version is not published."]})
    if (
        parent is not None
        and not VersionParagraph.objects.filter(version=version, paragraph=paragraph).exists()
    ):
        # Replying on a passage that is no longer in the current text: the reply is about
        # the wording its parent was written on.
        version = parent.version
    return version


def _quote_columns(located: Quote | None) -> dict:
    if located is None:
        return {}
    return {
        "quote_exact": located.exact,
        "quote_prefix": located.prefix,
        "quote_suffix": located.suffix,
        "quote_start": located.start,
        "quote_end": located.end,
    }


def _ensure_writes_in(author, group: "ReadingGroup | None") -> None:
    """A comment goes to a group only from one of its members; for anybody else the group
    does not exist."""
    if group is not None and not allowed(author, "group.write", group):
        raise CommentError({"group": [_("No such group.")]})


def comment_create(
    *,
    author,
    body: str,
    paragraph: Paragraph | None = None,
    version: Version | None = None,
    parent: Comment | None = None,
    quote: dict | None = None,
    group: "ReadingGroup | None" = None,
    tags: "Iterable[str] | str | None" = None,
    wording: VersionParagraph | None = None,
) -> Comment:
    """Post a comment on ``paragraph`` as read in ``version`` (default: the current one),
    or a reply to ``parent``, which the caller has fetched as visible to ``author``
    (``commentary.targets`` resolves what a client names into these). ``wording``: the
    paragraph's entry in its work's current version, with its version and revision, when
    the caller read it with the paragraph; used for a new comment on the current version
    (no ``version``, no ``parent``), so that it is not read again.

    A comment in ``group`` (a reading group its author belongs to, on a work it reads) is
    seen by that group only. A reply inherits its parent's paragraph and group, and can
    name no other group; the parent row is locked. The new comment's status is
    the write policy's (``commentary.policy``). A suspended or banned author is refused
    (MemberSanctioned): suspended or banned by the site, or by the group written in.

    A reply (its parent locked) and a comment with tags (rows besides its own) are written
    in one transaction; any other is its one INSERT, which needs no BEGIN and COMMIT of its
    own: what is read before it is read as it would be at the start of a transaction
    (READ COMMITTED), and its event is sent once that statement has committed.
    """
    with nullcontext() if parent is None and not tags else transaction.atomic():
        return _comment_write(
            author=author,
            body=body,
            paragraph=paragraph,
            version=version,
            parent=parent,
            quote=quote,
            group=group,
            tags=tags,
            wording=wording,
        )


def _comment_write(
    *,
    author,
    body: str,
    paragraph: Paragraph | None,
    version: Version | None,
    parent: Comment | None,
    quote: dict | None,
    group: "ReadingGroup | None",
    tags: "Iterable[str] | str | None",
    wording: VersionParagraph | None,
) -> Comment:
    # A reply is written in its thread's group: its parent's, which never changes.
    written_in = parent.group_id if parent is not None else group.pk if group else None
    poster = write_policy().poster(author, group_id=written_in)
    poster.ensure_may_write()
    body = _clean_body(body)
    _ensure_writes_in(author, group)
    if parent is not None:
        parent = _locked_parent(parent, paragraph)
        paragraph = parent.paragraph
        if group is not None and group.pk != parent.group_id:
            raise CommentError({"group": [_("A reply stays in its thread's group.")]})
        group = parent.group
        _ensure_writes_in(author, group)
    if group is not None:
        poster.ensure_may_write(group_id=group.pk)
    if paragraph is None:
        raise CommentError({"paragraph": ["Say which paragraph the comment is on."]})
    work = paragraph.work
    if group is not None and not group.works.filter(pk=work.pk).exists():
        raise CommentError({"group": [_("This group does not read that work.")]})
    if work.moderation_policy == ModerationPolicy.CLOSED:
        raise CommentError({"work": ["Comments on this work are closed."]})
    if wording is not None and version is None and parent is None:
        if wording.paragraph_id != paragraph.pk or wording.version_id != work.current_version_id:
            raise ValueError("The wording given is not the paragraph's current one.")
        version, entry = wording.version, wording
    else:
        version = _version_read(paragraph, version, parent)
        entry = _wording_seen(paragraph, version)

    located = None
    if quote:
        try:
            located = quote_locate(entry.revision.text, quote)
        except QuoteAmbiguous as error:
            raise CommentQuoteAmbiguous(str(error), error.occurrences) from error
        except QuoteError as error:
            raise CommentError({"quote": [str(error)]}) from error

    tag_names = tags_read(tags)
    admission = poster.admit(work=work, group=group)
    if admission.wait:
        raise CommentRateLimited(admission.wait)

    comment = Comment.objects.create(
        work=work,
        paragraph=paragraph,
        revision=entry.revision,
        version=version,
        parent=parent,
        root_id=(parent.root_id or parent.pk) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        author=author,
        body=body,
        body_html=render_markdown(body),
        group=group,
        status=admission.status,
        **_quote_columns(located),
    )
    if tag_names:
        comment_tags_set(comment, tag_names)
    send_after_commit(comment_created, comment=comment)
    return comment


@transaction.atomic
def comment_edit(
    *, comment: Comment, editor, body: str, tags: "Iterable[str] | str | None" = None
) -> Comment:
    """Replace the body, keeping the previous one as a CommentRevision, and the tags when
    ``tags`` is given (a change of tags alone leaves the body and its history as they are).
    Author only; not while suspended or banned (by the site, or by the comment's group). A
    new member's edit sends the comment back to the queue (``status_after_edit``)."""
    policy = write_policy()
    policy.ensure_may_write(editor, group_id=comment.group_id)
    body = _clean_body(body)
    work = comment.work  # the listeners of its event read it; the locked row lacks it
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    comment.work = work
    if not allowed(editor, "comment.edit", comment):
        raise CommentError({"body": ["Only its author can edit a comment."]})
    tags_changed = tags is not None and comment_tags_set(comment, tags_read(tags))
    if body == comment.body:
        if tags_changed:
            comment.modified_at = timezone.now()
            comment.save(update_fields=["modified_at"])
            send_after_commit(comment_edited, comment=comment, status_changed=False)
        return comment
    wait = policy.edit_wait(editor)
    if wait:
        raise CommentRateLimited(wait, editing=True)
    CommentRevision.objects.create(
        comment=comment,
        body=comment.body,
        body_html=comment.body_html,
        written_at=comment.edited_at or comment.created_at,
    )
    comment.body = body
    comment.body_html = render_markdown(body)
    comment.edited_at = comment.modified_at = timezone.now()
    before = comment.status
    comment.status = policy.status_after_edit(comment, editor)
    comment.save(update_fields=["body", "body_html", "edited_at", "status", "modified_at"])
    if comment.status != before:
        policy.edit_requeued(comment, before)
    send_after_commit(comment_edited, comment=comment, status_changed=comment.status != before)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, by) -> Comment:
    """Leave a tombstone: the row and its replies stay, its body is no longer shown."""
    work = comment.work  # the listeners of its event read it; the locked row lacks it
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    comment.work = work
    if not allowed(by, "comment.delete", comment):
        raise CommentError({"comment": ["Only its author can delete a comment."]})
    if comment.is_deleted:
        return comment
    comment.deleted_at = comment.modified_at = timezone.now()
    comment.save(update_fields=["deleted_at", "modified_at"])
    send_after_commit(comment_deleted, comment=comment)
    return comment
