"""Import annotations written elsewhere: a Hypothesis export (its JSON rows) or a W3C
AnnotationPage, into a work's public discussion or a reading group's.

- Each quote is found again on the work's current version with the matcher that carries
  comments across revisions (``commentary.anchors.quote_refind``): the exact phrase with
  its prefix and suffix, else a fuzzy match with its score, else the annotation is an
  orphan (reported with its quote, not imported). Hypothesis positions count UTF-16 units
  over a whole page, so they only break ties between equally good places.
- Parents come before replies (a Hypothesis reply's parent is ``references[-1]``); a reply
  whose parent was not imported is skipped, saying why.
- ``created`` is kept. No account is ever made: the comments are the importer's, with a
  provenance line naming the original author, unless that author is the importer.
- Page notes and empty highlights are reported, not imported. The source's id is kept
  (``AnnotationOrigin``), so importing the same export again changes nothing.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils.dateparse import parse_datetime
from rapidfuzz import fuzz

from commentary.anchors import EXACT, LOST, quote_refind
from commentary.annotations.models import AnnotationImport, AnnotationOrigin
from commentary.events import comment_created
from commentary.markdown import render_markdown
from commentary.models import Comment
from commentary.quotes import quote_locate
from config.site.events import send_after_commit
from edition.models import VersionParagraph


class ImportRefused(ValueError):
    """The file is not an export this importer reads."""


@dataclass
class Incoming:
    source_id: str
    text: str
    author: str
    created: datetime | None
    references: list[str] = field(default_factory=list)
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    page_start: int | None = None
    tags: list[str] = field(default_factory=list)
    has_selector: bool = False


def _selector_parts(selectors) -> dict:
    parts: dict = {}
    for selector in selectors if isinstance(selectors, list) else [selectors]:
        if not isinstance(selector, dict):
            continue
        if selector.get("type") == "TextQuoteSelector":
            parts.update(
                exact=selector.get("exact") or "",
                prefix=selector.get("prefix") or "",
                suffix=selector.get("suffix") or "",
            )
        elif selector.get("type") == "TextPositionSelector" and isinstance(
            selector.get("start"), int
        ):
            parts["page_start"] = selector["start"]
    return parts


def _hypothesis_row(row: dict) -> Incoming:
    targets = row.get("target") or []
    selectors = [s for target in targets for s in (target.get("selector") or [])]
    user = str(row.get("user") or "")
    name = user.removeprefix("acct:").split("@", 1)[0]
    display = (row.get("user_info") or {}).get("display_name") or name
    incoming = Incoming(
        source_id=f"hypothesis:{row['id']}",
        text=row.get("text") or "",
        author=display,
        created=parse_datetime(row["created"]) if row.get("created") else None,
        references=[f"hypothesis:{ref}" for ref in row.get("references") or []],
        tags=list(row.get("tags") or []),
        has_selector=bool(selectors),
    )
    incoming.username = name  # type: ignore[attr-defined]
    for key, value in _selector_parts(selectors).items():
        setattr(incoming, key, value)
    return incoming


def _w3c_item(item: dict) -> Incoming:
    body = item.get("body") or item.get("bodyValue") or ""
    bodies = body if isinstance(body, list) else [body]
    texts = [b if isinstance(b, str) else b.get("value", "") for b in bodies]
    tags = [b["value"] for b in bodies if isinstance(b, dict) and b.get("purpose") == "tagging"]
    text = next(
        (
            t
            for t, b in zip(texts, bodies, strict=True)
            if not (isinstance(b, dict) and b.get("purpose") == "tagging")
        ),
        "",
    )
    creator = item.get("creator") or {}
    target = item.get("target")
    references = [f"w3c:{target}"] if isinstance(target, str) else []
    selectors = target.get("selector") if isinstance(target, dict) else None
    incoming = Incoming(
        source_id=f"w3c:{item['id']}",
        text=text,
        author=creator.get("name", "") if isinstance(creator, dict) else str(creator),
        created=parse_datetime(item["created"]) if item.get("created") else None,
        references=references,
        tags=tags,
        has_selector=bool(selectors),
    )
    incoming.username = ""  # type: ignore[attr-defined]
    for key, value in _selector_parts(selectors or []).items():
        setattr(incoming, key, value)
    return incoming


def read_export(data) -> list[Incoming]:
    """The annotations of a Hypothesis export (a list of rows, or ``{"rows": [...]}``) or
    of a W3C AnnotationPage; ImportRefused for anything else."""
    try:
        if isinstance(data, dict) and data.get("type") == "AnnotationPage":
            return [_w3c_item(item) for item in data.get("items") or []]
        rows = data.get("rows") if isinstance(data, dict) else data
        if not isinstance(rows, list):
            raise ImportRefused("Expected a Hypothesis export or a W3C AnnotationPage.")
        return [_hypothesis_row(row) for row in rows]
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        if isinstance(error, ImportRefused):
            raise
        raise ImportRefused(f"Not an export this importer reads: {error}") from error


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _context_score(text: str, start: int, end: int, incoming: Incoming) -> float:
    before = text[max(0, start - len(incoming.prefix)) : start]
    after = text[end : end + len(incoming.suffix)]
    prefix = fuzz.ratio(incoming.prefix, before) / 100 if incoming.prefix else 1.0
    suffix = fuzz.ratio(incoming.suffix, after) / 100 if incoming.suffix else 1.0
    return prefix + suffix


def find_quote(entries: list[VersionParagraph], incoming: Incoming):
    """(entry, start, end, state, score) of the best place for the quote, or None."""
    best, best_key = None, None
    page_offset = 0
    for entry in entries:
        text = entry.revision.text
        match = quote_refind(text, incoming.exact, incoming.prefix, incoming.suffix, 0)
        if match.state != LOST:
            context = _context_score(text, match.start, match.end, incoming)
            distance = 0
            if incoming.page_start is not None:
                at = page_offset + _utf16_length(text[: match.start])
                distance = abs(at - incoming.page_start)
            key = (match.state == EXACT, match.score, context, -distance)
            if best_key is None or key > best_key:
                best, best_key = (entry, match.start, match.end, match.state, match.score), key
        page_offset += _utf16_length(text) + 1
    return best


def _body(incoming: Incoming, importer) -> str:
    text = incoming.text.strip()
    if incoming.tags:
        text = f"{text}\n\nTags: {', '.join(incoming.tags)}".strip()
    if getattr(incoming, "username", "") == importer.get_username():
        return text
    when = f" on {incoming.created:%Y-%m-%d}" if incoming.created else ""
    return f"*Written by {incoming.author or 'an unnamed author'}{when}; imported.*\n\n{text}"


def _parents_first(item: Incoming) -> tuple:
    return (len(item.references), item.created.timestamp() if item.created else 0.0)


@transaction.atomic
def annotations_import(*, work, importer, data, group=None, source_name="") -> AnnotationImport:
    """Import ``data`` (parsed JSON) into ``work``'s public discussion or ``group``'s, as
    ``importer`` (who the callers checked may: staff, or the group's owner); the run and its
    report are saved and returned."""
    if group is not None and not group.works.filter(pk=work.pk).exists():
        raise ImportRefused("That reading group does not read this work.")
    incoming = read_export(data)
    layer = f"group:{group.pk}" if group else f"work:{work.pk}"
    version = work.current_version
    entries = list(
        VersionParagraph.objects.filter(version=version)
        .select_related("revision", "paragraph")
        .order_by("position")
    )
    known = dict(
        AnnotationOrigin.objects.filter(layer=layer).values_list("source_id", "comment_id")
    )
    report: dict = {"imported": [], "fuzzy": [], "orphaned": [], "skipped": []}
    by_source = {item.source_id: item for item in incoming}

    for item in sorted(incoming, key=_parents_first):
        if item.source_id in known:
            report["skipped"].append({"source": item.source_id, "reason": "already imported"})
            continue
        parent = None
        if item.references:
            parent_id = known.get(item.references[-1])
            if parent_id is None:
                why = (
                    "its parent is not in the export"
                    if item.references[-1] not in by_source
                    else "its parent was not imported"
                )
                report["skipped"].append({"source": item.source_id, "reason": why})
                continue
            parent = Comment.objects.get(pk=parent_id)
        elif not item.has_selector:
            report["skipped"].append({"source": item.source_id, "reason": "a page note"})
            continue
        if not item.text.strip() and not item.tags:
            reason = "an empty highlight" if not item.references else "an empty reply"
            report["skipped"].append({"source": item.source_id, "reason": reason})
            continue
        quote_columns: dict = {}
        if parent is None:
            found = find_quote(entries, item)
            if found is None:
                report["orphaned"].append({"source": item.source_id, "quote": item.exact})
                continue
            entry, start, end, state, score = found
            located = quote_locate(
                entry.revision.text,
                {"exact": entry.revision.text[start:end], "start": start, "end": end},
            )
            quote_columns = {
                "quote_exact": located.exact,
                "quote_prefix": located.prefix,
                "quote_suffix": located.suffix,
                "quote_start": located.start,
                "quote_end": located.end,
            }
            paragraph, revision = entry.paragraph, entry.revision
        else:
            paragraph, revision, state, score = parent.paragraph, parent.revision, None, None
        body = _body(item, importer)
        comment = Comment.objects.create(
            work=work,
            paragraph=paragraph,
            revision=revision,
            version=version if parent is None else parent.version,
            parent=parent,
            root_id=(parent.root_id or parent.pk) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            author=importer,
            body=body,
            body_html=render_markdown(body),
            group=group,
            status=Comment.Status.PUBLISHED,
            **quote_columns,
        )
        if item.created:
            Comment.objects.filter(pk=comment.pk).update(created_at=item.created)
        AnnotationOrigin.objects.create(comment=comment, source_id=item.source_id, layer=layer)
        known[item.source_id] = comment.pk
        line = {"source": item.source_id, "comment": comment.pk, "paragraph": paragraph.key}
        report["imported"].append(line)
        if state is not None and state != EXACT:
            report["fuzzy"].append({**line, "score": round(score, 3), "quote": item.exact})
        send_after_commit(comment_created, comment=comment)
    return AnnotationImport.objects.create(
        work=work, group=group, imported_by=importer, source_name=source_name, report=report
    )
