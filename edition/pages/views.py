"""Reading pages: the list of works and a version of a work (a paragraph's pages are in
``edition.pages.paragraphs``)."""

from dataclasses import dataclass, replace
from functools import cache as cache_once
from functools import partial
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from config.site.caching import COUNTS, DISCUSSION, cache_for_anonymous
from edition.access import get_version_for_user, get_work_for_user
from edition.contents import nest_headings
from edition.extensions import (
    LAYER_PARAMETERS,
    paragraph_comment_counts,
    part_comment_counts,
    reading_layer,
)
from edition.models import BlockKind, Version, Work
from edition.numbering import passage_label
from edition.pages import shared_page
from edition.pages.chapters import chapter_navigation, fill_chapter_counts
from edition.pages.removed_passages import passages_removed_named
from edition.parts import part_url, version_parts
from edition.places import place_keep, place_of
from edition.reading import version_rows
from edition.rendering import fill_count_slots, rendered_text

# The query parameters the reading page reads: the passage whose discussion is open, and,
# on a divided work's title page, a passage to go to (an old in-page anchor).
DISCUSSION_PARAMETER = "discussion"
PLACE_PARAMETER = "at"


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


def heading_tag_level(level: int | None, top: int = 1) -> int:
    """Headings of the text sit under the page's one <h1>, so they are h2 to h6: the
    version's top level (``top``) is h2 and each level below it one step deeper, as far
    as h6."""
    return min(max((level or top) - top + 2, 2), 6)


def text_permalink_prefix(work: Work) -> str:
    return reverse("edition:paragraph-detail", kwargs={"slug": work.slug, "key": "p0"})[:-3]


def read_version_blocks(version: Version, read_rows=None) -> list[Block]:
    """The blocks of ``version`` in order, numbered (see ``edition.reading.version_rows``;
    ``read_rows()``, when given, returns them)."""
    # One reverse() for the page rather than one per paragraph: pages run to 1,000 blocks.
    permalink_prefix = text_permalink_prefix(version.work)
    rows = read_rows() if read_rows else version_rows(version)
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


