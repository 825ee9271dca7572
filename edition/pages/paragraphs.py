"""A paragraph's pages: its stable permalink, which resolves whichever versions hold it, and
the same paragraph pinned to one version; each with its history and its citation."""

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from edition.access import get_paragraph_for_user, get_version_for_user
from edition.alignment import word_diff
from edition.caching import DISCUSSION, cache_for_anonymous
from edition.citation import paragraph_citation
from edition.models import Paragraph, Version, VersionParagraph
from edition.numbering import number_in_version, passage_label
from edition.reading import ParagraphHistory, Wording, paragraph_history

# What can happen to a passage in a published version, as the history tells it. An
# alignment that records more (a split, a move) adds its kinds here and in the template.
ADDED = "added"
REWORDED = "reworded"
REMOVED = "removed"
MERGED = "merged"
RESTORED = "restored"


@dataclass(frozen=True)
class HistoryStep:
    """One wording of the paragraph and the word diff from the wording before it ([] for
    the first)."""

    wording: Wording
    diff: list[tuple[str, str]]


@dataclass(frozen=True)
class HistoryEvent:
    """What a published version did to the paragraph; ``key`` is the paragraph a merge
    took it into."""

    kind: str
    version_number: int
    key: str | None = None


def history_steps(history: ParagraphHistory) -> list[HistoryStep]:
    steps, previous = [], None
    for wording in history.wordings:
        diff = word_diff(previous.text, wording.text) if previous is not None else []
        steps.append(HistoryStep(wording, diff))
        previous = wording
    return steps


def history_events(
    paragraph: Paragraph, history: ParagraphHistory, published_numbers: list[int]
) -> list[HistoryEvent]:
    """The published versions that added, reworded, removed (or merged away) and restored
    the paragraph, oldest first. ``paragraph.merged_into`` must be loaded."""
    revision_in = {entry.version.number: entry.revision_id for entry in history.entries}
    if not revision_in:
        return []
    events: list[HistoryEvent] = []
    previous_revision, was_present = None, False
    for number in (n for n in published_numbers if n >= min(revision_in)):
        revision_id = revision_in.get(number)
        if revision_id is None:
            if was_present:
                gone_for_good = number > max(revision_in)
                if gone_for_good and paragraph.merged_into is not None:
                    events.append(HistoryEvent(MERGED, number, paragraph.merged_into.key))
                else:
                    events.append(HistoryEvent(REMOVED, number))
            was_present = False
            continue
        if previous_revision is None:
            events.append(HistoryEvent(ADDED, number))
        elif not was_present:
            events.append(HistoryEvent(RESTORED, number))
        elif revision_id != previous_revision:
            events.append(HistoryEvent(REWORDED, number))
        previous_revision, was_present = revision_id, True
    return events


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
    ``stable_url`` (this page's address, with which the citation names it) and
    ``citation``.
    """
    work = paragraph.work
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
    )
    in_current = current is not None and cited.version_id == current.version_id
    reading_url = work.get_absolute_url() if in_current else cited.version.get_absolute_url()
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
        "reading_url": f"{reading_url}#{paragraph.key}",
        "wordings": history.wordings,
        "steps": history_steps(history),
        "events": history_events(paragraph, history, published_numbers),
        "stable_url": url,
        "citation": citation,
    }
    return render(request, "edition/paragraph_detail.html", context)


@cache_for_anonymous(shows=(DISCUSSION,))
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


@cache_for_anonymous(shows=(DISCUSSION,))
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
