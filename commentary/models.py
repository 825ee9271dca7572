"""People talking about the text: comments and their edit history.

A comment is anchored to a Paragraph (stable across versions) and to the
ParagraphRevision its author saw; a quote, if any, is a W3C TextQuoteSelector plus
TextPositionSelector inside that revision's text.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commentary.relations import flag_model
from commentary.roles import reader_roles
from edition.models import Paragraph, ParagraphRevision, Version, VersionParagraph, Work

if TYPE_CHECKING:
    from commentary.groups.models import ReadingGroup


def display_name_of(user) -> str:
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or user.get_username()


def any_of(conditions: list[Q]) -> Q | None:
    """The conditions joined by OR; None for none."""
    if not conditions:
        return None
    joined = conditions[0]
    for condition in conditions[1:]:
        joined |= condition
    return joined


def _flags():
    """Members' flags on comments (the moderation wing's; see ``commentary.relations``)."""
    return flag_model().objects


# Comment ids are 64-bit: DEFAULT_AUTO_FIELD is a BigAutoField.
MAX_COMMENT_ID = models.BigIntegerField.MAX_BIGINT
# Quote offsets are PositiveIntegerFields: 32-bit in every database Django supports.
MAX_QUOTE_OFFSET = 2**31 - 1


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CommentQuerySet":
        """The one visibility rule: what ``user`` may see of comments, on every surface.

        Fails closed: published comments, plus the viewer's own in any state. Tombstones of
        deleted comments stay in (their replies hang on them); callers that count or list
        content use ``live()`` on top.
        """
        visible = Comment.public_condition()
        personal = Comment.personal_condition(user)
        if personal is not None:
            visible |= personal
        return self.filter(visible)

    def visible_beyond_public(self, user) -> "CommentQuerySet":
        """What ``user`` sees over and above an anonymous reader: ``visible_to(user)`` is
        exactly the public comments plus these. Empty for anonymous readers."""
        personal = Comment.personal_condition(user)
        if personal is None:
            return self.none()
        return self.filter(personal).exclude(Comment.public_condition())

    def moderated_by(self, user) -> "CommentQuerySet":
        """The comments ``user`` may take moderation decisions on; none for anonymous."""
        condition = Comment.moderation_condition(user)
        return self.none() if condition is None else self.filter(condition)

    def live(self) -> "CommentQuerySet":
        return self.filter(deleted_at__isnull=True)

    def on_work(self, work: Work) -> "CommentQuerySet":
        return self.filter(work=work)

    def in_layer(self, group: "ReadingGroup | None") -> "CommentQuerySet":
        """One layer of the discussion: ``group``'s comments, or the public ones (None)."""
        if group is None:
            return self.filter(group__isnull=True)
        return self.filter(group=group)

    def in_reading_order(
        self, version: Version, *, first: str | None = None, last: str | None = None
    ) -> "CommentQuerySet":
        """The comments on paragraphs of ``version``, in the order of its text (each
        annotated with its paragraph's ``position`` there), oldest first on a paragraph;
        with ``first`` and ``last``, only from and up to those paragraph keys."""
        positions = VersionParagraph.objects.filter(version=version)
        position = models.Subquery(
            positions.filter(paragraph_id=models.OuterRef("paragraph_id")).values("position")[:1]
        )
        comments = self.annotate(position=position).filter(position__isnull=False)
        for key, lookup in ((first, "position__gte"), (last, "position__lte")):
            if key:
                bound = positions.filter(paragraph__key=key).values("position")[:1]
                comments = comments.filter(**{lookup: models.Subquery(bound)})
        return comments.order_by("position", "created_at", "pk")

    def counts_by_key(self, keys) -> dict[str, int]:
        """{paragraph key: how many of these comments are on it}, for ``keys`` of one work."""
        rows = (
            self.filter(paragraph__key__in=list(keys))
            .order_by()
            .values_list("paragraph__key")
            .annotate(count=models.Count("pk"))
        )
        return dict(rows)

    def in_thread(self, root_id: int) -> "CommentQuerySet":
        return self.filter(Q(pk=root_id) | Q(root_id=root_id))

    def with_related(self, *, parent: bool = True) -> "CommentQuerySet":
        """With the rows a comment is shown with; without its parent's when ``parent`` is
        False (a page that shows nothing of it: one join and one instance fewer)."""
        related = ["author__profile", "paragraph", "revision", "version", "work", "group"]
        return self.select_related(*related, *(["parent"] if parent else []))

    def awaiting_moderation(self) -> "CommentQuerySet":
        """The moderators' queue: live comments held for approval or with open flags,
        oldest first."""
        flagged = models.Exists(_flags().open().filter(comment=models.OuterRef("pk")))
        return self.live().filter(Q(status=Comment.Status.PENDING) | Q(flagged)).order_by("pk")

    def held(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.PENDING)

    def flagged(self, reason: str | None = None) -> "CommentQuerySet":
        """Comments with open flags (for ``reason``, if given)."""
        flags = _flags().open().filter(comment=models.OuterRef("pk"))
        if reason:
            flags = flags.filter(reason=reason)
        return self.filter(models.Exists(flags))

    def with_moderation_context(self) -> "CommentQuerySet":
        """What a moderator needs beside each comment, in a fixed number of queries: its
        place, the comment it replies to, its open flags (prefetched as ``open_flags``) and
        its author's record (``author_approved``, ``author_rejected``,
        ``author_flags_received``)."""

        def author_count(queryset) -> models.Subquery:
            counted = (
                queryset.filter(author_id=models.OuterRef("author_id"))
                .order_by()
                .values("author_id")
                .annotate(count=models.Count("pk"))
                .values("count")
            )
            return Coalesce(models.Subquery(counted, output_field=models.IntegerField()), 0)

        flags_received = (
            _flags()
            .filter(comment__author_id=models.OuterRef("author_id"))
            .order_by()
            .values("comment__author_id")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return (
            self.select_related(
                "author__profile",
                "work",
                "paragraph",
                "revision",
                "version",
                "parent__author",
                "group",
            )
            .prefetch_related(
                models.Prefetch("flags", _flags().open().order_by("pk"), to_attr="open_flags")
            )
            .annotate(
                # The author's record in the public discussion: what they wrote in a
                # reading group stays with the group.
                author_approved=author_count(
                    Comment.objects.filter(status=Comment.Status.PUBLISHED, group__isnull=True)
                ),
                author_rejected=author_count(
                    Comment.objects.filter(status=Comment.Status.REJECTED, group__isnull=True)
                ),
                author_flags_received=Coalesce(
                    models.Subquery(flags_received, output_field=models.IntegerField()), 0
                ),
            )
        )


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending: waiting for a moderator")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected by a moderator")
        HIDDEN = "hidden", _("Hidden by a moderator or by flags")

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="comments")
    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="comments")
    revision = models.ForeignKey(
        ParagraphRevision,
        on_delete=models.PROTECT,
        related_name="comments",
        help_text=_("The wording of the paragraph its author saw."),
    )
    version = models.ForeignKey(
        Version,
        on_delete=models.PROTECT,
        related_name="comments",
        help_text=_("The version its author was reading."),
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="descendants",
        help_text=_("The first comment of the thread; empty on that comment itself."),
    )
    group = models.ForeignKey(
        "commentary.ReadingGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
        help_text=_("The reading group it belongs to; empty for a public comment."),
    )
    depth = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    body = models.TextField()
    body_html = models.TextField()
    quote_exact = models.TextField(blank=True)
    quote_prefix = models.TextField(blank=True)
    quote_suffix = models.TextField(blank=True)
    quote_start = models.PositiveIntegerField(null=True, blank=True)
    quote_end = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=16,
        choices=Status.choices,
        default=Status.PUBLISHED,
        help_text=_("Who may read it: published for all, the others for author and moderators."),
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Set when its author deleted it; a tombstone stays.")
    )
    modified_at = models.DateTimeField(
        default=timezone.now,
        help_text=_(
            "When it last changed: written, edited, deleted, or its status decided. The "
            "API's ordering=modified and modified_after read it."
        ),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["paragraph", "status"], name="comment_paragraph_status"),
            models.Index(fields=["modified_at", "id"], name="comment_modified"),
            models.Index(fields=["work", "status", "created_at"], name="comment_work_status"),
            models.Index(fields=["author", "created_at"], name="comment_author_created"),
            models.Index(fields=["group", "paragraph"], name="comment_group_paragraph"),
            # A signed-in reader's own comments beyond the public ones (held, hidden, in a
            # group) are counted on every page they read: this index holds only those, so
            # the count never reads the reader's published public comments; by group, so
            # the count of their held public comments (group null) never reads what they
            # wrote in groups, nor a group's count what they wrote elsewhere.
            models.Index(
                fields=["author", "group", "paragraph"],
                condition=~Q(status="published") | Q(group__isnull=False),
                name="comment_author_beyond_public",
            ),
            # A group's comments newest first (the API's list with ?group=): read from the
            # group's end of this index, however many comments the site has.
            models.Index(
                fields=["group", "id"],
                condition=Q(group__isnull=False),
                name="comment_group_newest",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(parent__isnull=True, root__isnull=True, depth=0)
                    | Q(parent__isnull=False, root__isnull=False, depth__gte=1)
                ),
                name="comment_thread_position_consistent",
            ),
            models.CheckConstraint(
                condition=(
                    Q(quote_start__isnull=True, quote_end__isnull=True, quote_exact="")
                    | Q(quote_start__isnull=False, quote_end__gt=models.F("quote_start"))
                ),
                name="comment_quote_complete",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "published", "rejected", "hidden"]),
                name="comment_status_valid",
            ),
        ]
        permissions = [("moderate_comment", _("Can moderate comments and sanction members"))]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author_id} on {self.paragraph_id}"

    @staticmethod
    def public_condition() -> Q:
        """Comments everybody may see, signed in or not; the base of ``visible_to``.
        A reading group's comments are never public."""
        return Q(status=Comment.Status.PUBLISHED, group__isnull=True)

    @staticmethod
    def personal_condition(user) -> Q | None:
        """Comments ``user`` may see besides the public ones: their own, in any state; a
        reading group's comments if they belong to it (``group_condition``); and what they
        moderate (``moderation_condition``).

        Built from the reader's roles (``commentary.roles``, one query per request), with
        only the branches that can apply: a reader who neither moderates nor belongs to a
        group gets "their own", and group ids are literals, not subqueries.
        """
        if user is None or not user.is_authenticated:
            return None
        condition = Q(author_id=user.pk)
        limit = reader_roles(user).group_limit
        if limit is not None:
            # Credentials limited to groups reach none of the others, not even one's own.
            condition &= Q(group__isnull=True) | Q(group_id__in=sorted(limit))
        for extra in (Comment.moderation_condition(user), Comment.group_condition(user)):
            if extra is not None:
                condition |= extra
        return condition

    @staticmethod
    def moderation_condition(user) -> Q | None:
        """Comments ``user`` moderates, None for none: as a site moderator, every comment
        outside reading groups and the group comments a member flagged; as a group's owner
        or moderator, that group's comments."""
        roles = reader_roles(user)
        parts = []
        if roles.moderates:
            flagged = Q(models.Exists(_flags().filter(comment_id=models.OuterRef("pk"))))
            if roles.group_limit is not None:
                flagged &= Q(group_id__in=sorted(roles.group_limit))
            parts.append(Q(group__isnull=True) | flagged)
        if roles.leads:
            parts.append(Q(group_id__in=sorted(roles.leads)))
        return any_of(parts)

    @staticmethod
    def group_condition(user) -> Q | None:
        """Published group comments ``user`` sees as a plain member, None for none: all of
        them, except in a "post first" group, where only on paragraphs they have written on
        in it. (Owners and moderators see every comment of their group through
        ``moderation_condition``.)"""
        roles = reader_roles(user)
        parts = []
        if roles.reads:
            parts.append(Q(group_id__in=sorted(roles.reads)))
        if roles.reads_after_posting:
            wrote_here = Comment.objects.filter(
                group_id=models.OuterRef("group_id"),
                paragraph_id=models.OuterRef("paragraph_id"),
                author_id=user.pk,
            )
            parts.append(
                Q(group_id__in=sorted(roles.reads_after_posting)) & Q(models.Exists(wrote_here))
            )
        if not parts:
            return None
        return Q(status=Comment.Status.PUBLISHED) & any_of(parts)

    def get_absolute_url(self) -> str:
        return reverse("commentary:comment-detail", kwargs={"pk": self.pk})

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None

    @property
    def thread_root_id(self) -> int:
        return self.root_id or self.pk

    @property
    def quote(self) -> dict | None:
        if self.quote_start is None:
            return None
        return {
            "exact": self.quote_exact,
            "prefix": self.quote_prefix,
            "suffix": self.quote_suffix,
            "start": self.quote_start,
            "end": self.quote_end,
        }


class CommentRevision(models.Model):
    """An earlier body of a comment, kept when its author edits it."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    body_html = models.TextField()
    written_at = models.DateTimeField(help_text=_("When this body was first written."))
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["comment", "pk"]

    def __str__(self) -> str:
        return f"Revision {self.pk} of comment {self.comment_id}"


class CommentTag(models.Model):
    """A tag its author put on a comment: a lower-case word (``commentary.tags`` checks
    them, up to ``MAX_TAGS`` a comment). Readers filter the discussion by them."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["comment", "name"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "name"], name="comment_tag_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="comment_tag_not_empty"),
        ]
        indexes = [models.Index(fields=["name", "comment"], name="comment_tag_name")]

    def __str__(self) -> str:
        return f"#{self.name} on comment {self.comment_id}"
