"""People talking about the text: profiles, comments and their edit history.

A comment is anchored to a Paragraph (stable across versions) and to the
ParagraphRevision its author saw; a quote, if any, is a W3C TextQuoteSelector plus
TextPositionSelector inside that revision's text.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commentary.group_models import ReadingGroup
from commentary.notification_models import Notification  # noqa: F401 (the app's models)
from commentary.roles import reader_roles
from edition.models import Paragraph, ParagraphRevision, Version, VersionParagraph, Work


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=80, blank=True)
    affiliation = models.CharField(max_length=120, blank=True)
    bio = models.TextField(max_length=1000, blank=True)
    trusted = models.BooleanField(
        null=True,
        blank=True,
        help_text=_(
            "Set by a moderator: yes (trusted), no (trust removed). Empty: trusted once "
            "enough of their comments have been approved."
        ),
    )

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()

    def get_absolute_url(self) -> str:
        return reverse("people:user-detail", kwargs={"username": self.user.get_username()})


def display_name_of(user) -> str:
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or user.get_username()


def _any_of(conditions: list[Q]) -> Q | None:
    """The conditions joined by OR; None for none."""
    if not conditions:
        return None
    joined = conditions[0]
    for condition in conditions[1:]:
        joined |= condition
    return joined


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

    def in_layer(self, group: ReadingGroup | None) -> "CommentQuerySet":
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

    def with_related(self) -> "CommentQuerySet":
        return self.select_related(
            "author__profile", "paragraph", "revision", "version", "work", "parent", "group"
        )

    def awaiting_moderation(self) -> "CommentQuerySet":
        """The moderators' queue: live comments held for approval or with open flags,
        oldest first."""
        flagged = models.Exists(Flag.objects.open().filter(comment=models.OuterRef("pk")))
        return self.live().filter(Q(status=Comment.Status.PENDING) | Q(flagged)).order_by("pk")

    def held(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.PENDING)

    def flagged(self, reason: str | None = None) -> "CommentQuerySet":
        """Comments with open flags (for ``reason``, if given)."""
        flags = Flag.objects.open().filter(comment=models.OuterRef("pk"))
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
            Flag.objects.filter(comment__author_id=models.OuterRef("author_id"))
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
                models.Prefetch("flags", Flag.objects.open().order_by("pk"), to_attr="open_flags")
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
        ReadingGroup,
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

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["paragraph", "status"], name="comment_paragraph_status"),
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
            flagged = models.Exists(Flag.objects.filter(comment_id=models.OuterRef("pk")))
            parts.append(Q(group__isnull=True) | Q(flagged))
        if roles.leads:
            parts.append(Q(group_id__in=sorted(roles.leads)))
        return _any_of(parts)

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
        return Q(status=Comment.Status.PUBLISHED) & _any_of(parts)

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

    def is_editable_by(self, user) -> bool:
        return bool(user and user.is_authenticated and user.pk == self.author_id) and (
            not self.is_deleted
        )


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


KEY_PREFIX = "sch_"
VISIBLE_PREFIX_LENGTH = len(KEY_PREFIX) + 8
MAX_ACTIVE_TOKENS = 25
# Writing last_used_at on every request would turn each API read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80, help_text=_("What the token is for, for its owner."))
    prefix = models.CharField(
        max_length=16, editable=False, help_text=_("The first characters of the key.")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Set when revoked; a revoked token never works again.")
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        indexes = [models.Index(fields=["user", "revoked_at"], name="apitoken_user_revoked")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


# Moderation ------------------------------------------------------------------------------


class FlagQuerySet(models.QuerySet):
    def open(self) -> "FlagQuerySet":
        """Flags no moderator has reviewed yet: they count towards hiding a comment."""
        return self.filter(reviewed_at__isnull=True)


class Flag(models.Model):
    """A member's report that a comment needs a moderator's look; one per member and
    comment. A moderator's decision on the comment marks its open flags reviewed."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        OFFENSIVE = "offensive", _("Offensive")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Other (say what)")

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="flags")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="flags_given"
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.TextField(
        max_length=500, blank=True, help_text=_("Required when the reason is “other”.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Set when a moderator decided on the comment.")
    )

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="flag_one_per_member"),
            models.CheckConstraint(
                condition=Q(reason__in=["spam", "offensive", "off_topic", "other"]),
                name="flag_reason_valid",
            ),
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(note=""), name="flag_other_has_note"
            ),
        ]
        indexes = [models.Index(fields=["comment", "reviewed_at"], name="flag_comment_open")]

    def __str__(self) -> str:
        return f"Flag {self.pk} ({self.reason}) on comment {self.comment_id}"


