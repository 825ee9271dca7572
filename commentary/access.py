"""Fetch helpers: each returns what the user may see or raises Http404, never 403.

"Does not exist" and "exists but not yours" are the same answer (design invariant 4).
"""

import hashlib

from django.db import connection, connections, router
from django.db.models import Count
from django.http import Http404

from commentary.anchors import carried_into, merges_shown
from commentary.models import Comment
from commentary.permissions import allowed
from commentary.roles import reader_roles
from config.site.caching import (
    COUNTS,
    DISCUSSION,
    TEXT,
    generations,
    keep_for_parts,
    keep_under,
    kept_for_parts,
    kept_under,
    remembered,
)


def get_comment_for_user(user, pk, *, parent: bool = True) -> Comment:
    """Comment ``pk`` as ``user`` may see it, with its related rows (its parent's only
    when ``parent``: see ``CommentQuerySet.with_related``)."""
    try:
        return Comment.objects.visible_to(user).with_related(parent=parent).get(pk=int(pk))
    except (Comment.DoesNotExist, TypeError, ValueError) as missing:
        raise Http404("No such comment.") from missing


# What a kept comment leaves out of its author's row: nothing a page shows of them.
_AUTHOR_UNKEPT = ("author__password", "author__email", "author__last_login")


def get_comment_for_page(user, pk) -> Comment:
    """``get_comment_for_user(user, pk, parent=False)`` for the comment's page: a public
    comment (``Comment.public_condition``: everybody may see it, whoever asks) comes from
    the cache, kept under the generations of the discussion and the text, which every
    write that changes what it shows, or whether it is public, moves; any other is read for
    ``user``. Only public comments are kept: an id that names none keeps nothing."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as missing:
        raise Http404("No such comment.") from missing
    key = f"public-comment:{pk}"
    generations_read, held = kept_under(lambda: {key: generations(DISCUSSION, TEXT)})
    if key in held:
        return held[key]
    public = (
        Comment.objects.visible_to(None)
        .with_related(parent=False)
        .defer(*_AUTHOR_UNKEPT)
        .filter(pk=pk)
        .first()
    )
    if public is None:
        return get_comment_for_user(user, pk, parent=False)
    keep_under({key: public}, generations_read)
    return public


def get_comment_to_moderate(user, pk) -> Comment:
    """A comment ``user`` may take moderation decisions on (``Comment.objects.moderated_by``);
    anybody else gets the 404 of a comment that does not exist, and so no decision."""
    try:
        return Comment.objects.moderated_by(user).with_related().get(pk=int(pk))
    except (Comment.DoesNotExist, TypeError, ValueError) as missing:
        raise Http404("No such comment.") from missing


def get_thread_root_id_for_user(user, pk) -> int:
    """The root id of the thread comment ``pk`` is in, under the same 404 rule as
    ``get_comment_for_user``.

    For callers that need nothing of the comment but where its thread starts (the thread
    endpoints): two columns of one row, instead of a Comment with six related rows.
    """
    try:
        pk, root_id = Comment.objects.visible_to(user).values_list("pk", "root_id").get(pk=int(pk))
    except (Comment.DoesNotExist, TypeError, ValueError) as missing:
        raise Http404("No such comment.") from missing
    return root_id or pk


def get_comment_for_author(user, pk) -> Comment:
    """A comment its author may edit or delete; anybody else gets the same 404."""
    comment = get_comment_for_user(user, pk)
    if not allowed(user, "comment.edit", comment):
        raise Http404("No such comment.")
    return comment


def _per_paragraph(comments, paragraph_ids: list[int]):
    """Live comments of ``comments`` per paragraph: (paragraph id, count) rows."""
    return (
        comments.live()
        .filter(paragraph_id__in=paragraph_ids)
        .values_list("paragraph_id")
        .annotate(count=Count("pk"))
        .order_by()
    )


def _fold(rows, carried: dict[int, int]) -> dict[int, int]:
    """Counts per paragraph from (paragraph id, count) rows, those of the paragraphs
    ``carried`` into another added to it."""
    counts: dict[int, int] = {}
    for paragraph_id, count in rows:
        shown_on = carried.get(paragraph_id, paragraph_id)
        counts[shown_on] = counts.get(shown_on, 0) + count
    return counts


def _count_by_paragraph(comments, paragraph_ids: list[int], carried: dict[int, int]) -> dict:
    """Counts per paragraph of ``paragraph_ids``, those of the paragraphs ``carried`` into
    one of them added to it."""
    return _fold(_per_paragraph(comments, [*paragraph_ids, *carried]), carried)


def _beyond_public_counts(user, paragraph_ids: list[int], carried: dict[int, int]) -> dict:
    """The public discussion's comments ``user`` sees beyond what everybody sees (exactly
    ``visible_beyond_public(user).in_layer(None)``), counted in one query: the reader's own
    unpublished comments (``_own_unpublished_rows``); and, for a site moderator only
    (``is_moderator``, read once per request with the reader's other roles), everybody
    else's too."""
    ids = [*paragraph_ids, *carried]
    if reader_roles(user).moderates:
        unpublished = Comment.objects.in_layer(None).exclude(status=Comment.Status.PUBLISHED)
        mine = _per_paragraph(unpublished.filter(author_id=user.pk), ids)
        rows = mine.union(
            _per_paragraph(unpublished.exclude(author_id=user.pk), ids), all=True
        ).order_by()
    else:
        wanted = set(ids)
        rows = [row for row in _own_unpublished_rows(user) if row[0] in wanted]
    return _fold(rows, carried)


def _own_unpublished_rows(user) -> list[tuple[int, int]]:
    """(paragraph id, count) of ``user``'s own live comments of the public discussion that
    are not published, on any paragraph. Read from the partial index by author and group
    (``comment_author_beyond_public``), which holds just those rows for this author and a
    null group: a reader with thousands of published comments, or of comments in reading
    groups, costs no more than one with none.

    Written out rather than built by the ORM: it runs on every page a signed-in reader
    opens, and building it took the ORM longer than running it takes the database."""
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {quote('paragraph_id')}, COUNT(*) FROM {quote(Comment._meta.db_table)}"
        f" WHERE {quote('author_id')} = %s AND {quote('group_id')} IS NULL"
        f" AND NOT ({quote('status')} = %s) AND {quote('deleted_at')} IS NULL"
        f" GROUP BY {quote('paragraph_id')}"
    )
    # Where the router sends reads (a replica, outside a writer's requests).
    with connections[router.db_for_read(Comment)].cursor() as cursor:
        cursor.execute(sql, [user.pk, Comment.Status.PUBLISHED])
        return cursor.fetchall()


