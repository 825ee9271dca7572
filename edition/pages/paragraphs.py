"""A paragraph's pages: its stable permalink, which resolves whichever versions hold it, and
the same paragraph pinned to one version; each with its history and its citation."""

from dataclasses import dataclass, replace

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from config.site.caching import DISCUSSION, cache_for_anonymous
from edition.access import get_paragraph_for_user, get_version_for_user
from edition.alignment import word_diff
from edition.citation import paragraph_citation
from edition.citation_formats import FORMAT_LABELS, highwire_tags
from edition.extensions import LAYER_PARAMETERS, reading_layer
from edition.models import Paragraph, Version, VersionParagraph
from edition.numbering import (
    label_on,
    labels_by_key,
    number_in_version,
    passage_label,
    passage_labels,
)
from edition.pages.citations import cited_paragraph
from edition.parts import passage_reading_url
from edition.reading import (
    ParagraphEvent,
    ParagraphHistory,
    Wording,
    paragraph_events,
    paragraph_history,
)

# What can happen to a passage in a published version, as the history tells it. Whether
# it was there and in which wording comes from the versions themselves; what the version's
# import recorded (``edition.reading.paragraph_events``) says where it came from or went.
ADDED = "added"
REWORDED = "reworded"
REMOVED = "removed"
MERGED = "merged"
RESTORED = "restored"
SPLIT_FROM = "split"
SPLIT_INTO = "split_off"
ABSORBED = "absorbed"
MOVED = "moved"


@dataclass(frozen=True)
class HistoryStep:
    """One wording of the paragraph and the word diff from the wording before it ([] for
    the first)."""

    wording: Wording
    diff: list[tuple[str, str]]


@dataclass(frozen=True)
class HistoryEvent:
    """What a published version did to the paragraph. ``key`` is the other paragraph: the
    one a merge took it into, one merged into it, the one it was split from or into;
    ``moved_from`` and ``moved_to`` are its labels (¶ 3) before and after a move."""

    kind: str
    version_number: int
    key: str | None = None
    moved_from: str = ""
    moved_to: str = ""
    label: str = ""  # what readers call the other paragraph: "¶ 5", or "¶ 2 on v5"


def history_steps(history: ParagraphHistory) -> list[HistoryStep]:
    steps, previous = [], None
    for wording in history.wordings:
        diff = word_diff(previous.text, wording.text) if previous is not None else []
        steps.append(HistoryStep(wording, diff))
        previous = wording
    return steps


def history_events(
    paragraph: Paragraph,
    history: ParagraphHistory,
    published_numbers: list[int],
    recorded: list[ParagraphEvent],
    merged_into: str | None = None,
) -> list[HistoryEvent]:
    """The published versions that added (or split off), reworded, moved, removed (or merged
    away) and restored the paragraph, and those that split a part off it or merged another
    into it, oldest first. ``recorded`` is ``paragraph_events(paragraph)``; ``merged_into``
    the key of the paragraph the current version shows it merged into, if any. Labels a
    move with one query, none without a move."""
    entry_in = {entry.version.number: entry for entry in history.entries}
    if not entry_in:
        return []
    by_version: dict[int, dict[str, ParagraphEvent]] = {}
    for event in recorded:
        by_version.setdefault(event.version_number, {}).setdefault(event.status, event)
    events: list[HistoryEvent] = []
    # (index in events, entry before the move, entry after it)
    moves: list[tuple[int, VersionParagraph, VersionParagraph]] = []
    previous, was_present = None, False
    for number in (n for n in published_numbers if n >= min(entry_in)):
        entry, done = entry_in.get(number), by_version.get(number, {})
        if entry is None:
            if was_present:
                merge = done.get(MERGED)
                gone_for_good = number > max(entry_in)
                if merge is not None:
                    events.append(HistoryEvent(MERGED, number, merge.other_key))
                elif gone_for_good and merged_into is not None:
                    events.append(HistoryEvent(MERGED, number, merged_into))
                else:
                    events.append(HistoryEvent(REMOVED, number))
            was_present = False
            continue
        if previous is None:
            split = done.get(SPLIT_FROM)
            if split is not None:
                events.append(HistoryEvent(SPLIT_FROM, number, split.other_key))
            else:
                events.append(HistoryEvent(ADDED, number))
        elif not was_present:
            events.append(HistoryEvent(RESTORED, number))
        else:
            if entry.revision_id != previous.revision_id:
                events.append(HistoryEvent(REWORDED, number))
            if MOVED in done:
                moves.append((len(events), previous, entry))
                events.append(HistoryEvent(MOVED, number))
        events.extend(
            HistoryEvent(kind, number, event.other_key)
            for event in recorded
            if event.version_number == number and (kind := event.status) in (SPLIT_INTO, ABSORBED)
        )
        previous, was_present = entry, True
    events = _name_the_others(paragraph.work_id, events, published_numbers)
    if moves:
        labels = passage_labels(
            (entry.version_id, paragraph.pk)
            for _, before, after in moves
            for entry in (before, after)
        )
        for index, before, after in moves:
            events[index] = replace(
                events[index],
                moved_from=labels.get((before.version_id, paragraph.pk), ""),
                moved_to=labels.get((after.version_id, paragraph.pk), ""),
            )
    return events


