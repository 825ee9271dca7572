"""Turn a plain-text or Markdown file into the blocks of a version.

Plain text comes from word-processor exports and carries their mess: bookmark artefacts,
runs of spaces and non-breaking spaces, paragraphs separated by one newline or by blank
lines, sentences broken across two lines, headings told apart from paragraphs only by being
short. ``parse_text`` cleans that up with general rules and reports every decision it was
not sure of in ``ParseResult.unsure`` so an editor can check them. Markdown is explicit and
is parsed as written (by markdown-it-py): heading levels, numbered lists, fenced code,
tables, front matter and inline formatting are kept; what cannot be represented yet
(footnotes, nested lists, images) is kept as written where possible and always reported.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from markdown_it import MarkdownIt

from edition.inline import plain_text
from edition.models import BlockKind, revision_checksum
from edition.parts import part_bounds


class ImportFileError(ValueError):
    """A source file that cannot be imported; the message says why, for the person importing."""


@dataclass(frozen=True)
class Block:
    """One block of a version: a heading (with its level 1..6), paragraph, list item,
    numbered list item, quote, code block or table. ``markup`` is the Markdown the author
    wrote when it renders as more than ``text`` (see ``edition.inline``)."""

    kind: str
    level: int | None
    text: str
    markup: str = ""

    @property
    def checksum(self) -> str:
        return revision_checksum(self.kind, self.level, self.text, self.markup)


class Doubt(str):
    """One decision the importer was not sure of: its message ("line 12: …"), and ``kind``,
    the kind of decision, by which a review groups the many of one kind."""

    kind: str

    def __new__(cls, message: str, kind: str) -> "Doubt":
        doubt = super().__new__(cls, message)
        doubt.kind = kind
        return doubt


JOINED = "Lines joined into one paragraph"
HEADING = "Lines taken for headings"
NO_PUNCTUATION = "Paragraphs that end without punctuation"
LOWER_CASE = "Paragraphs that start in lower case"
GLUED_ITEM = "List items with no space after the dash"
FRONT_MATTER = "Front matter not used"
FOOTNOTE = "Footnotes kept as written"
IMAGE = "Images shown as their description"
LIST_SHAPE = "Lists flattened or renumbered"
THEMATIC_BREAK = "Thematic breaks dropped"
CHAPTERS = "Chapters: the parts the text is divided into"


@dataclass
class ParseResult:
    """The blocks of a text, the decisions an editor should check (``unsure``) and, for
    Markdown with front matter, the work's metadata it gives (``title``, ``author``, …)."""

    blocks: list[Block]
    unsure: list[Doubt] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)


# A title longer than this is a sentence, not a heading.
HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 100

_ARTEFACT = re.compile(r"\[bookmark:[^\]\n]*\]", re.IGNORECASE)
# Tabs, no-break spaces and the typographic spaces all become one ordinary space.
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_TERMINAL = frozenset(".,;:!?…")
_SENTENCE_END = frozenset(".!?…")
_CLOSERS = "”’\"')]»"
_OPENERS = "“‘\"'([«"
_NUMBER_WORDS = (
    "One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|Twelve|"
    "First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth"
)
_NUMBERED_TITLE = re.compile(rf"^(?:{_NUMBER_WORDS}|[IVXLC]+|\d{{1,3}})[:.]\s+\S")
_CHAPTER_NUMBER_WORDS = (
    "One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|Twelve|Thirteen|Fourteen|"
    "Fifteen|Sixteen|Seventeen|Eighteen|Nineteen|Twenty|Thirty|Forty|Fifty"
)
# "Chapter Two", "CHAPTER 2", "Part I", "Book Three: The Years of War", "Chapter 12."
_CHAPTER_HEADING = re.compile(
    rf"^(?:chapter|part|book)\s+(?:(?:{_CHAPTER_NUMBER_WORDS})(?:[- ](?:{_NUMBER_WORDS}))?"
    r"|[IVXLC]+|\d{1,3})(?:\s*[:.–—-]\s*\S.*|\.)?$",
    re.IGNORECASE,
)
_LIST_MARKER = re.compile(r"^[-–—•]\s+")
# A dash glued to a capital or an opening quote: "-The distinction…" in the seed.
_GLUED_LIST_MARKER = re.compile(r"^[-–—•](?=[A-Z“‘\"'(])")


