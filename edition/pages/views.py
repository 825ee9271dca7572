"""Reading pages: the list of works, a version of a work, and a paragraph's permalink page."""

from dataclasses import dataclass, field

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe

from edition.access import get_paragraph_for_user, get_version_for_user, get_work_for_user
from edition.caching import cache_for_anonymous
from edition.citation import paragraph_citation
from edition.extensions import paragraph_comment_counts
from edition.models import BlockKind, Paragraph, Version, VersionParagraph, Work
from edition.numbering import number_in_version, passage_label
from edition.rendering import fill_count_slots, rendered_text

# The one query parameter the reading page reads: the passage whose discussion is open.
DISCUSSION_PARAMETER = "discussion"


@dataclass
class Block:
    """One passage as the reading template receives it."""

    paragraph_id: int
    key: str
    kind: str
    level: int | None
    text: str
    number: int | None = None
    permalink: str = ""
    label: str = ""  # what readers call it: "¶ 4", or a heading's words


@dataclass
class ListGroup:
    """Consecutive list items, rendered as one <ul>."""

    items: list[Block]
    kind: str = "list"


@dataclass
class TocEntry:
    key: str
    text: str
    level: int
    children: list["TocEntry"] = field(default_factory=list)


def heading_tag_level(level: int | None) -> int:
    """Headings of the text sit under the page's one <h1>, so they are h2 to h6."""
    return min(max(level or 2, 2), 6)


def text_permalink_prefix(work: Work) -> str:
    return reverse("edition:paragraph-detail", kwargs={"slug": work.slug, "key": "p0"})[:-3]


def read_version_blocks(version: Version) -> list[Block]:
    """The blocks of ``version`` in order, numbered: one query whatever the length.

    A block's number is its position among the version's non-heading blocks (paragraphs,
    list items, quotes), so headings never take a number and the count reads like a book's.
    """
    rows = (
        VersionParagraph.objects.filter(version=version)
        .order_by("position")
        .values_list(
            "paragraph_id", "paragraph__key", "revision__kind", "revision__level", "revision__text"
        )
    )
    # One reverse() for the page rather than one per paragraph: pages run to 1,000 blocks.
    permalink_prefix = text_permalink_prefix(version.work)
    blocks, number = [], 0
    for paragraph_id, key, kind, level, text in rows:
        block = Block(paragraph_id, key, kind, level, text, permalink=f"{permalink_prefix}{key}/")
        if kind == BlockKind.HEADING:
            block.level = heading_tag_level(level)
        else:
            number += 1
            block.number = number
        block.label = passage_label(kind, block.number, text)
        blocks.append(block)
    return blocks


def group_list_items(blocks: list[Block]) -> list[Block | ListGroup]:
    grouped: list[Block | ListGroup] = []
    for block in blocks:
        if block.kind != BlockKind.LIST_ITEM:
            grouped.append(block)
        elif grouped and isinstance(grouped[-1], ListGroup):
            grouped[-1].items.append(block)
        else:
            grouped.append(ListGroup(items=[block]))
    return grouped


def table_of_contents(blocks: list[Block]) -> list[TocEntry]:
    """Nest the headings by level; a skipped level nests one step deeper, not two."""
    root = TocEntry(key="", text="", level=1)
    open_entries = [root]
    for block in blocks:
        if block.kind != BlockKind.HEADING:
            continue
        entry = TocEntry(key=block.key, text=block.text, level=block.level)
        while open_entries[-1].level >= entry.level:
            open_entries.pop()
        open_entries[-1].children.append(entry)
        open_entries.append(entry)
    return root.children


