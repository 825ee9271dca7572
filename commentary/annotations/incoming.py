"""What an annotation sent by a client asks for, in the terms of ``comment_create``.

A client names a paragraph by its page's IRI (``target.source``) and a quote by a
TextQuoteSelector (and, to say which occurrence, a TextPositionSelector counting code
points); a reply targets the IRI of the annotation it answers. The body is a TextualBody
(or ``bodyValue``). Anything else is refused with a message saying what was expected.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from commentary.annotations.iris import Origin, resolve_iri


class AnnotationInvalid(ValidationError):
    pass


@dataclass
class Wanted:
    body: str
    work_slug: str | None = None
    paragraph_key: str | None = None
    parent_id: int | None = None
    quote: dict | None = None
    canonical: str = ""
    via: str = ""
    tags: list[str] = field(default_factory=list)


def _refuse(message: str):
    raise AnnotationInvalid({"annotation": [message]})


def _types(value) -> list:
    return value if isinstance(value, list) else [value]


def body_text(annotation: dict) -> tuple[str, list[str]]:
    """The comment's Markdown and the tags of an annotation's bodies."""
    if "bodyValue" in annotation:
        if not isinstance(annotation["bodyValue"], str):
            _refuse("bodyValue must be a string.")
        return annotation["bodyValue"], []
    bodies = annotation.get("body")
    if bodies is None:
        _refuse("An annotation needs a body: a TextualBody with its value.")
    texts, tags = [], []
    for body in _types(bodies):
        if not isinstance(body, dict) or not isinstance(body.get("value"), str):
            _refuse("Each body must be a TextualBody with a string value.")
        if body.get("purpose") == "tagging":
            tags.append(body["value"])
        else:
            texts.append(body["value"])
    if len(texts) != 1:
        _refuse("An annotation needs exactly one body that is not a tag.")
    return texts[0], tags


def quote_of(selectors) -> dict | None:
    """A quote from a target's selectors: the TextQuoteSelector's words, and the
    TextPositionSelector's start and end where it has one."""
    if selectors is None:
        return None
    quote: dict = {}
    for selector in _types(selectors):
        if not isinstance(selector, dict):
            _refuse("A selector must be an object.")
        if selector.get("type") == "TextQuoteSelector":
            for key in ("exact", "prefix", "suffix"):
                if key in selector:
                    if not isinstance(selector[key], str):
                        _refuse(f"A TextQuoteSelector's {key} must be a string.")
                    quote[key] = selector[key]
        elif selector.get("type") == "TextPositionSelector":
            start, end = selector.get("start"), selector.get("end")
            if not isinstance(start, int) or not isinstance(end, int):
                _refuse("A TextPositionSelector needs whole-number start and end.")
            quote["start"], quote["end"] = start, end
    if not quote.get("exact"):
        _refuse("A quote needs a TextQuoteSelector with the exact words.")
    return quote


def wanted_from(annotation, origin: Origin) -> Wanted:
    """Read a client's annotation; AnnotationInvalid says what is wrong with it."""
    if not isinstance(annotation, dict):
        _refuse("Send one annotation, a JSON object.")
    if "Annotation" not in _types(annotation.get("type")):
        _refuse('An annotation has "type": "Annotation".')
    body, tags = body_text(annotation)
    wanted = Wanted(body=body, tags=tags)
    for key in ("canonical", "id"):
        if key in annotation and not isinstance(annotation[key], str):
            _refuse(f"{key} must be an IRI.")
    wanted.canonical = annotation.get("canonical", "")
    wanted.via = annotation.get("id", "")
    targets = _types(annotation.get("target"))
    if len(targets) != 1 or targets[0] is None:
        _refuse("An annotation needs one target: a paragraph, or the annotation it answers.")
    target = targets[0]
    if isinstance(target, str):
        match = resolve_iri(origin, target)
        if match is None or match.url_name not in ("work-annotation", "group-annotation"):
            # A paragraph named by its IRI alone.
            target = {"source": target}
        else:
            wanted.parent_id = int(match.kwargs["id"])
            return wanted
    if not isinstance(target, dict) or not isinstance(target.get("source"), str):
        _refuse("A target needs a source: the IRI of a paragraph of this site.")
    match = resolve_iri(origin, target["source"])
    if match is None or match.view_name != "edition:paragraph-detail":
        _refuse("The target's source is not a paragraph of this site.")
    wanted.work_slug, wanted.paragraph_key = match.kwargs["slug"], match.kwargs["key"]
    wanted.quote = quote_of(target.get("selector"))
    return wanted
