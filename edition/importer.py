"""Turn a plain-text or Markdown file into the blocks of a version.

Plain text comes from word-processor exports and carries their mess: bookmark artefacts,
runs of spaces and non-breaking spaces, paragraphs separated by one newline or by blank
lines, sentences broken across two lines, headings told apart from paragraphs only by being
short. ``parse_text`` cleans that up with general rules and reports every decision it was
not sure of in ``ParseResult.unsure`` so an editor can check them. Markdown is explicit and
is parsed as written.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from edition.models import BlockKind, revision_checksum


class ImportFileError(ValueError):
    """A source file that cannot be imported; the message says why, for the person importing."""


@dataclass(frozen=True)
class Block:
    """One block of a version: a heading (with its level 1..6), paragraph, list item or quote."""

    kind: str
    level: int | None
    text: str

    @property
    def checksum(self) -> str:
        return revision_checksum(self.kind, self.level, self.text)


@dataclass
class ParseResult:
    blocks: list[Block]
    unsure: list[str] = field(default_factory=list)


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
_LIST_MARKER = re.compile(r"^[-–—•]\s+")
# A dash glued to a capital or an opening quote: "-The distinction…" in the seed.
_GLUED_LIST_MARKER = re.compile(r"^[-–—•](?=[A-Z“‘\"'(])")

_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_MD_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_MD_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_MD_QUOTE = re.compile(r"^ {0,3}>")
_MD_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$")


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
    tabs and no-break spaces become one space; quotes, dashes and ellipses are kept as
    written. Blocks that would be empty are dropped.
    """
    lines = [_clean(line) for line in text.lstrip("\ufeff").splitlines()]
    if markdown:
        return _parse_markdown(lines)
    return _parse_plain(lines)


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


def _join_broken_lines(lines: list[str], unsure: list[tuple[int, str]]) -> list[_Line]:
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
            unsure.append(
                (
                    last.last_number,
                    f"lines {last.last_number}–{number}: joined into one paragraph (the first "
                    f"ends without punctuation, the next starts in lower case): "
                    f"{_quote_end(last.text)} + {_quote_start(text)}",
                )
            )
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
    unsure: list[tuple[int, str]] = []  # (source line, message), reported in line order
    logical = _join_broken_lines(lines, unsure)
    blocks: list[Block] = []
    seen_body = False  # a paragraph or list item has been seen: the front matter is over
    front_headings = 0
    seen_section = False

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
                unsure.append((line.number, f"{where}: {message}"))
            blocks.append(Block(BlockKind.LIST_ITEM.value, None, item_text))
            seen_body = True
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
            unsure.append((line.number, f"{where}: {message}: {quoted}"))
            blocks.append(Block(BlockKind.HEADING.value, level, text))
            continue

        if not _ends_with_terminal(text):
            message = "kept as a paragraph although it ends without punctuation"
            unsure.append((line.number, f"{where}: {message}: {_quote_end(text)}"))
        if _starts_lowercase(_first_letter(text)):
            message = (
                "kept as a paragraph although it starts in lower case "
                "(is it the end of the previous one?)"
            )
            unsure.append((line.number, f"{where}: {message}: {_quote_start(text)}"))
        blocks.append(Block(BlockKind.PARAGRAPH.value, None, text))
        seen_body = True

    unsure.sort(key=lambda doubt: doubt[0])
    return ParseResult(blocks=blocks, unsure=[message for _, message in unsure])


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


def _parse_markdown(lines: list[str]) -> ParseResult:
    """ATX and setext headings, ``-``/``*``/``+``/``1.`` list items, ``>`` block quotes and
    paragraphs separated by blank lines; the lines of one block are joined with a space.
    Inline markup (emphasis, links) is kept as written."""
    unsure: list[str] = []
    blocks: list[Block] = []
    open_kind: str | None = None
    open_parts: list[str] = []

    def close() -> None:
        nonlocal open_kind, open_parts
        text = " ".join(part for part in open_parts if part)
        if open_kind is not None and text:
            blocks.append(Block(open_kind, None, text))
        open_kind, open_parts = None, []

    for number, line in enumerate(lines, start=1):
        if not line:
            close()
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            close()
            text = (heading.group(2) or "").strip()
            if text:
                blocks.append(Block(BlockKind.HEADING.value, len(heading.group(1)), text))
            continue
        setext = _MD_SETEXT.match(line)
        if setext and open_kind == BlockKind.PARAGRAPH.value:
            text = " ".join(open_parts)
            level = 1 if setext.group(1).startswith("=") else 2
            blocks.append(Block(BlockKind.HEADING.value, level, text))
            open_kind, open_parts = None, []
            continue
        if _MD_BREAK.match(line):
            close()
            unsure.append(f"line {number}: thematic break {_quote_start(line)} dropped")
            continue
        if _MD_QUOTE.match(line):
            content = re.sub(r"^(?: {0,3}> ?)+", "", line).strip()
            if not content:
                close()
                continue
            if open_kind != BlockKind.QUOTE.value:
                close()
                open_kind = BlockKind.QUOTE.value
            open_parts.append(content)
            continue
        item = _MD_LIST_ITEM.match(line)
        if item:
            close()
            open_kind = BlockKind.LIST_ITEM.value
            open_parts.append(item.group(1).strip())
            continue
        if open_kind is None:
            open_kind = BlockKind.PARAGRAPH.value
        open_parts.append(line)
    close()
    return ParseResult(blocks=blocks, unsure=unsure)
