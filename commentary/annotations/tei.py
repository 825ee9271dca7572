"""A version as TEI P5 (https://tei-c.org/guidelines/p5/): ``teiHeader`` naming the source,
the text in ``div``s opened by their headings, each passage with ``xml:id`` its stable key
and ``n`` its number in this version, and the comments as ``standOff/listAnnotation`` of
``annotation``s (``motivation`` commenting or replying, ``target`` the passage or the
comment answered, ``resp`` the author's page)."""

import xml.etree.ElementTree as ET

from commentary.annotations.exports import Export, author_name
from commentary.annotations.iris import Origin
from commentary.annotations.mapping import utc
from edition.models import BlockKind

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
ET.register_namespace("", TEI_NS)


def _el(parent, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, f"{{{TEI_NS}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def comment_xml_id(comment_id: int) -> str:
    return f"c{comment_id}"


def _header(tei, export: Export, origin: Origin) -> None:
    work = export.version.work
    file_desc = _el(_el(tei, "teiHeader"), "fileDesc")
    title_stmt = _el(file_desc, "titleStmt")
    _el(title_stmt, "title", work.title)
    if export.part is not None:
        _el(title_stmt, "title", export.part.title, type="sub")
    if work.author:
        _el(title_stmt, "author", work.author)
    publication = _el(file_desc, "publicationStmt")
    _el(publication, "publisher", "Scholia")
    _el(publication, "idno", origin.version(work.slug, export.version.number), type="URI")
    if export.version.published_at:
        _el(publication, "date", when=utc(export.version.published_at))
    bibl = _el(_el(file_desc, "sourceDesc"), "bibl")
    _el(bibl, "title", work.title)
    if work.subtitle:
        _el(bibl, "title", work.subtitle, type="sub")
    if work.author:
        _el(bibl, "author", work.author)
    if work.publisher:
        _el(bibl, "publisher", work.publisher)
    if work.year:
        _el(bibl, "date", str(work.year), when=f"{work.year:04d}")
    _el(bibl, "edition", f"Version {export.version.number}", n=str(export.version.number))
    if export.part is not None:
        _el(bibl, "biblScope", export.part.title, unit="chapter", n=str(export.part.number))


def _body(tei, export: Export) -> None:
    body = _el(_el(tei, "text"), "body")
    div, passage_list = None, None
    for row in export.rows:
        if row.kind == BlockKind.HEADING:
            div = _el(body, "div", n=str(row.level))
            _el(div, "head", row.text, **{XML_ID: row.key})
            passage_list = None
            continue
        if div is None:
            div = _el(body, "div")
        if row.kind == BlockKind.LIST_ITEM:
            if passage_list is None:
                passage_list = _el(div, "list")
            _el(passage_list, "item", row.text, **{XML_ID: row.key, "n": str(row.number)})
            continue
        passage_list = None
        paragraph = _el(div, "p", **{XML_ID: row.key, "n": str(row.number)})
        if row.kind == BlockKind.QUOTE:
            _el(paragraph, "quote", row.text)
        else:
            paragraph.text = row.text


def _stand_off(tei, export: Export, origin: Origin) -> None:
    if not export.comments:
        return
    annotations = _el(_el(tei, "standOff"), "listAnnotation")
    for comment in export.comments:
        target = (
            f"#{comment_xml_id(comment.parent_id)}"
            if comment.parent_id
            else f"#{comment.paragraph.key}"
        )
        annotation = _el(
            annotations,
            "annotation",
            **{
                XML_ID: comment_xml_id(comment.pk),
                "target": target,
                "motivation": "replying" if comment.parent_id else "commenting",
                "resp": origin.person(comment.author.get_username()),
            },
        )
        statement = _el(annotation, "respStmt")
        _el(statement, "resp", "author")
        _el(statement, "name", author_name(comment))
        if comment.quote_start is not None:
            _el(annotation, "note", comment.quote_exact, type="quote")
        _el(annotation, "note", comment.body, type="body")


def tei_document(export: Export, origin: Origin) -> bytes:
    tei = ET.Element(f"{{{TEI_NS}}}TEI")
    _header(tei, export, origin)
    _body(tei, export)
    _stand_off(tei, export, origin)
    ET.indent(tei)
    return ET.tostring(tei, encoding="utf-8", xml_declaration=True)