def _name_the_others(
    work_id: int, events: list[HistoryEvent], published_numbers: list[int]
) -> list[HistoryEvent]:
    """Each event's other paragraph as readers number it in that version, or, when the
    version no longer holds it (one merged in), in the version before: "¶ 2 on v5"."""
    before = dict(zip(published_numbers[1:], published_numbers, strict=False))
    wanted = set()
    for event in events:
        if event.key:
            wanted.add((event.version_number, event.key))
            if event.version_number in before:
                wanted.add((before[event.version_number], event.key))
    labels = labels_by_key(work_id, wanted)
    named = []
    for event in events:
        label = ""
        if event.key and (event.version_number, event.key) in labels:
            label = labels[event.version_number, event.key]
        elif event.key and (earlier := before.get(event.version_number)) is not None:
            then = labels.get((earlier, event.key))
            label = label_on(then, earlier) if then else ""
        named.append(replace(event, label=label or _("another passage")) if event.key else event)
    return named


def render_paragraph(
    request: HttpRequest,
    paragraph: Paragraph,
    history: ParagraphHistory,
    cited: VersionParagraph,
    *,
    pinned: bool,
) -> HttpResponse:
    """The paragraph page, citing ``cited`` (its entry in one version).

    The template receives ``work``, ``paragraph``, ``current`` (the entry in the current
    version, or None), ``cited``, ``pinned`` (the page is the one of ``cited``'s version),
    ``number`` (in the cited version), ``label`` (what readers call it), ``reading_url``,
    ``wordings``, ``steps`` (each wording with its diff from the one before), ``events``,
    ``stable_url`` (this page's address, with which the citation names it), ``citation``,
    ``merged_into`` (the key of the paragraph the current version shows it merged into, or
    None) and ``discussed`` (the entry whose version the discussion is shown on: ``cited``
    on a version's own page, else ``current``). Raises Http404 for a layer of the
    discussion (``?group=``) the reader may not read, and keeps the one they read in on
    ``reading_url``.
    """
    work = paragraph.work
    layer = reading_layer(request, work)
    cited.version.work = work
    current = history.current
    number = number_in_version(cited)
    if pinned:
        address = reverse(
            "edition:paragraph-in-version",
            kwargs={"slug": work.slug, "number": cited.version.number, "key": paragraph.key},
        )
    else:
        address = paragraph.get_absolute_url()
    url = request.build_absolute_uri(address)
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
        heading=cited.revision.text if number is None else "",
    )
    in_current = current is not None and cited.version_id == current.version_id
    cited.version.work = work
    reading_url = passage_reading_url(cited.version, paragraph.key, current=in_current)
    merged_into = paragraph.merged_into_key if current is None else None
    published_numbers = list(
        Version.objects.published()
        .filter(work=work)
        .order_by("number")
        .values_list("number", flat=True)
    )
    context = {
        "work": work,
        "paragraph": paragraph,
        "current": current,
        "cited": cited,
        "pinned": pinned,
        "number": number,
        "label": passage_label(cited.revision.kind, number, cited.revision.text),
        # Read in a layer of the discussion, the text in context is read in it too.
        "reading_url": f"{reading_url}{f'?{layer.query}' if layer else ''}#{paragraph.key}",
        "wordings": history.wordings,
        "steps": history_steps(history),
        "events": history_events(
            paragraph, history, published_numbers, paragraph_events(paragraph), merged_into
        ),
        "merged_into": merged_into,
        # A version's own page shows the discussion as that version does.
        "discussed": cited if pinned else current,
        "stable_url": url,
        "citation": citation,
        **citation_formats(request, paragraph, cited, number),
    }
    return render(request, "edition/paragraph_detail.html", context)


def citation_formats(
    request: HttpRequest, paragraph: Paragraph, cited: VersionParagraph, number: int | None
) -> dict:
    """``citation_tags`` (Highwire meta tags) and ``citation_downloads`` (label, URL)."""
    address = reverse(
        "edition:paragraph-cite",
        kwargs={"slug": paragraph.work.slug, "key": paragraph.key, "fmt": "csl"},
    )
    query = f"?version={cited.version.number}"
    return {
        "citation_tags": highwire_tags(cited_paragraph(request, paragraph, cited, number)),
        "citation_downloads": [
            (label, f"{address.removesuffix('csl/')}{fmt}/{query}")
            for fmt, label in FORMAT_LABELS.items()
        ],
    }


@cache_for_anonymous(params=LAYER_PARAMETERS, shows=(DISCUSSION,))
def paragraph_detail(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """A paragraph at its stable address: as in the current version, or, for a passage the
    current version no longer holds, as it last appeared."""
    paragraph = get_paragraph_for_user(request.user, slug, key)
    history = paragraph_history(paragraph)
    if not history.entries:
        raise Http404("This paragraph is in no published version.")
    # A passage gone from the current version is cited as it last appeared.
    cited = history.current or history.entries[-1]
    return render_paragraph(request, paragraph, history, cited, pinned=False)


@cache_for_anonymous(params=LAYER_PARAMETERS, shows=(DISCUSSION,))
def paragraph_in_version(request: HttpRequest, slug: str, number: int, key: str) -> HttpResponse:
    """A paragraph as one version has it; 404 when that version does not hold it."""
    version = get_version_for_user(request.user, slug, number)
    paragraph = get_paragraph_for_user(request.user, slug, key)
    cited = get_object_or_404(
        VersionParagraph.objects.select_related("revision"), version=version, paragraph=paragraph
    )
    cited.version = version
    history = paragraph_history(paragraph)
    return render_paragraph(request, paragraph, history, cited, pinned=True)
