"""Where other apps add to the edition's pages and API without the edition importing them.

The dependency runs one way (commentary → edition): commentary registers its providers here
when its app is ready, and the edition asks for them by name. With nothing registered the
edition still works and counts nothing.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest

from edition.models import Version, Work

# (user, paragraph ids of one version, that version or None for the current one)
#   -> {paragraph id: number of comments that user may see}
ParagraphCounter = Callable[
    [AbstractBaseUser | AnonymousUser, Iterable[int], Version | None], dict[int, int]
]

_paragraph_counters: list[ParagraphCounter] = []


def register_paragraph_counter(counter: ParagraphCounter) -> None:
    if counter not in _paragraph_counters:
        _paragraph_counters.append(counter)


def paragraph_comment_counts(
    user, paragraph_ids: Iterable[int], version: Version | None = None
) -> dict[int, int]:
    """Comment counts per paragraph of ``version`` (None: the work's current version) as
    ``user`` may see them, each passage counting what that version shows under it; one
    query per provider."""
    ids = list(paragraph_ids)
    totals: dict[int, int] = {}
    for counter in _paragraph_counters:
        for paragraph_id, count in counter(user, ids, version).items():
            totals[paragraph_id] = totals.get(paragraph_id, 0) + count
    return totals


# (user, a version, [(part slug, paragraph ids of that part)]) -> {part slug: number of
# comments that user may see on the part's passages}
PartCounter = Callable[
    [AbstractBaseUser | AnonymousUser, Version, Sequence[tuple[str, Sequence[int]]]],
    dict[str, int],
]

_part_counters: list[PartCounter] = []


def register_part_counter(counter: PartCounter) -> None:
    if counter not in _part_counters:
        _part_counters.append(counter)


def part_comment_counts(
    user, version: Version, parts: Sequence[tuple[str, Sequence[int]]]
) -> dict[str, int]:
    """Comment counts per part (chapter) of ``version``, by slug, as ``user`` may see them:
    what the title page's contents show beside each chapter."""
    totals: dict[str, int] = {}
    for counter in _part_counters:
        for slug, count in counter(user, version, parts).items():
            totals[slug] = totals.get(slug, 0) + count
    return totals


class ReadingLayer(Protocol):
    """A private layer of a work's discussion that a reader chose to read (a reading group):
    the margin shows its count beside the public one, and every link of the page keeps it."""

    name: str  # what readers call it: the group's name
    query: str  # the query string naming it, without "?": kept on the page's links

    def counts(
        self, paragraph_ids: Iterable[int], version: Version | None = None
    ) -> dict[int, int]: ...

    # What the reader will see of the layer on a paragraph once they write there, when the
    # layer shows it only then ("post first"): a number, never the words.
    def waiting(self, paragraph_ids: Iterable[int]) -> dict[int, int]: ...


# (request, work) -> the layer the request names, None for the public discussion; raises
# Http404 for a layer the reader may not read.
LayerResolver = Callable[[HttpRequest, Work], ReadingLayer | None]

_layer_resolvers: list[LayerResolver] = []
# The query parameters that name a layer: pages read them, so the page cache keys them.
LAYER_PARAMETERS = ("group",)


def register_layer_resolver(resolver: LayerResolver) -> None:
    if resolver not in _layer_resolvers:
        _layer_resolvers.append(resolver)


def reading_layer(request: HttpRequest, work: Work) -> ReadingLayer | None:
    """The layer of the discussion ``request`` asks to read ``work`` in, or None (public).
    Raises Http404 when it names one the reader may not read."""
    for resolver in _layer_resolvers:
        layer = resolver(request, work)
        if layer is not None:
            return layer
    return None


# (a signed-in user) -> what of their standing decides what the pages show them (their
# roles: the groups they read, whether they moderate), as text
ReaderStanding = Callable[[AbstractBaseUser], str]

_reader_standings: list[ReaderStanding] = []


def register_reader_standing(describe: ReaderStanding) -> None:
    if describe not in _reader_standings:
        _reader_standings.append(describe)


def reader_standing(user) -> str:
    """What of ``user``'s standing decides what the pages show them, as text: a page part
    kept for them is theirs only while it reads the same (``edition.pages.shared_page``)."""
    return "\n".join(describe(user) for describe in _reader_standings)