def read_source(path: str | Path) -> str:
    """Return the text of the file at ``path``.

    Raises ImportFileError when the file is missing, is not a regular file, is larger than
    ``settings.SCHOLIA_IMPORT_MAX_BYTES``, is binary (contains NUL bytes), is not UTF-8, or
    holds nothing but whitespace. A UTF-8 byte-order mark is dropped.
    """
    path = Path(path)
    if not path.exists():
        raise ImportFileError(f"{path}: no such file.")
    if not path.is_file():
        raise ImportFileError(f"{path}: not a regular file.")
    limit = settings.SCHOLIA_IMPORT_MAX_BYTES
    size = path.stat().st_size
    if size > limit:
        raise ImportFileError(
            f"{path}: the file is {size:,} bytes; the import limit is {limit:,} bytes "
            "(SCHOLIA_IMPORT_MAX_BYTES)."
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFileError(f"{path}: cannot be read ({error.strerror}).") from error
    if len(raw) > limit:
        raise ImportFileError(f"{path}: the file is larger than the import limit of {limit:,}.")
    if b"\x00" in raw:
        raise ImportFileError(f"{path}: this is a binary file, not text (it contains NUL bytes).")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"{path}: not UTF-8 text (invalid byte at offset {error.start}); "
            "save it as UTF-8 and import it again."
        ) from error
    if not text.strip():
        raise ImportFileError(f"{path}: the file is empty.")
    return text


def parse_text(text: str, *, markdown: bool = False) -> ParseResult:
    """Split ``text`` into blocks, plain text by heuristics or Markdown by its syntax.

    Every block's text is cleaned: ``[bookmark: …]`` artefacts are dropped and runs of spaces,
    tabs and no-break spaces become one space (except in a code block, kept as written);
    quotes, dashes and ellipses are kept as written. Blocks that would be empty are dropped.
    """
    if markdown:
        return _parse_markdown(text.lstrip("\ufeff"))
    return _parse_plain([_clean(line) for line in text.lstrip("\ufeff").splitlines()])


def _clean(line: str) -> str:
    return _SPACES.sub(" ", _ARTEFACT.sub("", line)).strip()


def _quote_start(text: str, limit: int = 60) -> str:
    if len(text) <= limit:
        return f"“{text}”"
    return f"“{text[:limit].rstrip()}…”"


def _quote_end(text: str, limit: int = 40) -> str:
    if len(text) <= limit:
        return f"“{text}”"
    return f"“…{text[-limit:].lstrip()}”"


def _ends_with_terminal(text: str, marks: frozenset[str] = _TERMINAL) -> bool:
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in marks


def _first_letter(text: str) -> str:
    return text.lstrip(_OPENERS)[:1]


def _starts_lowercase(text: str) -> bool:
    return text[:1].islower()


def _is_short(text: str) -> bool:
    return len(text) <= HEADING_MAX_CHARS and len(text.split()) <= HEADING_MAX_WORDS


# ---------------------------------------------------------------------------------------------
# Plain text


@dataclass
class _Line:
    number: int  # 1-based, of the first source line
    text: str
    last_number: int


def _join_broken_lines(lines: list[str], unsure: list[tuple[int, Doubt]]) -> list[_Line]:
    """Every non-empty line is a block, except a line broken off mid-sentence: one ending
    without punctuation whose very next line starts in lower case is joined to it."""
    joined: list[_Line] = []
    previous_blank = True
    for number, text in enumerate(lines, start=1):
        if not text:
            previous_blank = True
            continue
        last = joined[-1] if joined else None
        if (
            last is not None
            and not previous_blank
            and not _ends_with_terminal(last.text)
            and _starts_lowercase(text)
        ):
            message = (
                f"lines {last.last_number}–{number}: joined into one paragraph (the first "
                f"ends without punctuation, the next starts in lower case): "
                f"{_quote_end(last.text)} + {_quote_start(text)}"
            )
            unsure.append((last.last_number, Doubt(message, JOINED)))
            last.text = f"{last.text} {text}"
            last.last_number = number
        else:
            joined.append(_Line(number=number, text=text, last_number=number))
        previous_blank = False
    return joined