def render_version(
    request: HttpRequest, work: Work, version: Version, chapter: str | None = None
) -> HttpResponse:
    """Render the reading template; its query count does not grow with the text.

    A text divided into chapters (``edition.parts``) is read one chapter a page: without
    ``chapter`` the page is the work's title page and contents (``render_title_page``); a
    ``chapter`` slug the version does not have is a 404, as is any ``chapter`` of an
    undivided text.

    The template receives ``work``, ``version``, ``versions`` (published, for the
    switcher), ``text_html``, ``toc``, ``reading_url`` (this page without its query) and
    ``discussion``: the key of the passage whose discussion is open, from the
    ``?discussion=`` parameter, or None (a key not in this version redirects to the page
    without it; a key of another chapter to that chapter's page), and ``removed``, the
    passages this version took out, with their labels
    (``edition.pages.removed_passages``),
    and ``layer_query``: the layer of the discussion the reader chose (``?group=<slug>``,
    see ``edition.extensions.reading_layer``), kept on the page's links, or "";
    on a chapter's page also ``chapter`` (the part), ``chapters`` (``ChapterNavigation``:
    the contents, previous and next).
    Raises Http404 for a layer the reader may not read.
    """
    layer = reading_layer(request, work)
    is_current = version.pk == work.current_version_id
    version_url = work.get_absolute_url() if is_current else version.get_absolute_url()
    # The rows are read once whatever needs them on a miss: the parts, the text, contents.
    read_rows = cache_once(partial(version_rows, version))
    parts = version_parts(version, read_rows)
    part = None
    if parts.is_divided:
        if chapter is None:
            return render_title_page(request, work, version, parts, version_url, layer, read_rows)
        part = parts.by_slug(chapter)
        if part is None:
            raise Http404("This version has no such chapter.")
    elif chapter is not None:
        raise Http404("This work is not divided into chapters.")

    def build():
        blocks = read_version_blocks(version, read_rows)
        if part is None:
            headings = [block for block in blocks if block.kind == BlockKind.HEADING]
            return blocks, group_list_items(blocks), nest_headings(headings)
        blocks = blocks[part.start : part.end]
        return blocks, group_list_items(blocks), []

    place = request.GET.get(PLACE_PARAMETER)
    if place is not None:
        # Read on the title page only; here it goes where the passage is, or away.
        holder = parts.of_key(place)
        if holder is None:
            return redirect(request.path)
        return redirect(f"{part_url(version_url, holder, parts)}#{place}")
    text = rendered_text(version, work, build, part=part.slug if part else "")
    reading_url = part_url(version_url, part, parts)
    discussion = request.GET.get(DISCUSSION_PARAMETER)
    if discussion is not None and discussion not in text.paragraph_ids:
        # Only a passage of this page is a page of its own (and cached): a passage of
        # another chapter goes to that chapter, any other key to the text, in the same
        # layer, so that made-up keys store nothing and a shared link to a passage since
        # removed still lands on the text.
        holder = parts.of_key(discussion) if part is not None else None
        if holder is not None:
            query = urlencode({DISCUSSION_PARAMETER: discussion})
            target = f"{part_url(version_url, holder, parts)}?{query}"
            return redirect(f"{target}&{layer.query}" if layer else target)
        return redirect(f"{request.path}?{layer.query}" if layer else request.path)
    if discussion is not None and is_current and request.user.is_authenticated:
        # Opening a passage's discussion is reading there: a place kept without JavaScript.
        place_keep(user=request.user, work=work, key=discussion)
    paragraph_ids = text.paragraph_ids.values()
    margin = shared_page.Margin(
        paragraph_comment_counts(request.user, paragraph_ids, version),
        layer.counts(paragraph_ids, version) if layer else None,
        layer.waiting(paragraph_ids, version) if layer else None,
    )
    # What filling the margin's links takes besides the counts (the links escape their own
    # parts).
    fill = {
        "permalink_prefix": text_permalink_prefix(work),
        "reading_path": reading_url,
        "query": "" if is_current else f"?version={version.number}",
        "layer_name": layer.name if layer else "",
        "layer_query": layer.query if layer else "",
    }

    def with_counts(html: str) -> str:
        return fill_count_slots(
            replace(text, html=html),
            margin.counts,
            layer_counts=margin.layer_counts,
            layer_waiting=margin.layer_waiting,
            **fill,
        )

    context = {
        "work": work,
        "version": version,
        "toc": text.toc,
        "reading_url": reading_url,
        "discussion": discussion,
        "layer_query": layer.query if layer else "",
    }
    if part is not None:
        context["chapter"] = part
        context["chapters"] = chapter_navigation(
            version, parts, version_url, part, layer.query if layer else "", read_rows
        )
        context["reading_root"] = f"{version_url}?{layer.query}" if layer else version_url
    if shared_page.applies(request, version, discussion):
        page = shared_page.shared_page(
            request,
            version,
            context["layer_query"],
            lambda: {**context, **_shared_parts(text, version, part)},
            part=part.slug if part is not None else "",
        )
        if page is not None:
            return shared_page.page_for_reader(
                request,
                page,
                context,
                shared_page.SharedText.of(page, text.paragraph_ids, text.labels, fill),
                margin,
                # Everybody's counts, for the page kept for every reader outside a layer.
                None if layer else partial(paragraph_comment_counts, None, paragraph_ids, version),
            )
    # Rendered by an autoescaping template.
    context.update(_shared_parts(text, version, part), text_html=mark_safe(with_counts(text.html)))
    return render(request, "edition/work_detail.html", context)


def _shared_parts(text, version: Version, part) -> dict:
    """What the page shows the same to every reader, beside the text and its contents (the
    passages the version removed: on the title page of a work in chapters, not on theirs)."""
    return {
        "versions": list(
            Version.objects.published().filter(work=version.work).only("number", "published_at")
        ),
        "text_html": mark_safe(text.html),
        "removed": passages_removed_named(version) if part is None else [],
    }


