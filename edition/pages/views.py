"""Reading pages: the list of works and a version of a work (a paragraph's pages are in
``edition.pages.paragraphs``)."""

from dataclasses import dataclass, field, replace

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from config.site.caching import COUNTS, DISCUSSION, cache_for_anonymous
from edition.access import get_version_for_user, get_work_for_user
from edition.extensions import LAYER_PARAMETERS, paragraph_comment_counts, reading_layer
from edition.models import BlockKind, Version, Work
from edition.numbering import passage_label
from edition.pages import shared_page
from edition.pages.removed_passages import passages_removed_named
from edition.reading import version_rows
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
    html: str = ""  # safe HTML of the content (see edition.inline)
    label: str = ""  # what readers call it: "¶ 4", or a heading's words


@dataclass
class ListGroup:
    """Consecutive list items, rendered as one <ul>, or as one <ol> for numbered items."""

    items: list[Block]
    kind: str = "list"


@dataclass
class TocEntry:
    key: str
    text: str
    level: int
    children: list["TocEntry"] = field(default_factory=list)


def heading_tag_level(level: int | None, top: int = 1) -> int:
    """Headings of the text sit under the page's one <h1>, so they are h2 to h6: the
    version's top level (``top``) is h2 and each level below it one step deeper, as far
    as h6."""
    return min(max((level or top) - top + 2, 2), 6)


def text_permalink_prefix(work: Work) -> str:
    return reverse("edition:paragraph-detail", kwargs={"slug": work.slug, "key": "p0"})[:-3]


def read_version_blocks(version: Version) -> list[Block]:
    """The blocks of ``version`` in order, numbered (see ``edition.reading.version_rows``)."""
    # One reverse() for the page rather than one per paragraph: pages run to 1,000 blocks.
    permalink_prefix = text_permalink_prefix(version.work)
    rows = version_rows(version)
    top = min((row.level for row in rows if row.kind == BlockKind.HEADING), default=1)
    blocks = []
    for row in rows:
        block = Block(
            row.paragraph_id,
            row.key,
            row.kind,
            row.level,
            row.text,
            number=row.number,
            permalink=f"{permalink_prefix}{row.key}/",
            html=row.html,
        )
        if row.kind == BlockKind.HEADING:
            block.level = heading_tag_level(row.level, top)
        block.label = passage_label(row.kind, row.number, row.text)
        blocks.append(block)
    return blocks


def group_list_items(blocks: list[Block]) -> list[Block | ListGroup]:
    grouped: list[Block | ListGroup] = []
    for block in blocks:
        group_kind = _LIST_GROUPS.get(block.kind)
        if group_kind is None:
            grouped.append(block)
        elif grouped and isinstance(grouped[-1], ListGroup) and grouped[-1].kind == group_kind:
            grouped[-1].items.append(block)
        else:
            grouped.append(ListGroup(items=[block], kind=group_kind))
    return grouped


_LIST_GROUPS = {BlockKind.LIST_ITEM: "list", BlockKind.ORDERED_ITEM: "ordered_list"}


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
    ``?discussion=`` parameter, or None (a key not in this version redirects to the page
    without it), and ``removed``, the passages this version took out, with their labels
    (``edition.pages.removed_passages``),
    and ``layer_query``: the layer of the discussion the reader chose (``?group=<slug>``,
    see ``edition.extensions.reading_layer``), kept on the page's links, or "".
    Raises Http404 for a layer the reader may not read.
    """
    layer = reading_layer(request, work)

    def build():
        blocks = read_version_blocks(version)
        return blocks, group_list_items(blocks), table_of_contents(blocks)

    text = rendered_text(version, work, build)
    is_current = version.pk == work.current_version_id
    reading_url = work.get_absolute_url() if is_current else version.get_absolute_url()
    discussion = request.GET.get(DISCUSSION_PARAMETER)
    if discussion is not None and discussion not in text.paragraph_ids:
        # Only a passage of this version is a page of its own (and cached): any other key
        # goes to the text, in the same layer, so that made-up keys store nothing and a
        # shared link to a passage since removed still lands on the text.
        return redirect(f"{request.path}?{layer.query}" if layer else request.path)
    counts = paragraph_comment_counts(request.user, text.paragraph_ids.values(), version)
    permalink_prefix = text_permalink_prefix(work)
    query = "" if is_current else f"?version={version.number}"

    def with_counts(html: str) -> str:
        # The count links escape their own parts.
        return fill_count_slots(
            replace(text, html=html),
            counts,
            permalink_prefix=permalink_prefix,
            reading_path=reading_url,
            query=query,
            layer_counts=layer.counts(text.paragraph_ids.values(), version) if layer else None,
            layer_waiting=(layer.waiting(text.paragraph_ids.values(), version) if layer else None),
            layer_name=layer.name if layer else "",
            layer_query=layer.query if layer else "",
        )

    context = {
        "work": work,
        "version": version,
        "toc": text.toc,
        "reading_url": reading_url,
        "discussion": discussion,
        "layer_query": layer.query if layer else "",
    }
    if shared_page.applies(request, version, discussion):
        page = shared_page.shared_page(
            request,
            version,
            context["layer_query"],
            lambda: {**context, **_shared_parts(text, version)},
        )
        if page is not None:
            return shared_page.filled(
                with_counts(page), shared_page.personal_parts(request, context)
            )
    # Rendered by an autoescaping template.
    context.update(_shared_parts(text, version), text_html=mark_safe(with_counts(text.html)))
    return render(request, "edition/work_detail.html", context)


def _shared_parts(text, version: Version) -> dict:
    """What the page shows the same to every reader, beside the text and its contents."""
    return {
        "versions": list(
            Version.objects.published().filter(work=version.work).only("number", "published_at")
        ),
        "text_html": mark_safe(text.html),
        "removed": passages_removed_named(version),
    }


def work_list(request: HttpRequest) -> HttpResponse:
    # Each work links to its current version, so the list holds the works that have one.
    works = Work.objects.published().select_related("current_version")
    return render(request, "edition/work_list.html", {"works": works})


# The reading page shows the counts in its margin; opened on a passage (``discussion``) it
# shows that passage's comments too.
# A layer (``?group=``) is read too, so that it is keyed: an anonymous reader may read none,
# and the 404 they get is never stored.
reading_page_cache = cache_for_anonymous(
    params=LAYER_PARAMETERS, shows=(COUNTS,), shows_with_param={"discussion": (DISCUSSION,)}
)


@reading_page_cache
def work_detail(request: HttpRequest, slug: str) -> HttpResponse:
    work = get_work_for_user(request.user, slug)
    if work.current_version is None:
        raise Http404("This work has no published version yet.")
    work.current_version.work = work
    return render_version(request, work, work.current_version)


@reading_page_cache
def version_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    version = get_version_for_user(request.user, slug, number)
    return render_version(request, version.work, version)
