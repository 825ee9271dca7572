"""What pages and the API read of a comment: plain rows from one query.

A thread of a thousand comments read as model instances builds a thousand Comments, authors,
profiles, works, paragraphs and versions before writing a line of HTML or JSON; read as
rows, it costs little more than the query. The HTML renderer and the API share these rows.
"""

from dataclasses import dataclass
from datetime import datetime

from commentary.models import Comment, display_name_of
from commentary.tags import tags_joined, tags_split


@dataclass(slots=True)
class CommentRow:
    pk: int
    parent_id: int | None
    root_id: int | None
    depth: int
    author_id: int
    username: str
    display_name: str | None
    work_slug: str
    paragraph_key: str
    version_number: int
    body: str
    body_html: str
    quote_exact: str
    quote_prefix: str
    quote_suffix: str
    quote_start: int | None
    quote_end: int | None
    status: str
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    # Where it is anchored: what ``commentary.anchors`` needs to place it on any version.
    paragraph_id: int
    revision_id: int
    group_slug: str | None = None  # None: a public comment
    tags: list[str] | None = None  # read by ``comment_rows``; None where nobody read them

    FIELDS = (
        "pk",
        "parent_id",
        "root_id",
        "depth",
        "author_id",
        "author__username",
        "author__profile__display_name",
        "work__slug",
        "paragraph__key",
        "version__number",
        "body",
        "body_html",
        "quote_exact",
        "quote_prefix",
        "quote_suffix",
        "quote_start",
        "quote_end",
        "status",
        "created_at",
        "edited_at",
        "deleted_at",
        "paragraph_id",
        "revision_id",
        "group__slug",
    )

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def thread_root_id(self) -> int:
        return self.root_id or self.pk

    @classmethod
    def of(cls, comment: Comment) -> "CommentRow":
        return cls(
            comment.pk,
            comment.parent_id,
            comment.root_id,
            comment.depth,
            comment.author_id,
            comment.author.get_username(),
            display_name_of(comment.author),
            comment.work.slug,
            comment.paragraph.key,
            comment.version.number,
            comment.body,
            comment.body_html,
            comment.quote_exact,
            comment.quote_prefix,
            comment.quote_suffix,
            comment.quote_start,
            comment.quote_end,
            comment.status,
            comment.created_at,
            comment.edited_at,
            comment.deleted_at,
            comment.paragraph_id,
            comment.revision_id,
            comment.group.slug if comment.group_id else None,
        )

    @classmethod
    def from_values(cls, values: dict) -> "CommentRow":
        """A row from ``QuerySet.values(*CommentRow.FIELDS, …)``."""
        return cls(*(values[field] for field in cls.FIELDS))


def comment_rows(comments) -> list[CommentRow]:
    """Rows of ``comments`` (already narrowed to what the viewer may see), oldest first,
    with their tags, read in the same query."""
    read = comments.annotate(tag_names=tags_joined()).order_by("pk")
    return [
        CommentRow(*fields, tags=tags_split(joined))
        for *fields, joined in read.values_list(*CommentRow.FIELDS, "tag_names")
    ]
