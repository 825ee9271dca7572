"""Reads on reading groups shared by the pages and the API: a person's groups, fetching a
group for a member or a leader (404 otherwise), an invitation's group, a group's recent
discussion and its comments in reading order.

Every comment read here goes through ``Comment.objects.visible_to``; a group is found
only through its members' rows, so anybody outside it gets the 404 of a group that does
not exist.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.urls import reverse

from commentary.groups.models import Membership, ReadingGroup
from commentary.models import Comment
from commentary.permissions import allowed
from commentary.roles import reader_roles
from config.site.caching import site_origin
from edition.models import BlockKind, Version, VersionParagraph, Work
from edition.numbering import passage_label

RECENT_COMMENTS = 10


@dataclass(frozen=True)
class MemberGroup:
    """One of a person's groups, as their own list shows it."""

    group: ReadingGroup
    role: str
    works: list[Work]
    members: int

    @property
    def work_slugs(self) -> list[str]:
        return [work.slug for work in self.works]


def member_groups(user) -> list[MemberGroup]:
    """The groups ``user`` is in, by name, each with their role, its works and its number
    of members: three queries however many groups."""
    if user is None or not user.is_authenticated:
        return []
    memberships = Membership.objects.filter(user_id=user.pk).select_related("group")
    limit = reader_roles(user).group_limit
    if limit is not None:
        # Credentials limited to groups (a token's) show no other group.
        memberships = memberships.filter(group_id__in=sorted(limit))
    roles = {membership.group_id: membership for membership in memberships}
    works: dict[int, list[Work]] = {pk: [] for pk in roles}
    through = ReadingGroup.works.through.objects.filter(readinggroup_id__in=roles)
    for row in through.select_related("work").order_by("work__title", "work__slug"):
        works[row.readinggroup_id].append(row.work)
    counts = dict(
        Membership.objects.filter(group_id__in=roles)
        .order_by()
        .values_list("group_id")
        .annotate(count=Count("pk"))
    )
    rows = [
        MemberGroup(membership.group, membership.role, works[pk], counts.get(pk, 0))
        for pk, membership in roles.items()
    ]
    return sorted(rows, key=lambda row: (row.group.name.casefold(), row.group.pk))


def with_role(groups: QuerySet, user) -> QuerySet:
    """``groups`` each annotated with ``role``: ``user``'s role in it, or None."""
    role = Membership.objects.filter(group_id=OuterRef("pk"), user_id=user.pk).values("role")[:1]
    return groups.annotate(role=Subquery(role))


def get_group_for_member(user, slug: str) -> ReadingGroup:
    """The group ``slug`` with ``user``'s ``role`` in it; 404 unless they belong to it."""
    if user is None or not user.is_authenticated:
        raise Http404("No such group.")
    group = with_role(ReadingGroup.objects.for_member(user), user).filter(slug=slug).first()
    if group is None:
        raise Http404("No such group.")
    return group


def get_group_for_leader(user, slug: str) -> ReadingGroup:
    """The group ``slug`` if ``user`` owns or moderates it; 404 for anybody else."""
    group = get_group_for_member(user, slug)
    if not allowed(user, "group.lead", group):
        raise Http404("No such group.")
    return group


def get_group_for_owner(user, slug: str) -> ReadingGroup:
    group = get_group_for_member(user, slug)
    if not allowed(user, "group.change", group):
        raise Http404("No such group.")
    return group


def discoverable_card(slug: str) -> ReadingGroup | None:
    """A discoverable group's name and description, for anybody outside it."""
    return (
        ReadingGroup.objects.discoverable()
        .only("slug", "name", "description")
        .filter(slug=slug)
        .first()
    )


def invitation_group(slug: str, code: str) -> ReadingGroup | None:
    """The group ``slug`` if ``code`` is its open invitation; None for a wrong, rotated,
    turned-off or expired code, and for a group that does not exist alike."""
    group = ReadingGroup.objects.filter(slug=slug, invite_code=code or "").first()
    if group is None or not group.invitation_open():
        return None
    return group


