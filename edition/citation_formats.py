"""A cited passage (or comment) in the formats reference managers read: Highwire
``citation_*`` meta tags (what Zotero reads from a page), CSL-JSON, BibTeX and RIS. Each
names the version of the text it cites. Pure functions of a ``Cited``."""

import json
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Cited:
    id: str  # a key for BibTeX and CSL, e.g. "october-1917-v1-p7"
    title: str
    url: str
    version_number: int
    container_title: str = ""  # the work a paragraph or comment is in
    authors: tuple[str, ...] = ()
    publisher: str = ""
    year: int | None = None  # of the work's first publication
    issued: date | None = None  # when this version (or comment) was published
    kind: str = "chapter"  # CSL type: "chapter" for a passage, "post" for a comment

    @property
    def version_label(self) -> str:
        return f"Version {self.version_number}"


def highwire_tags(cited: Cited) -> list[tuple[str, str]]:
    """(name, content) of the ``<meta>`` tags, in the order Google Scholar documents."""
    tags = [("citation_title", cited.title)]
    tags += [("citation_author", author) for author in cited.authors]
    if cited.issued:
        tags.append(("citation_publication_date", cited.issued.strftime("%Y/%m/%d")))
    elif cited.year:
        tags.append(("citation_publication_date", str(cited.year)))
    if cited.container_title:
        tags.append(("citation_inbook_title", cited.container_title))
    if cited.publisher:
        tags.append(("citation_publisher", cited.publisher))
    tags.append(("citation_edition", cited.version_label))
    tags.append(("citation_public_url", cited.url))
    return tags


def csl_json(cited: Cited) -> str:
    item: dict = {
        "id": cited.id,
        "type": cited.kind,
        "title": cited.title,
        "URL": cited.url,
        "version": str(cited.version_number),
        "edition": cited.version_label,
    }
    if cited.container_title:
        item["container-title"] = cited.container_title
    if cited.authors:
        item["author"] = [{"literal": author} for author in cited.authors]
    if cited.publisher:
        item["publisher"] = cited.publisher
    if cited.issued:
        item["issued"] = {"date-parts": [[cited.issued.year, cited.issued.month, cited.issued.day]]}
    elif cited.year:
        item["issued"] = {"date-parts": [[cited.year]]}
    if cited.year and cited.issued:
        item["original-date"] = {"date-parts": [[cited.year]]}
    return json.dumps([item], ensure_ascii=False, indent=2)


def _bibtex_value(text: str) -> str:
    # Braces keep capitals; a brace or backslash in the text would end the value early.
    cleaned = text.replace("\\", "\\textbackslash{}").replace("{", "\\{").replace("}", "\\}")
    return "{" + cleaned + "}"


def bibtex(cited: Cited) -> str:
    entry = "incollection" if cited.kind == "chapter" else "misc"
    fields = [("title", _bibtex_value(cited.title))]
    if cited.authors:
        # Each name braced whole: an edition's author may be an institution.
        fields.append(("author", "{" + " and ".join(_bibtex_value(a) for a in cited.authors) + "}"))
    if cited.container_title:
        fields.append(("booktitle", _bibtex_value(cited.container_title)))
    if cited.publisher:
        fields.append(("publisher", _bibtex_value(cited.publisher)))
    year = cited.issued.year if cited.issued else cited.year
    if year:
        fields.append(("year", _bibtex_value(str(year))))
    fields += [
        ("edition", _bibtex_value(cited.version_label)),
        ("version", _bibtex_value(str(cited.version_number))),
        ("url", _bibtex_value(cited.url)),
        ("note", _bibtex_value(f"{cited.version_label} of the Scholia edition")),
    ]
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{entry}{{{cited.id},\n{body}\n}}\n"


def ris(cited: Cited) -> str:
    lines = [("TY", "CHAP" if cited.kind == "chapter" else "BLOG"), ("TI", cited.title)]
    lines += [("AU", author) for author in cited.authors]
    if cited.container_title:
        lines.append(("T2", cited.container_title))
    if cited.publisher:
        lines.append(("PB", cited.publisher))
    if cited.issued:
        lines.append(("DA", cited.issued.strftime("%Y/%m/%d")))
        lines.append(("PY", str(cited.issued.year)))
    elif cited.year:
        lines.append(("PY", str(cited.year)))
    lines += [("ET", cited.version_label), ("UR", cited.url), ("ID", cited.id), ("ER", "")]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


FORMATS = {
    "csl": ("application/vnd.citationstyles.csl+json", "json", csl_json),
    "bibtex": ("application/x-bibtex", "bib", bibtex),
    "ris": ("application/x-research-info-systems", "ris", ris),
}
FORMAT_LABELS = {"csl": "CSL-JSON", "bibtex": "BibTeX", "ris": "RIS"}


def paragraph_cited(*, work, version, key: str, label: str, url: str) -> Cited:
    """A passage of ``version`` of ``work``, as readers call it (``label``)."""
    return Cited(
        id=f"{work.slug}-v{version.number}-{key}",
        title=f"{work.title}, {label} [{key}]",
        url=url,
        version_number=version.number,
        container_title=work.title + (f": {work.subtitle}" if work.subtitle else ""),
        authors=(work.author,) if work.author else (),
        publisher=work.publisher,
        year=work.year,
        issued=version.published_at.date() if version.published_at else None,
        kind="chapter",
    )
