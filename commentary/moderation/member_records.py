"""What a moderator reads about one member: their record, their comments in moderation
states, their sanctions and the log's events about them, each limited to what the
moderator may see and in a fixed number of queries whatever the member has written.

The rules are the ones every other surface uses: ``Comment.objects.moderated_by`` (the
comments the moderator decides on), ``Sanction.objects.visible_to`` and
``ModerationEvent.objects.visible_to`` (a reading group's sanctions and events stay with
its leaders). A site moderator reads the public discussion and the site's sanctions; a
group's owner or moderator reads that group's.
"""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from commentary.groups.models import Membership, ReadingGroup
from commentary.models import Comment
from commentary.moderation.models import Flag, ModerationEvent, Sanction

RECENT = 20

Status = Comment.Status


@dataclass(frozen=True)
class MemberRecord:
    """Counts of the member's live comments among those the moderator decides on."""

    published: int
    pending: int
    rejected: int
    hidden: int
    flags_received: int


def member_comments(viewer, member) -> QuerySet[Comment]:
    """The member's comments that ``viewer`` moderates, newest first."""
    return (
        Comment.objects.moderated_by(viewer)
        .live()
        .filter(author_id=member.pk)
        .select_related("work", "paragraph", "group")
        .order_by("-pk")
    )


def member_record(viewer, member) -> MemberRecord:
    """Two queries: the counts by status, and the flags those comments received."""
    comments = member_comments(viewer, member)
    counts = comments.order_by().aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values}
    )
    flags = Flag.objects.filter(comment__in=comments.values("pk")).count()
    return MemberRecord(
        published=counts[Status.PUBLISHED],
        pending=counts[Status.PENDING],
        rejected=counts[Status.REJECTED],
        hidden=counts[Status.HIDDEN],
        flags_received=flags,
    )


def recent_comments_in_moderation(viewer, member, limit: int = RECENT) -> list[Comment]:
    """The member's latest comments that a moderator put or keeps out of view, or that
    wait for one: held, rejected, hidden, or flagged."""
    flagged = Q(pk__in=Flag.objects.open().values("comment_id"))
    awaiting = ~Q(status=Status.PUBLISHED) | flagged
    return list(member_comments(viewer, member).filter(awaiting)[:limit])


def member_sanctions(viewer, member, limit: int = RECENT) -> list[Sanction]:
    """The member's sanctions ``viewer`` may read, newest first, lifted ones included."""
    return list(
        Sanction.objects.visible_to(viewer)
        .filter(user_id=member.pk)
        .select_related("group", "created_by", "lifted_by")
        .order_by("-pk")[:limit]
    )


def member_events(viewer, member, limit: int = RECENT) -> list[ModerationEvent]:
    """The log's latest events about the member that ``viewer`` may read."""
    return list(
        ModerationEvent.objects.visible_to(viewer)
        .filter(user_id=member.pk)
        .with_related()
        .select_related("group")
        .order_by("-pk")[:limit]
    )


def sanctions_in_force(viewer, member) -> dict[int | None, Sanction]:
    """The member's sanction in force in each scope ``viewer`` may read, by group id (None
    for the site's); one query."""
    in_force = (
        Sanction.objects.visible_to(viewer)
        .in_force()
        .filter(user_id=member.pk)
        .select_related("group", "created_by")
        .order_by("pk")
    )
    # A new sanction replaces the one in force in its scope: the newest wins.
    return {sanction.group_id: sanction for sanction in in_force}


def groups_led_with(viewer, member) -> list[ReadingGroup]:
    """The reading groups ``viewer`` owns or moderates that ``member`` belongs to, each
    with the member's role there as ``member_role``; one query."""
    role = Membership.objects.filter(group_id=OuterRef("pk"), user_id=member.pk).values("role")
    return list(
        ReadingGroup.objects.led_by(viewer)
        .annotate(member_role=Subquery(role[:1]))
        .filter(member_role__isnull=False)
        .order_by("name", "pk")
    )
