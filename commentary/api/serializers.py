"""Serializers of the comments API: read serializers describe what a client gets, write
serializers validate what it sends and hand ``validated_data`` to ``commentary.services``.

A read serializer's fields document the shape for the schema; ``to_representation`` builds
the same dict by hand, because a thread of a thousand comments run through a thousand
nested field walks would cost more than its one query. The schema-conformance fuzz test
keeps the two in step.
"""

from functools import lru_cache
from urllib.parse import urlsplit

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commentary.anchors import QUOTE_STATES, STATES, VersionWordings
from commentary.models import MAX_COMMENT_ID, MAX_QUOTE_OFFSET, Comment, CommentRevision
from commentary.rows import CommentRow
from commentary.targets import resolve_comment_target
from commentary.threads import ThreadNode
from config.api.validation import RejectUnknownFieldsMixin, StrictCharField, StrictIntegerField
from edition.models import MAX_VERSION_NUMBER

MAX_QUOTE_CHARS = 10_000
MAX_QUOTE_CONTEXT_CHARS = 1_000


# Read side ------------------------------------------------------------------------------


class AuthorSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    display_name = serializers.CharField(read_only=True)


class QuoteSerializer(serializers.Serializer):
    """W3C TextQuoteSelector (exact, prefix, suffix) and TextPositionSelector (start, end)
    inside the wording of the paragraph the author saw."""

    exact = serializers.CharField(read_only=True)
    prefix = serializers.CharField(read_only=True)
    suffix = serializers.CharField(read_only=True)
    start = serializers.IntegerField(read_only=True)
    end = serializers.IntegerField(read_only=True)


class QuoteNowSerializer(serializers.Serializer):
    start = serializers.IntegerField(read_only=True)
    end = serializers.IntegerField(read_only=True)


class AnchorSerializer(serializers.Serializer):
    """How a comment stands on the version it is read for (``version=N``)."""

    state = serializers.ChoiceField(
        choices=STATES,
        read_only=True,
        help_text=(
            "The first that applies: paragraph_removed (the passage is not in that version); "
            "merged (it is shown under the paragraph its own was merged into); split (a "
            "version between the one it was written on and this one split a part off its "
            "paragraph); moved (a version between the two moved its paragraph); "
            "earlier_wording (written on another wording of the paragraph); current "
            "(written on the wording shown, where it stands)."
        ),
    )
    written_on = serializers.IntegerField(
        read_only=True, help_text="The number of the version it was written on."
    )
    shown_under = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text=(
            "Key of the paragraph that version shows it under (its own, or the one its own "
            "was merged into); null when removed."
        ),
    )
    same_wording = serializers.BooleanField(
        read_only=True,
        help_text="Whether that version shows it on the very wording its author saw.",
    )
    quote_state = serializers.ChoiceField(
        choices=QUOTE_STATES,
        read_only=True,
        allow_null=True,
        help_text=(
            "Its quote found again in the wording shown: exact, fuzzy (the most similar "
            "passage, above a threshold) or lost; null when it quotes nothing."
        ),
    )
    score = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text=(
            "1 for the exact phrase; for a fuzzy or lost quote, the weighted similarity "
            "(phrase, prefix, suffix, position) of the best passage; null without a search."
        ),
    )
    start = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=(
            "Where the quote starts in the wording of shown_under, in code points; null when "
            "lost or none."
        ),
    )
    end = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Where it ends (exclusive); null likewise."
    )
    quote_now = QuoteNowSerializer(
        read_only=True,
        allow_null=True,
        help_text="start and end together (kept for earlier clients); null when lost or none.",
    )


def comments_url(context: dict) -> str:
    """The absolute address of the comment list, worked out once per response."""
    url = context.get("comments_url")
    if url is None:
        url = context["request"].build_absolute_uri(reverse("api:comment-list"))
        context["comments_url"] = url
    return url


@lru_cache(maxsize=16)
def _comment_page_prefix(list_url: str) -> str:
    """The absolute address of comment pages up to the id, on the origin the API was asked
    at (that of ``list_url``): "https://host/comments/". Worked out once per origin."""
    parts = urlsplit(list_url)
    path = reverse("commentary:comment-detail", kwargs={"pk": 0}).removesuffix("0/")
    return f"{parts.scheme}://{parts.netloc}{path}"


def comment_html_url(list_url: str, pk: int) -> str:
    """The absolute address of comment ``pk``'s page, on the origin of ``list_url``."""
    return f"{_comment_page_prefix(list_url)}{pk}/"


