"""A version as one Markdown file, its comments as numbered notes: for a group to read
offline, or for pandoc to turn into an EPUB."""

from commentary.annotations.exports import Export, author_name
from edition.models import BlockKind


def _indented(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.splitlines())


def markdown_document(export: Export, url: str) -> str:
    work = export.version.work
    lines = [f"# {work.title}", ""]
    if work.author:
        lines += [f"*{work.author}*", ""]
    if export.part is not None:
        lines += [f"{export.part.title} (chapter {export.part.number})", ""]
    lines += [f"Version {export.version.number}, from {url}", ""]
    notes: list[str] = []
    for row in export.rows:
        marks = ""
        for comment in export.comments_on(row.key):
            notes.append(_note(export, comment, len(notes) + 1))
            marks += f"[^{len(notes)}]"
        if row.kind == BlockKind.HEADING:
            lines.append(f"{'#' * min((row.level or 1) + 1, 6)} {row.text}{marks}")
        elif row.kind == BlockKind.LIST_ITEM:
            lines.append(f"- {row.text}{marks}")
        elif row.kind == BlockKind.QUOTE:
            lines.append(f"> {row.text}{marks}")
        else:
            lines.append(f"{row.text}{marks}")
        lines.append("")
    return "\n".join(lines + notes) + "\n"


def _note(export: Export, comment, number: int) -> str:
    def told(one, depth: int) -> str:
        # Replies are quoted one level deeper than what they answer.
        mark = "> " * depth
        quote = f" on “{one.quote_exact}”" if one.quote_start is not None else ""
        head = f"{mark}**{author_name(one)}** ({one.created_at:%Y-%m-%d}){quote}:"
        said = "\n".join(f"{mark}{line}".rstrip() for line in one.body.splitlines())
        replies = "".join(
            f"\n{mark.rstrip()}\n{told(reply, depth + 1)}" for reply in export.replies_to(one)
        )
        return f"{head}\n{mark.rstrip()}\n{said}{replies}"

    text = told(comment, 0)
    first, _, rest = text.partition("\n")
    return f"[^{number}]: {first}\n{_indented(rest)}\n"