def _public_counts(ids: list[int], version) -> tuple[dict[int, int], dict[int, int]]:
    """What everybody sees on the paragraphs ``ids`` of ``version`` (None: the current
    one), and which paragraphs that version carries into which: counted once per
    generation of the counts and of the text and cached. Group comments are never public,
    so never here."""
    digest = hashlib.md5(",".join(map(str, ids)).encode()).hexdigest()

    def count() -> tuple[dict[int, int], dict[int, int]]:
        carried = carried_into(merges_shown(version, ids), ids)
        return _count_by_paragraph(Comment.objects.visible_to(None), ids, carried), carried

    shown_on = version.pk if version is not None else "current"
    return remembered(f"paragraph-counts:{shown_on}:{digest}", [COUNTS, TEXT], count)


def paragraph_comment_counts(user, paragraph_ids, version=None) -> dict[int, int]:
    """Live comments of the public discussion per paragraph that ``user`` may see, given
    the paragraphs of ``version`` (None: of the work's current version): a paragraph that
    version shows merged into another is counted with it. Reading groups' comments are
    counted apart (``group_comment_counts``).

    What everybody sees is cached (``_public_counts``); a signed-in reader's own extra
    comments (held ones, say) are added by one small query that reads only the reader's
    comments beyond the public ones (a partial index holds just those). Both halves come
    from ``visible_to``, so the total is exactly what that rule lets ``user`` see.
    """
    ids = sorted(set(paragraph_ids))
    counts, carried = _public_counts(ids, version)
    if user is not None and user.is_authenticated:
        extra = _beyond_public_counts(user, ids, carried)
        counts = {pid: counts.get(pid, 0) + extra.get(pid, 0) for pid in {*counts, *extra}}
    return counts