def _list_item_text(text: str) -> tuple[str, bool] | None:
    """The item's text without its marker, and whether the marker was doubtful."""
    spaced = _LIST_MARKER.match(text)
    if spaced:
        return text[spaced.end() :], False
    if _GLUED_LIST_MARKER.match(text):
        return text[1:], True
    return None


def _parse_plain(lines: list[str]) -> ParseResult:
    unsure: list[tuple[int, Doubt]] = []  # (source line, message), reported in line order
    logical = _join_broken_lines(lines, unsure)
    blocks: list[Block] = []
    seen_body = False  # a paragraph or list item has been seen: the front matter is over
    front_headings = 0
    seen_section = False
    chapters: list[tuple[int, str]] = []  # (source line, heading) of each chapter heading

    for index, line in enumerate(logical):
        text = line.text
        following = logical[index + 1].text if index + 1 < len(logical) else None
        where = f"line {line.number}"

        item = _list_item_text(text)
        if item is not None:
            item_text, glued = item
            if not item_text:
                continue
            if glued:
                message = f"list item (a dash with no space after it): {_quote_start(item_text)}"
                unsure.append((line.number, Doubt(f"{where}: {message}", GLUED_ITEM)))
            blocks.append(Block(BlockKind.LIST_ITEM.value, None, item_text))
            seen_body = True
            continue

        if _is_chapter_heading(text, following):
            # A chapter opens a part of its own: the top level, as the first heading is,
            # and the short line right after it is its title, at the same level.
            blocks.append(Block(BlockKind.HEADING.value, CHAPTER_LEVEL, text))
            chapters.append((line.number, text))
            message = (
                f"{where}: chapter heading, level {CHAPTER_LEVEL} (it names a chapter, part "
                f"or book and its number): {_quote_start(text, HEADING_MAX_CHARS)}"
            )
            unsure.append((line.number, Doubt(message, HEADING)))
            seen_body = False
            seen_section = False
            front_headings = max(front_headings, 1)
            continue

        heading_reason = _heading_reason(text, following, blocks)
        if heading_reason is not None:
            numbered = bool(_NUMBERED_TITLE.match(text))
            if not seen_body and not numbered:
                level = 2
                front_headings += 1
                role = "chapter heading"
            else:
                section_level = 3 if front_headings else 2
                if numbered and seen_section:
                    level = section_level + 1
                    role = "numbered sub-heading"
                else:
                    level = section_level
                    role = "section heading"
                    seen_section = True
            message = f"{role}, level {level} ({heading_reason})"
            quoted = _quote_start(text, HEADING_MAX_CHARS)
            unsure.append((line.number, Doubt(f"{where}: {message}: {quoted}", HEADING)))
            blocks.append(Block(BlockKind.HEADING.value, level, text))
            continue

        if not _ends_with_terminal(text):
            message = "kept as a paragraph although it ends without punctuation"
            doubt = Doubt(f"{where}: {message}: {_quote_end(text)}", NO_PUNCTUATION)
            unsure.append((line.number, doubt))
        if _starts_lowercase(_first_letter(text)):
            message = (
                "kept as a paragraph although it starts in lower case "
                "(is it the end of the previous one?)"
            )
            doubt = Doubt(f"{where}: {message}: {_quote_start(text)}", LOWER_CASE)
            unsure.append((line.number, doubt))
        blocks.append(Block(BlockKind.PARAGRAPH.value, None, text))
        seen_body = True

    unsure.extend(_chapter_decisions(blocks, chapters))
    unsure.sort(key=lambda doubt: doubt[0])
    return ParseResult(blocks=blocks, unsure=[message for _, message in unsure])


# The level the plain-text importer gives a chapter, as it always gave the first heading.
CHAPTER_LEVEL = 2


def _is_chapter_heading(text: str, following: str | None) -> bool:
    return (
        bool(_CHAPTER_HEADING.match(text))
        and _is_short(text)
        and following is not None
        and not _starts_lowercase(following)
    )