def invitation_url(request: HttpRequest, group: ReadingGroup) -> str:
    """The invitation link, absolute, to send: on the site's own address when it is set
    (``SCHOLIA_SITE_URL``), whatever host the request named."""
    path = reverse("groups:group-join", kwargs={"slug": group.slug, "code": group.invite_code})
    origin = site_origin()
    return f"{origin}{path}" if origin else request.build_absolute_uri(path)


def group_works(group: ReadingGroup) -> list[Work]:
    return list(group.works.select_related("current_version").order_by("title", "slug"))


def group_members(group: ReadingGroup) -> list[Membership]:
    """The members, leaders first (owner, then moderators), then by joining."""
    order = {Membership.Role.OWNER: 0, Membership.Role.MODERATOR: 1, Membership.Role.MEMBER: 2}
    members = Membership.objects.filter(group=group).select_related("user__profile")
    return sorted(members, key=lambda membership: (order[membership.role], membership.joined_at))


def recent_discussion(group: ReadingGroup, user, limit: int = RECENT_COMMENTS) -> list[Comment]:
    """The latest live comments of ``group`` that ``user`` may see (in a "post first"
    group, a member sees only the paragraphs they wrote on), newest first."""
    return list(
        Comment.objects.visible_to(user)
        .in_layer(group)
        .live()
        .select_related("author__profile", "work", "paragraph")
        .order_by("-created_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class Passage:
    """A paragraph of a version as readers name it."""

    key: str
    position: int
    label: str
    number: int | None


def passages_of(version: Version | None) -> list[Passage]:
    """The passages of ``version`` in order, each with its label ("¶ 4", or a heading's
    words): one query."""
    if version is None:
        return []
    rows = (
        VersionParagraph.objects.filter(version=version)
        .order_by("position")
        .values_list("paragraph__key", "position", "revision__kind", "revision__text")
    )
    passages, number = [], 0
    for key, position, kind, text in rows:
        shown = None
        if kind != BlockKind.HEADING:
            number += 1
            shown = number
        passages.append(Passage(key, position, passage_label(kind, shown, text), shown))
    return passages


def find_passage(passages: list[Passage], name: str) -> Passage | None:
    """The passage a reader names: a number as shown in the margin ("4", "¶ 4") or a
    paragraph key ("p7")."""
    name = name.strip().removeprefix("¶").strip()
    if name.isdigit():
        number = int(name)
        return next((passage for passage in passages if passage.number == number), None)
    return next((passage for passage in passages if passage.key == name), None)


def group_comments(
    group: ReadingGroup,
    user,
    work: Work,
    *,
    passages: list[Passage],
    author: str = "",
    first: Passage | None = None,
    last: Passage | None = None,
    since: date | None = None,
    until: date | None = None,
    written_on: int | None = None,
) -> QuerySet:
    """The live comments of ``group`` on ``work`` that ``user`` may see, in reading order:
    by the position of their paragraph in the work's current version, then oldest first;
    comments on passages no longer in it come last. Narrowed to one member's (username),
    a range of passages, whole days and the version a comment was written on."""
    positions = VersionParagraph.objects.filter(
        version_id=work.current_version_id, paragraph_id=OuterRef("paragraph_id")
    ).values("position")[:1]
    comments = (
        Comment.objects.visible_to(user)
        .in_layer(group)
        .live()
        .filter(work=work)
        .annotate(position=Subquery(positions))
        .select_related("author__profile", "paragraph", "version")
    )
    if author:
        comments = comments.filter(author__username=author)
    if first is not None:
        comments = comments.filter(position__gte=first.position)
    if last is not None:
        comments = comments.filter(position__lte=last.position)
    if since is not None:
        comments = comments.filter(created_at__date__gte=since)
    if until is not None:
        comments = comments.filter(created_at__date__lte=until)
    if written_on is not None:
        comments = comments.filter(version__number=written_on)
    return comments.order_by(F("position").asc(nulls_last=True), "created_at", "pk")


def label_comments(comments, passages: list[Passage]) -> None:
    """Set ``passage_label`` on each comment: its passage as the current version names
    it, or none when the passage is no longer there."""
    by_position = {passage.position: passage for passage in passages}
    for comment in comments:
        passage = by_position.get(getattr(comment, "position", None))
        comment.passage_label = passage.label if passage else ""
