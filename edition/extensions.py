"""Where other apps add to the edition's pages and API without the edition importing them.

The dependency runs one way (commentary → edition): commentary registers its providers here
when its app is ready, and the edition asks for them by name. With nothing registered the
edition still works and counts nothing.
"""

from collections.abc import Callable, Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

# (user, paragraph ids) -> {paragraph id: number of comments that user may see}
ParagraphCounter = Callable[[AbstractBaseUser | AnonymousUser, Iterable[int]], dict[int, int]]

_paragraph_counters: list[ParagraphCounter] = []


def register_paragraph_counter(counter: ParagraphCounter) -> None:
    if counter not in _paragraph_counters:
        _paragraph_counters.append(counter)


def paragraph_comment_counts(user, paragraph_ids: Iterable[int]) -> dict[int, int]:
    """Comment counts per paragraph as ``user`` may see them; one query per provider."""
    ids = list(paragraph_ids)
    totals: dict[int, int] = {}
    for counter in _paragraph_counters:
        for paragraph_id, count in counter(user, ids).items():
            totals[paragraph_id] = totals.get(paragraph_id, 0) + count
    return totals