def _chapter_decisions(
    blocks: list[Block], headings: list[tuple[int | None, str]]
) -> list[tuple[int, Doubt]]:
    """What the import decided of the text's parts, for the report: each part with the
    line its heading is on (``headings``: (line, words) of each heading that may open one,
    in order), or nothing when the text is one part."""
    bounds = part_bounds(blocks)
    if len(bounds) < 2:
        return []
    lines = {}
    for line, words in headings:
        lines.setdefault(words, []).append(line)
    decisions = []
    for number, part in enumerate(bounds, start=1):
        opening = blocks[part.heading_index].text if part.heading_index is not None else ""
        found = lines.get(opening) or [None]
        line = found.pop(0) if len(found) > 1 else found[0]
        where = f"line {line}" if line is not None else "start"
        message = (
            f"{where}: chapter {number} of {len(bounds)}, a page of its own "
            f"({part.end - part.start} blocks): {_quote_start(part.title, HEADING_MAX_CHARS)}"
        )
        decisions.append((line or 0, Doubt(message, CHAPTERS)))
    return decisions


def _heading_reason(text: str, following: str | None, blocks: list[Block]) -> str | None:
    """Why ``text`` reads as a heading, or None if it reads as a paragraph.

    A heading is short, starts with a capital or a digit and introduces what follows, so it
    is never the last line and the next line does not continue it in lower case. It ends
    without punctuation, except that a title may be a question — then only when the block
    before it ends a sentence, since a question inside running prose also ends with "?".
    """
    if not _is_short(text) or following is None or _starts_lowercase(following):
        return None
    first = _first_letter(text)
    if not (first.isupper() or first.isdigit()):
        return None
    if not _ends_with_terminal(text):
        return "short line without final punctuation"
    if text.rstrip(_CLOSERS).endswith("?"):
        previous = blocks[-1] if blocks else None
        if (
            previous is None
            or previous.kind == BlockKind.HEADING
            or _ends_with_terminal(previous.text, _SENTENCE_END)
        ):
            return "short question standing alone between finished blocks"
    return None


# ---------------------------------------------------------------------------------------------
# Markdown


_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])

_FRONT_MATTER_OPEN = "---"
_FRONT_MATTER_CLOSE = ("---", "...")
_FRONT_MATTER_FIELD = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
# What front matter may set on the work; the command line's options win over it.
FRONT_MATTER_FIELDS = ("title", "subtitle", "author", "publisher", "year", "language")
_FOOTNOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")
_FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_IMAGE = re.compile(r"!\[[^\]]*\]\(")


def _front_matter(lines: list[str], unsure: list[Doubt]) -> dict[str, str]:
    """Read a leading ``---`` block of ``key: value`` lines and blank its lines in place,
    so that the line numbers of the rest stay those of the file."""
    if not lines or lines[0].strip() != _FRONT_MATTER_OPEN:
        return {}
    end = next((n for n in range(1, len(lines)) if lines[n].strip() in _FRONT_MATTER_CLOSE), None)
    if end is None:
        return {}
    metadata: dict[str, str] = {}
    for number in range(1, end):
        line = lines[number]
        found = _FRONT_MATTER_FIELD.match(line)
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if found is None:
            message = f"line {number + 1}: front matter line not understood: {line!r}"
            unsure.append(Doubt(message, FRONT_MATTER))
            continue
        name, value = found.group(1).lower(), _clean(found.group(2).strip("\"'"))
        if name in FRONT_MATTER_FIELDS and value:
            metadata[name] = value
        else:
            message = f"line {number + 1}: front matter field {name!r} not used"
            unsure.append(Doubt(message, FRONT_MATTER))
    for number in range(end + 1):
        lines[number] = ""
    return metadata


def _mark_footnotes(lines: list[str], unsure: list[Doubt]) -> None:
    """Footnotes cannot be represented yet: each definition is kept as a paragraph of its
    own, as written (CommonMark would take it for a link definition and drop it), each
    reference is kept as written in its sentence, and both are reported."""
    for index, line in enumerate(lines):
        definition = _FOOTNOTE_DEFINITION.match(line)
        if definition:
            lines[index] = "\\" + line.lstrip(" ")
            message = (
                f"line {index + 1}: footnote [^{definition.group(1)}] kept as a paragraph, "
                "as written (footnotes are not supported yet)"
            )
            unsure.append(Doubt(message, FOOTNOTE))
            continue
        for reference in _FOOTNOTE_REFERENCE.finditer(line):
            message = (
                f"line {index + 1}: footnote reference [^{reference.group(1)}] kept in the "
                "text as written (footnotes are not supported yet)"
            )
            unsure.append(Doubt(message, FOOTNOTE))


