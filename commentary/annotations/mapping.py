"""A comment as a W3C Web Annotation (https://www.w3.org/TR/annotation-model/).

- ``motivation`` ``commenting``; a reply is ``replying`` and targets its parent's IRI.
- ``body`` a TextualBody in Markdown; ``creator`` a Person named as the site names them.
- ``target`` the paragraph's page (its stable IRI, across versions) with a ``TimeState``
  naming the version its author read, and, for a quote, a TextQuoteSelector and a
  TextPositionSelector counting code points in the wording the author saw.
- ``created`` and ``modified`` in UTC, written with a ``Z``.

What a client sent of ``canonical`` and its own ``id`` (kept as ``via``) is kept as it was
(``AnnotationOrigin``).
"""

from datetime import UTC, datetime

from commentary.annotations.iris import ANNO_CONTEXT, Origin
from commentary.models import Comment, display_name_of
from commentary.tags import tags_split

RELATED = (
    "author__profile",
    "work",
    "paragraph",
    "version",
    "group",
    "parent",
    "annotation_origin",
)


def utc(moment: datetime) -> str:
    """An instant as the model's xsd:dateTime in UTC: "2026-12-06T09:32:24Z"."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def annotation_iri(origin: Origin, comment: Comment) -> str:
    return origin.annotation(
        comment.pk,
        work_slug=comment.work.slug,
        group_slug=comment.group.slug if comment.group_id else None,
    )


def parent_iri(origin: Origin, comment: Comment) -> str:
    """The IRI of the comment ``comment`` replies to: in the same layer (a reply stays in
    its parent's group), so known without reading the parent."""
    return origin.annotation(
        comment.parent_id,
        work_slug=comment.work.slug,
        group_slug=comment.group.slug if comment.group_id else None,
    )


def paragraph_target(origin: Origin, comment: Comment) -> dict:
    target = {
        "type": "SpecificResource",
        "source": origin.paragraph(comment.work.slug, comment.paragraph.key),
        "state": {
            "type": "TimeState",
            "sourceDate": utc(comment.version.published_at or comment.version.created_at),
            "cached": f"{origin.version(comment.work.slug, comment.version.number)}"
            f"#{comment.paragraph.key}",
        },
    }
    if comment.quote_start is not None:
        target["selector"] = [
            {
                "type": "TextQuoteSelector",
                "exact": comment.quote_exact,
                "prefix": comment.quote_prefix,
                "suffix": comment.quote_suffix,
            },
            {
                "type": "TextPositionSelector",
                "start": comment.quote_start,
                "end": comment.quote_end,
            },
        ]
    return target


def comment_annotation(origin: Origin, comment: Comment, *, context: bool = True) -> dict:
    """The annotation of a live ``comment`` fetched with ``RELATED``; without the
    ``@context`` when it is embedded in a page that carries one."""
    annotation: dict = {"@context": ANNO_CONTEXT} if context else {}
    annotation.update(
        {
            "id": annotation_iri(origin, comment),
            "type": "Annotation",
            "motivation": "replying" if comment.parent_id else "commenting",
            "creator": {
                "id": origin.person(comment.author.get_username()),
                "type": "Person",
                "name": display_name_of(comment.author),
            },
            "created": utc(comment.created_at),
            "modified": utc(comment.edited_at or comment.created_at),
            "body": {
                "type": "TextualBody",
                "value": comment.body,
                "format": "text/markdown",
                "purpose": "replying" if comment.parent_id else "commenting",
            },
            "target": parent_iri(origin, comment)
            if comment.parent_id
            else paragraph_target(origin, comment),
        }
    )
    # Tags as further bodies (the model's "tagging" purpose), when the query read them
    # (``tags_joined``).
    tags = tags_split(getattr(comment, "tags_joined", None))
    if tags:
        annotation["body"] = [
            annotation["body"],
            *({"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in tags),
        ]
    kept = getattr(comment, "annotation_origin", None)
    if kept is not None:
        if kept.canonical:
            annotation["canonical"] = kept.canonical
        if kept.via:
            annotation["via"] = kept.via
    return annotation
