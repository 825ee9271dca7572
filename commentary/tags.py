"""Tags on comments: lower-case words their authors add when writing or editing, up to
``MAX_TAGS`` a comment, as in Hypothesis. Readers filter the discussion by them."""

import re
from collections.abc import Iterable

from django.db.models import Aggregate, CharField, OuterRef, Subquery
from django.utils.translation import gettext as _

from commentary.errors import CommentError
from commentary.models import Comment, CommentTag

MAX_TAGS = 10
MAX_TAG_LENGTH = 40
# Letters and digits of any script, with inner hyphens: "question", "source", "état-major".
_TAG = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")


def tags_read(raw: str | Iterable[str] | None) -> list[str]:
    """The tags in ``raw`` (a string separated by commas or spaces, or a list), lower-cased,
    each once, in the order given. A CommentError names what is wrong: a tag that is not a
    word, one too long, or more than ``MAX_TAGS``."""
    if raw is None:
        return []
    words = re.split(r"[,\s]+", raw) if isinstance(raw, str) else list(raw)
    tags: list[str] = []
    for word in words:
        if not isinstance(word, str):
            raise CommentError({"tags": [_("Each tag is a word.")]})
        tag = word.strip().lstrip("#").lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise CommentError(
                {"tags": [_("A tag has at most %(count)d characters.") % {"count": MAX_TAG_LENGTH}]}
            )
        if not _TAG.match(tag):
            raise CommentError(
                {
                    "tags": [
                        _("“%(tag)s” is not a tag: letters, digits and hyphens only.")
                        % {"tag": tag}
                    ]
                }
            )
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise CommentError({"tags": [_("At most %(count)d tags.") % {"count": MAX_TAGS}]})
    return tags


def comment_tags_set(comment: Comment, tags: list[str]) -> bool:
    """Make ``tags`` (already read by ``tags_read``) the comment's tags; the caller holds the
    transaction. True when they changed."""
    present = set(CommentTag.objects.filter(comment=comment).values_list("name", flat=True))
    if present == set(tags):
        return False
    CommentTag.objects.filter(comment=comment).exclude(name__in=tags).delete()
    CommentTag.objects.bulk_create(
        CommentTag(comment=comment, name=tag) for tag in tags if tag not in present
    )
    return True


def tags_of(comment_ids: Iterable[int]) -> dict[int, list[str]]:
    """{comment id: its tags, sorted} for ``comment_ids``, in one query."""
    tags: dict[int, list[str]] = {}
    rows = CommentTag.objects.filter(comment_id__in=list(comment_ids)).order_by(
        "comment_id", "name"
    )
    for comment_id, name in rows.values_list("comment_id", "name"):
        tags.setdefault(comment_id, []).append(name)
    return tags


class _SpaceJoined(Aggregate):
    """Names joined by spaces (tags hold none), in no particular order."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ' ')"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="STRING_AGG", **extra_context)


def tags_joined() -> Subquery:
    """An annotation for a comment query: the comment's tags joined by spaces (None for
    none), read inside the same query; ``tags_split`` turns it into the sorted list."""
    joined = (
        CommentTag.objects.filter(comment_id=OuterRef("pk"))
        .order_by()
        .values("comment_id")
        .annotate(joined=_SpaceJoined("name"))
        .values("joined")
    )
    return Subquery(joined, output_field=CharField())


def tags_split(joined: str | None) -> list[str]:
    return sorted(joined.split(" ")) if joined else []