def _inline_block(kind: str, level: int | None, source: str) -> Block | None:
    """A block from inline Markdown: the words it shows, and its source when that renders
    as more than the words."""
    source = _clean(source.replace("\n", " "))
    if not source:
        return None
    text = _clean(plain_text(source))
    if not text:
        return None
    return Block(kind, level, text, "" if text == source else source)


def _parse_markdown(source: str) -> ParseResult:
    """Headings at their level (ATX and setext), paragraphs, list items (bulleted and
    numbered), block quotes, fenced and indented code, tables; the lines of one block are
    joined with a space. Inline markup (emphasis, links, code spans) is kept as
    ``markup``."""
    unsure: list[Doubt] = []
    lines = source.splitlines()
    metadata = _front_matter(lines, unsure)
    _mark_footnotes(lines, unsure)
    for index, line in enumerate(lines):
        if _IMAGE.search(line):
            message = f"line {index + 1}: image shown as its description (alt text)"
            unsure.append(Doubt(message, IMAGE))
    tokens = _markdown.parse("\n".join(lines))

    blocks: list[Block] = []
    quote_depth = 0
    lists: list[dict] = []  # open lists, innermost last: {"ordered", "expected"}
    item_paragraphs = 0
    table: list[list[str]] | None = None
    table_lines = (0, 0)
    heading_lines: list[tuple[int | None, str]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        line = token.map[0] + 1 if token.map else None
        if kind == "heading_open":
            block = _inline_block(
                BlockKind.HEADING.value, int(token.tag[1]), tokens[index + 1].content
            )
            if block is not None:
                blocks.append(block)
                heading_lines.append((line, block.text))
            index += 3
            continue
        if kind == "blockquote_open":
            quote_depth += 1
        elif kind == "blockquote_close":
            quote_depth -= 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            start = int(token.attrs.get("start", 1)) if ordered else 1
            if lists:
                message = f"line {line}: nested list flattened into the list around it"
                unsure.append(Doubt(message, LIST_SHAPE))
            elif ordered and start != 1:
                message = f"line {line}: numbered list starting at {start} numbered from 1"
                unsure.append(Doubt(message, LIST_SHAPE))
            lists.append({"ordered": ordered, "expected": start})
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            item_paragraphs = 0
            current = lists[-1]
            if current["ordered"]:
                if token.info and int(token.info) != current["expected"]:
                    message = (
                        f"line {line}: numbered item {token.info} numbered "
                        f"{current['expected']} (items are numbered in order)"
                    )
                    unsure.append(Doubt(message, LIST_SHAPE))
                current["expected"] += 1
        elif kind == "paragraph_open":
            inline = tokens[index + 1].content
            if lists:
                item_paragraphs += 1
                if item_paragraphs > 1:
                    message = f"line {line}: a list item's next paragraph made an item"
                    unsure.append(Doubt(message, LIST_SHAPE))
                ordered = lists[0]["ordered"]  # a nested list takes the outer one's kind
                block_kind = BlockKind.ORDERED_ITEM if ordered else BlockKind.LIST_ITEM
            elif quote_depth:
                block_kind = BlockKind.QUOTE
            else:
                block_kind = BlockKind.PARAGRAPH
            block = _inline_block(block_kind.value, None, inline)
            if block is not None:
                blocks.append(block)
            index += 3
            continue
        elif kind in ("fence", "code_block"):
            code = token.content.rstrip("\n")
            if code.strip():
                blocks.append(Block(BlockKind.CODE.value, None, code))
        elif kind == "table_open":
            table, table_lines = [], token.map
        elif kind == "tr_open" and table is not None:
            table.append([])
        elif kind == "inline" and table is not None:
            table[-1].append(_clean(plain_text(token.content)))
        elif kind == "table_close" and table is not None:
            table_source = "\n".join(_clean(raw) for raw in lines[slice(*table_lines)])
            text = "\n".join(" | ".join(cells) for cells in table)
            blocks.append(Block(BlockKind.TABLE.value, None, text, table_source))
            table = None
        elif kind == "hr":
            message = f"line {line}: thematic break {_quote_start(lines[line - 1].strip())} dropped"
            unsure.append(Doubt(message, THEMATIC_BREAK))
        index += 1
    unsure.extend(doubt for _line, doubt in _chapter_decisions(blocks, heading_lines))
    return ParseResult(blocks=blocks, unsure=unsure, metadata=metadata)