def render_version(request: HttpRequest, work: Work, version: Version) -> HttpResponse:
    """Render the reading template; its query count does not grow with the text.

    The template receives ``work``, ``version``, ``versions`` (published, for the
    switcher), ``text_html``, ``toc``, ``reading_url`` (this page without its query) and
    ``discussion``: the key of the passage whose discussion is open, from the
    ``?discussion=`` parameter, or None (also when the key is not in this version).
    """

    def build():
        blocks = read_version_blocks(version)
        return blocks, group_list_items(blocks), table_of_contents(blocks)

    text = rendered_text(version, work, build)
    counts = paragraph_comment_counts(request.user, text.paragraph_ids.values())
    permalink_prefix = text_permalink_prefix(work)
    is_current = version.pk == work.current_version_id
    query = "" if is_current else f"?version={version.number}"
    reading_url = work.get_absolute_url() if is_current else version.get_absolute_url()
    discussion = request.GET.get(DISCUSSION_PARAMETER)
    context = {
        "work": work,
        "version": version,
        "versions": list(
            Version.objects.published().filter(work=work).only("number", "published_at")
        ),
        # Rendered by an autoescaping template; the count links escape their own parts.
        "text_html": mark_safe(
            fill_count_slots(
                text,
                counts,
                permalink_prefix=permalink_prefix,
                reading_path=reading_url,
                query=query,
            )
        ),
        "toc": text.toc,
        "reading_url": reading_url,
        "discussion": discussion if discussion in text.paragraph_ids else None,
    }
    return render(request, "edition/work_detail.html", context)


def work_list(request: HttpRequest) -> HttpResponse:
    works = Work.objects.filter(current_version__status=Version.Status.PUBLISHED).select_related(
        "current_version"
    )
    return render(request, "edition/work_list.html", {"works": works})


@cache_for_anonymous
def work_detail(request: HttpRequest, slug: str) -> HttpResponse:
    work = get_work_for_user(request.user, slug)
    if work.current_version is None or not work.current_version.is_published:
        raise Http404("This work has no published version yet.")
    work.current_version.work = work
    return render_version(request, work, work.current_version)


@cache_for_anonymous
def version_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    version = get_version_for_user(request.user, slug, number)
    return render_version(request, version.work, version)


@dataclass
class Wording:
    """One wording of a paragraph and the published versions that carry it."""

    kind: str
    text: str
    version_numbers: list[int]
    is_current: bool = False


def paragraph_history(paragraph: Paragraph) -> tuple[list[VersionParagraph], list[Wording]]:
    """The paragraph's entries in published versions, oldest first, and its wordings.

    Identical wordings share one revision, so grouping by revision groups them; a wording
    is current when the work's current version carries it.
    """
    entries = list(
        VersionParagraph.objects.filter(
            paragraph=paragraph, version__status=Version.Status.PUBLISHED
        )
        .select_related("version", "revision")
        .order_by("version__number")
    )
    wordings: dict[int, Wording] = {}
    for entry in entries:
        wording = wordings.setdefault(
            entry.revision_id, Wording(entry.revision.kind, entry.revision.text, [])
        )
        wording.version_numbers.append(entry.version.number)
        if entry.version_id == paragraph.work.current_version_id:
            wording.is_current = True
    return entries, list(wordings.values())


@cache_for_anonymous
def paragraph_detail(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    paragraph = get_paragraph_for_user(request.user, slug, key)
    work = paragraph.work
    entries, wordings = paragraph_history(paragraph)
    if not entries:
        raise Http404("This paragraph is in no published version.")
    current = next((e for e in entries if e.version_id == work.current_version_id), None)
    # A passage gone from the current version is cited as it last appeared.
    cited = current or entries[-1]
    cited.version.work = work
    number = number_in_version(cited)
    url = request.build_absolute_uri(paragraph.get_absolute_url())
    citation = paragraph_citation(
        title=work.title,
        subtitle=work.subtitle,
        author=work.author,
        publisher=work.publisher,
        year=work.year,
        url=url,
        paragraph_key=paragraph.key,
        paragraph_number=number,
        version_number=cited.version.number,
    )
    reading_url = work.get_absolute_url() if current else cited.version.get_absolute_url()
    context = {
        "work": work,
        "paragraph": paragraph,
        "current": current,
        "cited": cited,
        "number": number,
        "label": passage_label(cited.revision.kind, number, cited.revision.text),
        "reading_url": f"{reading_url}#{paragraph.key}",
        "wordings": wordings,
        "stable_url": url,
        "citation": citation,
    }
    return render(request, "edition/paragraph_detail.html", context)