def part_comment_counts(user, version, parts) -> dict[str, int]:
    """Live comments of the public discussion that ``user`` may see on the passages of each
    part (chapter) of ``version``, by the part's slug; ``parts`` is [(slug, paragraph ids)].
    Reading groups' comments are counted apart (``group_comment_counts``).

    What everybody sees is kept per part under that part's own generation of the counts
    (``config.site.caching.kept_for_parts``): a comment expires its chapter's count and no
    other's, and the parts not kept are counted in one query. A signed-in reader's own
    extra comments are added as in ``paragraph_comment_counts``, from the same rule."""
    every_id = sorted({paragraph_id for _slug, ids in parts for paragraph_id in ids})
    carried = carried_into(merges_shown(version, every_id), every_id)
    keys = {
        slug: f"part-counts:{version.pk}:{slug}:{hashlib.md5(repr(ids).encode()).hexdigest()}"
        for slug, ids in parts
    }
    counts, generations = kept_for_parts(keys, [COUNTS, TEXT], version.work.slug)
    missing = [(slug, ids) for slug, ids in parts if slug not in counts]
    if missing:
        wanted = sorted({paragraph_id for _slug, ids in missing for paragraph_id in ids})
        homes = set(wanted)
        by_paragraph = _count_by_paragraph(
            Comment.objects.visible_to(None),
            wanted,
            {merged: home for merged, home in carried.items() if home in homes},
        )
        counted = {slug: sum(by_paragraph.get(pid, 0) for pid in ids) for slug, ids in missing}
        keep_for_parts(keys, generations, counted)
        counts.update(counted)
    if user is not None and user.is_authenticated:
        slug_of = {paragraph_id: slug for slug, ids in parts for paragraph_id in ids}
        for paragraph_id, count in _beyond_public_counts(user, every_id, carried).items():
            counts[slug_of[paragraph_id]] += count
    return counts


def group_waiting_counts(user, group, paragraph_ids, version=None) -> dict[int, int]:
    """In a "post first" group, per paragraph ``user`` has not written on in it, how many
    first comments of the others wait for theirs: what the panel's note counts ("1 reading
    from the group appears here once you post your own"), so the margin can say the same.
    Only a number, and only a member's, of their own group; no text. Two queries.

    Exactly the first comments ``visible_to`` hides from them: "written on" is the rule's
    (``Comment.group_condition``), any comment of theirs there, deleted or not, in any
    state; it is asked of each paragraph, not of the one a version shows it under (a
    comment on one of two merged paragraphs shows them only that one's); and nothing they
    moderate waits."""
    ids = sorted(set(paragraph_ids))
    _counts, carried = _public_counts(ids, version)
    in_group = Comment.objects.in_layer(group)
    written = set(
        in_group.filter(author_id=user.pk, paragraph_id__in=[*ids, *carried]).values_list(
            "paragraph_id", flat=True
        )
    )
    others_first = in_group.filter(parent__isnull=True, status=Comment.Status.PUBLISHED).exclude(
        author_id=user.pk
    )
    moderated = Comment.moderation_condition(user)
    if moderated is not None:
        # What they moderate, they read already: a site moderator, the comments flagged.
        others_first = others_first.exclude(moderated)
    rows = _per_paragraph(others_first, [*ids, *carried])
    return _fold([row for row in rows if row[0] not in written], carried)


def group_comment_counts(user, group, paragraph_ids, version=None) -> dict[int, int]:
    """Live comments of reading group ``group`` per paragraph, as ``user`` may see them
    (``visible_to``: nothing unless they belong to it; in a "post first" group, only on
    paragraphs they have written on). Never cached: membership can end at any moment.
    One query, whatever the size of the group."""
    ids = sorted(set(paragraph_ids))
    _counts, carried = _public_counts(ids, version)
    return _count_by_paragraph(Comment.objects.visible_to(user).in_layer(group), ids, carried)