def comment_data(
    comment: "Comment | CommentRow",
    *,
    list_url: str,
    reply_count: int,
    wordings: VersionWordings | None = None,
    tags: list[str] | None = None,
) -> dict:
    """A comment as the API shows it; a deleted one is a tombstone without author or text.
    Read for a version (``wordings``), it carries its anchor there; else ``anchor`` is null.
    ``tags``, when the caller read them (``commentary.tags.tags_of``), are shown."""
    row = comment if isinstance(comment, CommentRow) else CommentRow.of(comment)
    deleted = row.deleted_at is not None
    quote = None
    if not deleted and row.quote_start is not None:
        quote = {
            "exact": row.quote_exact,
            "prefix": row.quote_prefix,
            "suffix": row.quote_suffix,
            "start": row.quote_start,
            "end": row.quote_end,
        }
    return {
        "id": row.pk,
        "url": f"{list_url}{row.pk}/",
        "html_url": comment_html_url(list_url, row.pk),
        "work": row.work_slug,
        "paragraph": row.paragraph_key,
        "version": row.version_number,
        "parent": row.parent_id,
        "depth": row.depth,
        "author": None
        if deleted
        else {"username": row.username, "display_name": row.display_name or row.username},
        "body": "" if deleted else row.body,
        "body_html": "" if deleted else row.body_html,
        "quote": quote,
        "status": row.status,
        "group": row.group_slug,
        "created": row.created_at,
        "edited": row.edited_at,
        "reply_count": reply_count,
        "deleted": deleted,
        "anchor": None if wordings is None else wordings.anchor_of(row).as_dict(),
        **({} if tags is None else {"tags": [] if deleted else tags}),
    }


@extend_schema_field(
    {
        "type": "string",
        "enum": Comment.Status.values,
        "description": "Anything but published is shown to its author and moderators only.",
    },
    component_name="CommentStatusEnum",
)
class CommentStatusField(serializers.CharField):
    """A named enum, so it does not collide with the version's ``status`` in the schema."""


class CommentSerializer(serializers.Serializer):
    """A comment on a paragraph, or a reply to one."""

    # Serializes comments annotated with ``reply_count`` (see ``views.comment_queryset``).

    id = serializers.IntegerField(read_only=True)
    url = serializers.URLField(read_only=True, help_text="This comment in the API.")
    html_url = serializers.URLField(
        read_only=True, help_text="This comment's page, which opens it in its thread."
    )
    work = serializers.CharField(read_only=True, help_text="Slug of the work.")
    paragraph = serializers.CharField(
        read_only=True, help_text="Stable key of the paragraph, e.g. p7."
    )
    version = serializers.IntegerField(
        read_only=True, help_text="Number of the version its author was reading."
    )
    parent = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Id of the comment it replies to."
    )
    depth = serializers.IntegerField(read_only=True, help_text="0 for the first comment.")
    author = AuthorSerializer(read_only=True, allow_null=True, help_text="Null once deleted.")
    body = serializers.CharField(read_only=True, help_text="Markdown; empty once deleted.")
    body_html = serializers.CharField(
        read_only=True, help_text="The body as sanitised HTML; empty once deleted."
    )
    quote = QuoteSerializer(read_only=True, allow_null=True)
    status = CommentStatusField(read_only=True)
    group = serializers.CharField(
        read_only=True, allow_null=True, help_text="Slug of its reading group; null if public."
    )
    created = serializers.DateTimeField(read_only=True)
    edited = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When its body last changed, if ever."
    )
    reply_count = serializers.IntegerField(
        read_only=True, help_text="Direct replies you can see, not counting deleted ones."
    )
    deleted = serializers.BooleanField(
        read_only=True, help_text="Deleted by its author: a tombstone that keeps its replies."
    )
    anchor = AnchorSerializer(
        read_only=True,
        allow_null=True,
        help_text="How it stands on the version it is read for; null unless one is asked for.",
    )
    tags = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        required=False,
        help_text="Its author's tags, lower-case words; in lists, threads and single comments.",
    )

    def to_representation(self, comment: Comment) -> dict:
        return comment_data(
            comment, list_url=comments_url(self.context), reply_count=comment.reply_count
        )


@extend_schema_field({"type": "boolean", "enum": [False]})
class NotPlaceholderField(serializers.BooleanField):
    pass


@extend_schema_field({"type": "boolean", "enum": [True]})
class PlaceholderField(serializers.BooleanField):
    pass


@extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/ThreadNode"}})
class RepliesField(serializers.ListField):
    pass


class ThreadCommentSerializer(CommentSerializer):
    """A comment in a thread, with its replies (oldest first), each with theirs."""

    placeholder = NotPlaceholderField(read_only=True)
    replies = RepliesField(read_only=True)


class ThreadPlaceholderSerializer(serializers.Serializer):
    """Stands for a comment you may not see, so that the replies you may see keep their place."""

    id = serializers.IntegerField(read_only=True)
    placeholder = PlaceholderField(read_only=True)
    depth = serializers.IntegerField(read_only=True)
    replies = RepliesField(read_only=True)


