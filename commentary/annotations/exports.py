"""What an export of a version holds: its passages in order (all of them, or one chapter's),
and the comments of one layer (the public discussion, or one reading group's) that stand on
them, threads whole.

A comment is in the export when its paragraph is in the version, a reply when its parent
is: so every reference an export makes (a comment to its passage, a reply to its parent)
resolves inside the file.
"""

from dataclasses import dataclass

from commentary.models import Comment, display_name_of
from edition.models import Version
from edition.parts import Part
from edition.reading import VersionRow, version_rows


@dataclass
class Export:
    version: Version
    rows: list[VersionRow]
    comments: list[Comment]
    group: object = None
    part: Part | None = None  # the chapter exported, None for the whole work

    def comments_on(self, key: str) -> list[Comment]:
        return [c for c in self.comments if c.parent_id is None and c.paragraph.key == key]

    def replies_to(self, comment: Comment) -> list[Comment]:
        return [c for c in self.comments if c.parent_id == comment.pk]


def export_of(version: Version, user, group=None, part: Part | None = None) -> Export:
    """The export of ``version`` for ``user``: their view of the public discussion, or of
    ``group`` (which the caller fetched as one they belong to); of the chapter ``part`` of
    the version only, when given (``edition.parts``)."""
    rows = version_rows(version)
    if part is not None:
        rows = rows[part.start : part.end]
    keys = {row.key for row in rows}
    comments = (
        Comment.objects.visible_to(user)
        .live()
        .in_layer(group)
        .filter(work=version.work, paragraph__key__in=keys)
        .select_related("author__profile", "paragraph", "version")
        .order_by("pk")
    )
    kept: list[Comment] = []
    included: set[int] = set()
    for comment in comments:
        if comment.parent_id is None:
            if comment.paragraph.key not in keys:
                continue
        elif comment.parent_id not in included:
            continue
        included.add(comment.pk)
        kept.append(comment)
    return Export(version, rows, kept, group, part)


def author_name(comment: Comment) -> str:
    return display_name_of(comment.author)