class ModerationEventQuerySet(models.QuerySet):
    """Events are only ever added: a bulk update or delete is refused like a single one."""

    def update(self, **kwargs):
        raise ModerationEvent.Immutable(_("Moderation events cannot be changed."))

    def delete(self):
        raise ModerationEvent.Immutable(_("Moderation events cannot be deleted."))

    def visible_to(self, user) -> "ModerationEventQuerySet":
        """The audit log ``user`` may read: events on the comments they moderate
        (``Comment.moderation_condition``), and, for site moderators, the sanctions and
        trust decisions about members; for a reading group's owner and moderators, the
        group's decisions about its members. A reading group's log stays with its leaders."""
        moderated = Comment.moderation_condition(user)
        if moderated is None:
            return self.none()
        roles = reader_roles(user)
        members = _any_of(
            ([Q(group__isnull=True)] if roles.moderates else [])
            + ([Q(group_id__in=sorted(roles.leads))] if roles.leads else [])
        )
        on_comments = Q(comment__in=Comment.objects.filter(moderated).values("pk"))
        return self.filter(on_comments | (Q(comment__isnull=True) & members))

    def with_related(self) -> "ModerationEventQuerySet":
        return self.select_related("actor", "comment__work", "comment__paragraph", "user")


class ModerationEvent(models.Model):
    """One line of the audit log: who did what to which comment or member, why, and what
    it changed. Append-only: ``save`` refuses to change a row, ``delete`` refuses always."""

    class Immutable(Exception):
        pass

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")
        KEEP = "keep", _("Kept (flags dismissed)")
        REQUEUE = "requeue", _("Sent back to the queue after an edit")
        SUSPEND = "suspend", _("Suspended")
        BAN = "ban", _("Banned")
        REINSTATE = "reinstate", _("Reinstated")
        TRUST = "trust", _("Trust granted")
        DISTRUST = "distrust", _("Trust removed")
        REMOVE = "remove", _("Removed from a reading group")
        TRUST_AUTOMATIC = "trust_automatic", _("Trust back to automatic")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moderation_actions",
        help_text=_("The moderator; empty when the site acted by itself (flags, edits)."),
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moderation_events",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moderation_events",
        help_text=_("The member acted on: the comment's author, or the member sanctioned."),
    )
    group = models.ForeignKey(
        ReadingGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moderation_events",
        help_text=_("The reading group whose leader acted on a member; empty for the site."),
    )
    reason = models.TextField(max_length=1000, blank=True)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ModerationEventQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(comment__isnull=False) | Q(user__isnull=False),
                name="moderationevent_has_target",
            ),
        ]
        indexes = [
            models.Index(fields=["actor", "created_at"], name="modevent_actor_created"),
            models.Index(fields=["user", "created_at"], name="modevent_user_created"),
        ]

    def __str__(self) -> str:
        target = f"comment {self.comment_id}" if self.comment_id else f"user {self.user_id}"
        return f"{self.action} of {target} by {self.actor_id or 'the site'}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise self.Immutable(_("Moderation events cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.Immutable(_("Moderation events cannot be deleted."))


class SanctionQuerySet(models.QuerySet):
    def in_force(self, at=None) -> "SanctionQuerySet":
        """Sanctions not lifted and not over at ``at`` (default: now)."""
        at = at or timezone.now()
        return self.filter(lifted_at__isnull=True).filter(Q(until__isnull=True) | Q(until__gt=at))

    def applying_to(self, group_id: int | None) -> "SanctionQuerySet":
        """The sanctions that stop a write in the reading group ``group_id`` (None: the
        public discussion): the site's, which apply everywhere, and that group's own."""
        scope = Q(group__isnull=True)
        if group_id is not None:
            scope |= Q(group_id=group_id)
        return self.filter(scope)

    def visible_to(self, user) -> "SanctionQuerySet":
        """The sanctions ``user`` may read: the site's for site moderators, a reading
        group's for its owner and moderators (as ``ModerationEventQuerySet.visible_to``)."""
        if user is None or not user.is_authenticated:
            return self.none()
        roles = reader_roles(user)
        scopes = ([Q(group__isnull=True)] if roles.moderates else []) + (
            [Q(group_id__in=sorted(roles.leads))] if roles.leads else []
        )
        return self.filter(_any_of(scopes)) if scopes else self.none()


class Sanction(models.Model):
    """A suspension until a date, or a ban; either stops a member posting, editing and
    flagging until it ends or a moderator lifts it: everywhere when the site's moderators
    gave it, in one reading group only when that group's leaders did (``group``)."""

    class Kind(models.TextChoices):
        SUSPEND = "suspend", _("Suspension")
        BAN = "ban", _("Ban")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    until = models.DateTimeField(
        null=True, blank=True, help_text=_("When a suspension ends; empty for a ban.")
    )
    reason = models.TextField(max_length=1000)
    group = models.ForeignKey(
        ReadingGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sanctions",
        help_text=_(
            "The reading group whose leaders gave it: it stops writing in that group only. "
            "Empty: the site's moderators gave it, and it applies everywhere."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sanctions_given"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sanctions_lifted",
    )

    objects = SanctionQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="suspend", until__isnull=False)
                | Q(kind="ban", until__isnull=True),
                name="sanction_until_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["user", "lifted_at"], name="sanction_user_lifted")]

    def __str__(self) -> str:
        scope = f" in group {self.group_id}" if self.group_id else ""
        return f"{self.get_kind_display()} of user {self.user_id}{scope}"


# A wing's model, imported once this module's are defined (the wing imports them).
from commentary.accounts.export_models import MemberExport  # noqa: E402, F401
