"""The annotations of one container, as ``user`` may see them, paged by id.

A container is one layer of the discussion: a work's public comments, or one reading
group's (whose container only its members reach; see the API views). Its annotations are
the live comments ``Comment.objects.visible_to(user)`` lets through, oldest first; a page
starts after an id, so a new comment never shifts the pages a client is walking.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from commentary.annotations.mapping import RELATED
from commentary.models import Comment
from commentary.tags import tags_joined
from edition.parts import NoSuchPart, chosen_part, part_keys

DEFAULT_PAGE_SIZE = 100


def page_size() -> int:
    return int(getattr(settings, "SCHOLIA_ANNOTATION_PAGE_SIZE", DEFAULT_PAGE_SIZE))


def container_comments(
    user, *, work=None, group=None, within: Q | None = None
) -> QuerySet[Comment]:
    """The live comments of a work's public layer (``work``) or of a group (``group``);
    of those, the ones on the passages ``within`` names (``in_chapter``), when given."""
    comments = Comment.objects.visible_to(user).live()
    if within is not None:
        comments = comments.filter(within)
    if group is not None:
        return comments.filter(group=group)
    return comments.filter(work=work, group__isnull=True)


def in_chapter(works, slug: str) -> Q:
    """The comments on the passages of the chapter ``slug`` of the current version of each
    of ``works`` (those that have one: a group reads several works); a reply is on its
    thread's passage. Raises ``edition.parts.NoSuchPart`` when none of them has it."""
    condition, found = Q(pk__in=[]), None
    for work in works:
        version = work.current_version
        if version is None:
            continue
        try:
            part = chosen_part(version, slug)
        except NoSuchPart as missing:
            found = found or missing
            continue
        condition |= Q(work=work, paragraph__key__in=part_keys(version, part))
        found = True
    if found is True:
        return condition
    raise found or NoSuchPart("There is no work here to have chapters.")


@dataclass(frozen=True)
class Page:
    after: int
    comments: list[Comment]
    start_index: int
    next_after: int | None


def page_after(comments: QuerySet[Comment], after: int) -> Page:
    size = page_size()
    rows = list(
        comments.filter(pk__gt=after)
        .select_related(*RELATED)
        .annotate(tags_joined=tags_joined())
        .order_by("pk")[: size + 1]
    )
    start_index = comments.filter(pk__lte=after).count() if after else 0
    more = len(rows) > size
    rows = rows[:size]
    return Page(after, rows, start_index, rows[-1].pk if more else None)


def last_page_after(comments: QuerySet[Comment], total: int) -> int:
    """Where the last page starts: after the id of the comment before it (0: first)."""
    size = page_size()
    start = ((total - 1) // size) * size if total else 0
    if start == 0:
        return 0
    return comments.order_by("pk").values_list("pk", flat=True)[start - 1]


def get_annotated_comment(user, comment_id: int, *, work=None, group=None) -> Comment:
    """A live comment of the container, or 404 (also for one in another container)."""
    found = (
        container_comments(user, work=work, group=group)
        .select_related(*RELATED)
        .annotate(tags_joined=tags_joined())
        .filter(pk=comment_id)
        .first()
    )
    if found is None:
        raise Http404("No such annotation.")
    return found
