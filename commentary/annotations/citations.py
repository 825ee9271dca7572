"""A comment as an item to cite: written by its author, in the discussion of the work, on
a passage of the version its author read."""

from django.urls import reverse

from commentary.models import Comment, display_name_of
from edition.citation_formats import FORMAT_LABELS, Cited

TITLE_CHARS = 80


def comment_cited(comment: Comment, url: str) -> Cited:
    work, version = comment.work, comment.version
    first_line = (comment.body.strip().splitlines() or [""])[0]
    if len(first_line) > TITLE_CHARS:
        first_line = first_line[: TITLE_CHARS - 1].rstrip() + "…"
    return Cited(
        id=f"{work.slug}-comment-{comment.pk}",
        title=f"Comment on {work.title} [{comment.paragraph.key}]: {first_line}",
        url=url,
        version_number=version.number,
        container_title=f"Discussion of {work.title}",
        authors=(display_name_of(comment.author),),
        publisher="Scholia",
        issued=comment.created_at.date(),
        kind="post",
    )


def comment_downloads(comment_id: int) -> list[tuple[str, str]]:
    return [
        (label, reverse("annotations:comment-cite", kwargs={"pk": comment_id, "fmt": fmt}))
        for fmt, label in FORMAT_LABELS.items()
    ]