def thread_data(
    node: ThreadNode,
    *,
    list_url: str,
    wordings: VersionWordings | None = None,
    tags: dict[int, list[str]] | None = None,
) -> dict:
    """A node of ``build_forest`` as nested JSON; a placeholder shows its id and place only.
    ``tags``: {comment id: its tags} for the whole thread."""
    tags = {} if tags is None else tags
    replies = [
        thread_data(reply, list_url=list_url, wordings=wordings, tags=tags)
        for reply in node.replies
    ]
    if node.comment is None:
        return {"id": node.pk, "placeholder": True, "depth": node.depth, "replies": replies}
    reply_count = sum(
        1
        for reply in node.replies
        if reply.comment is not None
        and reply.comment.parent_id == node.pk
        and reply.comment.deleted_at is None
    )
    data = comment_data(
        node.comment,
        list_url=list_url,
        reply_count=reply_count,
        wordings=wordings,
        tags=tags.get(node.pk, []),
    )
    data["placeholder"] = False
    data["replies"] = replies
    return data


class CommentRevisionSerializer(serializers.Serializer):
    """One body of a comment; the last one of the list is the current body."""

    body = serializers.CharField(read_only=True)
    body_html = serializers.CharField(read_only=True)
    written = serializers.DateTimeField(read_only=True, help_text="When this body was written.")
    replaced = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When an edit replaced it; null if current."
    )
    current = serializers.BooleanField(read_only=True)


def revision_rows(comment: Comment, revisions: list[CommentRevision]) -> list[dict]:
    """Earlier bodies oldest first, then the current one; nothing for a tombstone.

    A body was replaced when the next one was written, so each ``replaced`` is the next
    row's ``written`` (the revision row's own timestamp is a few microseconds earlier).
    """
    if comment.deleted_at is not None:
        return []
    rows = [
        {
            "body": revision.body,
            "body_html": revision.body_html,
            "written": revision.written_at,
            "current": False,
        }
        for revision in revisions
    ]
    rows.append(
        {
            "body": comment.body,
            "body_html": comment.body_html,
            "written": comment.edited_at or comment.created_at,
            "current": True,
        }
    )
    for row, successor in zip(rows, [*rows[1:], None], strict=True):
        row["replaced"] = successor["written"] if successor else None
    return rows


# Write side -----------------------------------------------------------------------------


class QuoteInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """The quoted phrase; ``start`` and ``end`` (together) or ``prefix``/``suffix`` tell
    repeated occurrences apart. Stored prefix and suffix are recomputed from the text."""

    exact = StrictCharField(max_length=MAX_QUOTE_CHARS, trim_whitespace=False)
    prefix = StrictCharField(
        required=False, allow_blank=True, max_length=MAX_QUOTE_CONTEXT_CHARS, trim_whitespace=False
    )
    suffix = StrictCharField(
        required=False, allow_blank=True, max_length=MAX_QUOTE_CONTEXT_CHARS, trim_whitespace=False
    )
    start = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_QUOTE_OFFSET
    )
    end = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_QUOTE_OFFSET
    )


TAGS_INPUT_HELP = (
    "Up to 10 tags, lower-case words (letters, digits, inner hyphens); upper case is "
    "lowered and repeats are dropped."
)


class CommentCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """A new comment on a paragraph (give ``work`` and ``paragraph``) or a reply (give
    ``parent``; ``work`` and ``paragraph`` may then be omitted). Other fields are refused."""

    # ``validated_data`` holds what ``comment_create`` takes, resolved for the requesting
    # user by ``commentary.targets``: works, paragraphs and versions found only in drafts,
    # and parents the user may not see, read as unknown.

    work = StrictCharField(
        required=False, max_length=80, help_text="Slug of the work; may be omitted in a reply."
    )
    paragraph = StrictCharField(
        required=False, max_length=16, help_text="Key of the paragraph; may be omitted in a reply."
    )
    version = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION_NUMBER,
        help_text="The version the author was reading; default the current one.",
    )
    parent = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=MAX_COMMENT_ID,
        help_text="Id of the comment this replies to.",
    )
    body = StrictCharField(help_text="Markdown.")
    quote = QuoteInputSerializer(required=False, allow_null=True)
    group = StrictCharField(
        required=False,
        max_length=80,
        help_text=(
            "Slug of one of your reading groups: only its members will see the comment. "
            "A reply is in its thread's group whether or not you name it."
        ),
    )
    tags = serializers.ListField(
        child=StrictCharField(max_length=40),
        max_length=10,
        required=False,
        help_text=TAGS_INPUT_HELP,
    )

    def validate(self, attrs: dict) -> dict:
        target = resolve_comment_target(
            self.context["request"].user,
            work=attrs.get("work"),
            paragraph=attrs.get("paragraph"),
            version=attrs.get("version"),
            parent=attrs.get("parent"),
            quote=attrs.get("quote"),
            group=attrs.get("group"),
        )
        return {"body": attrs["body"], "tags": attrs.get("tags", []), **target.arguments()}


class CommentEditSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """The new body and tags; nothing else about a comment can change."""

    body = StrictCharField(help_text="Markdown.")
    tags = serializers.ListField(
        child=StrictCharField(max_length=40),
        max_length=10,
        required=False,
        help_text=f"{TAGS_INPUT_HELP} Replaces the comment's tags; leave out to keep them.",
    )
