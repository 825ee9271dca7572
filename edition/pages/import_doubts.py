"""What the importer was unsure of when a draft was uploaded, kept for its review.

An upload redirects to the review; the doubts are kept with the draft (``DraftDoubts``)
rather than shown as messages, so that the review opens with the review itself and shows
them after it, grouped by kind, for as long as the draft is being reviewed, to every
editor who reviews it. They were once kept in the uploading editor's session, where a
session write the cache did not take lost them.
"""

from dataclasses import dataclass

from edition.importer import Doubt
from edition.models import DraftDoubts, Version


@dataclass(frozen=True)
class DoubtGroup:
    kind: str
    messages: list[str]

    @property
    def count(self) -> int:
        return len(self.messages)


def doubts_keep(version: Version, doubts: list[Doubt]) -> None:
    """Keep ``doubts`` for the review of the draft ``version``, replacing those of an
    earlier upload; a published version is reviewed no more, and keeps none."""
    if version.is_published or not doubts:
        DraftDoubts.objects.filter(version=version).delete()
        return
    DraftDoubts.objects.update_or_create(
        version=version, defaults={"doubts": [[doubt.kind, str(doubt)] for doubt in doubts]}
    )


def doubts_forget(version: Version) -> None:
    """The draft is published: its doubts no longer matter (a discarded one takes them
    with it)."""
    DraftDoubts.objects.filter(version=version).delete()


def doubt_groups(version: Version) -> list[DoubtGroup]:
    """The doubts kept for ``version``, by kind, in the order each kind first appears (the
    order of the text). One query."""
    kept = DraftDoubts.objects.filter(version=version).values_list("doubts", flat=True).first()
    grouped: dict[str, list[str]] = {}
    for kind, message in kept or []:
        grouped.setdefault(kind, []).append(message)
    return [DoubtGroup(kind, messages) for kind, messages in grouped.items()]