def render_title_page(
    request: HttpRequest,
    work: Work,
    version: Version,
    parts,
    version_url: str,
    layer,
    read_rows=None,
) -> HttpResponse:
    """The title page and contents of a work divided into chapters.

    ``?discussion=<key>`` and ``?at=<key>`` (an old in-page anchor, sent by the page's
    script) go to the chapter that holds the passage; a key this version lacks goes to the
    title page without it.
    """
    layer_query = layer.query if layer else ""
    for parameter in (DISCUSSION_PARAMETER, PLACE_PARAMETER):
        key = request.GET.get(parameter)
        if key is None:
            continue
        holder = parts.of_key(key)
        if holder is None:
            return redirect(f"{request.path}?{layer_query}" if layer_query else request.path)
        target = part_url(version_url, holder, parts)
        query = "&".join(
            part
            for part in (
                urlencode({DISCUSSION_PARAMETER: key}) if parameter == DISCUSSION_PARAMETER else "",
                layer_query,
            )
            if part
        )
        return redirect(f"{target}{'?' if query else ''}{query}#{key}")
    context = {
        "work": work,
        "version": version,
        "versions": list(
            Version.objects.published().filter(work=work).only("number", "published_at")
        ),
        "reading_url": version_url,
        "discussion": None,
        "removed": passages_removed_named(version),
        "layer_query": layer_query,
        "chapters": chapter_navigation(version, parts, version_url, None, layer_query, read_rows),
        "reading_root": f"{version_url}?{layer_query}" if layer_query else version_url,
        # The reader's own place, on this page rendered for them alone (never shared).
        "place": place_of(request.user, work) if version.pk == work.current_version_id else None,
    }
    counted = parts.counted()
    layer_counts = None
    if layer:
        # One query for the whole book: the layer's counts are never kept.
        by_paragraph = layer.counts([pid for _slug, ids in counted for pid in ids], version)
        layer_counts = {slug: sum(by_paragraph.get(pid, 0) for pid in ids) for slug, ids in counted}
    navigation = context["chapters"]
    navigation.contents_html = fill_chapter_counts(
        navigation.contents_html,
        part_comment_counts(request.user, version, counted),
        layer_counts,
        layer.name if layer else "",
    )
    return render(request, "edition/work_title_page.html", context)


def work_list(request: HttpRequest) -> HttpResponse:
    # Each work links to its current version, so the list holds the works that have one.
    works = Work.objects.published().select_related("current_version")
    return render(request, "edition/work_list.html", {"works": works})


# The reading page shows the counts in its margin; opened on a passage (``discussion``) it
# shows that passage's comments too.
# A layer (``?group=``) is read too, so that it is keyed: an anonymous reader may read none,
# and the 404 they get is never stored.
_for_anonymous = cache_for_anonymous(
    params=(*LAYER_PARAMETERS, PLACE_PARAMETER),
    shows=(COUNTS,),
    shows_with_param={"discussion": (DISCUSSION,)},
)
# A signed-in reader's part of the page is kept for them (``edition.pages.shared_page``).
_for_readers = shared_page.kept_for_readers(unkept=(DISCUSSION_PARAMETER, PLACE_PARAMETER))


def reading_page_cache(view):
    return _for_anonymous(_for_readers(view))


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


@reading_page_cache
def chapter_detail(request: HttpRequest, slug: str, chapter: str) -> HttpResponse:
    work = get_work_for_user(request.user, slug)
    if work.current_version is None:
        raise Http404("This work has no published version yet.")
    work.current_version.work = work
    return render_version(request, work, work.current_version, chapter)


@reading_page_cache
def version_chapter_detail(
    request: HttpRequest, slug: str, number: int, chapter: str
) -> HttpResponse:
    version = get_version_for_user(request.user, slug, number)
    return render_version(request, version.work, version, chapter)
