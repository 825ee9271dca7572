"""Writes and reads on reading groups: founding, changing, leaving, handing over, copying
for a new term; and the per-member participation a leader reads. Invitations and joining
by one are in ``commentary.groups.invitations``.

Services follow ``commentary.services``: keyword-only, one transaction, the object
returned, a CommentError (keyed by field) for what a user can correct. Who may act is
checked here, since pages and the API both call these: only the owner changes a group.

Nothing a membership change touches is in the page cache: anonymous pages never show a
group's comments, and signed-in pages and counts are computed for each request, so a
removed member loses access with the row.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commentary import cache
from commentary.errors import CommentError
from commentary.groups.events import group_copied, member_joined, member_left, reach_changed
from commentary.groups.models import Membership, ReadingGroup
from commentary.models import Comment
from commentary.moderation.models import ModerationEvent
from commentary.permissions import allowed
from commentary.tags import tags_read
from config.site.events import send_after_commit
from edition.models import Work

Role = Membership.Role
# What an owner may change with ``group_update``.
SETTINGS = (
    "name",
    "description",
    "starts_on",
    "ends_on",
    "discoverable",
    "post_first",
    "moderation_policy",
    "invite_role",
    "invite_expires_at",
    "suggested_tags",
)
SLUG_MAX_LENGTH = 80


def _unique_slug(name: str) -> str:
    base = slugify(name)[: SLUG_MAX_LENGTH - 8] or "group"
    slug, suffix = base, 2
    while ReadingGroup.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise CommentError({"name": [_("A group needs a name.")]})
    if len(name) > ReadingGroup._meta.get_field("name").max_length:
        raise CommentError({"name": [_("That name is too long.")]})
    return name


def _published_works(slugs: Iterable[str]) -> list[Work]:
    slugs = list(dict.fromkeys(slugs))
    works = list(Work.objects.published().filter(slug__in=slugs))
    if len(works) != len(slugs):
        missing = sorted(set(slugs) - {work.slug for work in works})
        message = _("No such work: %(slugs)s.") % {"slugs": ", ".join(missing)}
        raise CommentError({"works": [message]})
    return works


def _ensure_allowed(user, name: str, group: ReadingGroup) -> None:
    """Refuse what the permission table's row ``name`` does not allow ``user`` on ``group``
    (each is its owner's)."""
    if not allowed(user, name, group):
        raise CommentError({"group": [_("Only the group's owner can do that.")]})


def _validate(group: ReadingGroup) -> None:
    """The model's own checks (lengths, choices, dates in order), as a CommentError."""
    if group.starts_on and group.ends_on and group.ends_on < group.starts_on:
        raise CommentError({"ends_on": [_("The group cannot end before it starts.")]})
    try:
        group.full_clean(exclude=["slug", "invite_code"])
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise CommentError({"group": error.messages}) from error
        raise CommentError(error.message_dict) from error


def membership_of(group: ReadingGroup, user) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(group=group, user_id=user.pk).first()


@transaction.atomic
def group_create(
    *, owner, name: str, works: Iterable[str] = (), description: str = "", **settings
) -> ReadingGroup:
    """A new group reading the published ``works`` (slugs), owned by ``owner``."""
    unknown = set(settings) - set(SETTINGS)
    if unknown:
        raise CommentError({field: [_("Not a group setting.")] for field in sorted(unknown)})
    name = _clean_name(name)
    chosen = _published_works(works)
    group = ReadingGroup(name=name, slug=_unique_slug(name), description=description.strip())
    if "suggested_tags" in settings:
        settings["suggested_tags"] = " ".join(tags_read(settings["suggested_tags"]))
    for field, value in settings.items():
        setattr(group, field, value)
    _validate(group)
    group.save()
    group.works.set(chosen)
    Membership.objects.create(group=group, user=owner, role=Role.OWNER)
    send_after_commit(member_joined, group=group, user=owner, role=Role.OWNER)
    return group


@transaction.atomic
def group_update(*, group: ReadingGroup, by, works: Iterable[str] | None = None, **changes):
    """The owner changes the group's settings (``SETTINGS``) or the works it reads."""
    _ensure_allowed(by, "group.change", group)
    unknown = set(changes) - set(SETTINGS)
    if unknown:
        raise CommentError({field: [_("Not a group setting.")] for field in sorted(unknown)})
    group = ReadingGroup.objects.select_for_update().get(pk=group.pk)
    if "name" in changes:
        changes["name"] = _clean_name(changes["name"])
    if "suggested_tags" in changes:
        changes["suggested_tags"] = " ".join(tags_read(changes["suggested_tags"]))
    post_first_before = group.post_first
    for field, value in changes.items():
        setattr(group, field, value)
    _validate(group)
    group.save()
    if works is not None:
        group.works.set(_published_works(works))
    if group.post_first != post_first_before:
        # Its plain members now read all of its comments, or only where they wrote.
        members = Membership.objects.filter(group=group, role=Role.MEMBER)
        user_ids = sorted(members.values_list("user_id", flat=True))
        if user_ids:
            send_after_commit(reach_changed, group=group, user_ids=user_ids)
    return group


@transaction.atomic
def group_leave(*, group: ReadingGroup, user) -> None:
    """``user`` leaves; an owner hands the group over first."""
    membership = membership_of(group, user)
    if membership is None:
        raise CommentError({"group": [_("You are not in this group.")]})
    if not allowed(user, "group.leave", group):
        raise CommentError(
            {"group": [_("An owner cannot leave: hand the group over to a member first.")]}
        )
    membership.delete()
    send_after_commit(member_left, group=group, user_id=user.pk, removed_by=None)


@transaction.atomic
def member_remove(*, group: ReadingGroup, by, user, reason: str = "") -> None:
    """The owner removes ``user``; from then on they see none of the group's comments but
    their own. The group's log (its leaders' only) records it."""
    _ensure_allowed(by, "group.member.remove", group)
    if user.pk == by.pk:
        raise CommentError({"user": [_("An owner cannot remove themselves.")]})
    deleted, _rows = Membership.objects.filter(group=group, user_id=user.pk).delete()
    if not deleted:
        raise CommentError({"user": [_("That person is not in this group.")]})
    ModerationEvent.objects.create(
        actor=by, action=ModerationEvent.Action.REMOVE, user=user, group=group, reason=reason
    )
    send_after_commit(member_left, group=group, user_id=user.pk, removed_by=by)


@transaction.atomic
def ownership_transfer(*, group: ReadingGroup, by, to) -> Membership:
    """The owner hands the group to member ``to`` and stays on as a moderator."""
    _ensure_allowed(by, "group.transfer", group)
    heir = Membership.objects.select_for_update().filter(group=group, user_id=to.pk).first()
    if heir is None or heir.user_id == by.pk:
        raise CommentError({"user": [_("Hand the group over to another of its members.")]})
    Membership.objects.filter(group=group, user_id=by.pk).update(role=Role.MODERATOR)
    was = heir.role
    heir.role = Role.OWNER
    heir.save(update_fields=["role"])
    if was not in Membership.LEADING_ROLES:
        # A plain member reads the group's held and hidden comments from now on.
        send_after_commit(reach_changed, group=group, user_ids=[heir.user_id])
    return heir


@transaction.atomic
def group_copy(
    *,
    group: ReadingGroup,
    by,
    name: str,
    include_leader_comments: bool = False,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> ReadingGroup:
    """A group for a new term (``starts_on`` to ``ends_on``): the same works and settings,
    owned by ``by`` (the owner), with no other member. With ``include_leader_comments``,
    the owner's own published first comments (not replies, whose threads stay behind) are
    copied into it."""
    _ensure_allowed(by, "group.copy", group)
    copy = group_create(
        owner=by,
        name=name,
        works=group.works.values_list("slug", flat=True),
        description=group.description,
        discoverable=group.discoverable,
        post_first=group.post_first,
        moderation_policy=group.moderation_policy,
        invite_role=group.invite_role,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    if include_leader_comments:
        originals = Comment.objects.filter(
            group=group,
            author_id=by.pk,
            parent__isnull=True,
            deleted_at__isnull=True,
            status=Comment.Status.PUBLISHED,
        ).order_by("pk")
        copied = Comment.objects.bulk_create(
            Comment(
                group=copy,
                author_id=by.pk,
                work_id=original.work_id,
                paragraph_id=original.paragraph_id,
                revision_id=original.revision_id,
                version_id=original.version_id,
                body=original.body,
                body_html=original.body_html,
                quote_exact=original.quote_exact,
                quote_prefix=original.quote_prefix,
                quote_suffix=original.quote_suffix,
                quote_start=original.quote_start,
                quote_end=original.quote_end,
                status=Comment.Status.PUBLISHED,
            )
            for original in originals
        )
        for work_slug in {comment.work.slug for comment in copied}:
            transaction.on_commit(partial(cache.comments_counted, work_slug))
        if copied:
            send_after_commit(
                group_copied,
                group=copy,
                original=group,
                comment_ids=[comment.pk for comment in copied],
            )
    return copy


# Reads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Participation:
    """One member's share in a group's discussion, for the leader's table and its CSV."""

    username: str
    display_name: str
    role: str
    joined_at: datetime
    comments: int
    replies_given: int
    replies_received: int
    paragraphs: int
    last_activity: datetime | None

    CSV_HEADER = (
        "username",
        "display_name",
        "role",
        "joined_at",
        "comments",
        "replies_given",
        "replies_received",
        "paragraphs",
        "last_activity",
    )

    def csv_row(self) -> list:
        return [
            self.username,
            self.display_name,
            self.role,
            self.joined_at.isoformat(),
            self.comments,
            self.replies_given,
            self.replies_received,
            self.paragraphs,
            self.last_activity.isoformat() if self.last_activity else "",
        ]


def participation(group: ReadingGroup) -> list[Participation]:
    """A row per member of ``group``, in order of joining, counting their live comments in
    it: first comments, replies given, replies others gave them, paragraphs discussed and
    the last time they wrote (replies to oneself are not received). Three queries,
    whatever the group's size."""
    live = Comment.objects.live().filter(group=group)
    written = {
        row["author_id"]: row
        for row in live.order_by()
        .values("author_id")
        .annotate(
            comments=Count("pk", filter=Q(parent__isnull=True)),
            replies_given=Count("pk", filter=Q(parent__isnull=False)),
            paragraphs=Count("paragraph_id", distinct=True),
            last_activity=Max("created_at"),
        )
    }
    received = dict(
        live.filter(parent__isnull=False)
        .exclude(parent__author_id=F("author_id"))
        .order_by()
        .values_list("parent__author_id")
        .annotate(count=Count("pk"))
    )
    members = Membership.objects.filter(group=group).select_related("user__profile")
    rows = []
    for membership in members:
        user = membership.user
        mine = written.get(user.pk, {})
        profile = getattr(user, "profile", None)
        rows.append(
            Participation(
                username=user.get_username(),
                display_name=(profile.display_name if profile else "") or user.get_username(),
                role=membership.role,
                joined_at=membership.joined_at,
                comments=mine.get("comments", 0),
                replies_given=mine.get("replies_given", 0),
                replies_received=received.get(user.pk, 0),
                paragraphs=mine.get("paragraphs", 0),
                last_activity=mine.get("last_activity"),
            )
        )
    return rows
