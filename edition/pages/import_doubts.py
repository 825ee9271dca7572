"""What the importer was unsure of when a draft was uploaded, kept for its review.

An upload redirects to the review; the doubts travel in the editor's session (by the draft's
id) rather than as messages, so that the review opens with the review itself and shows them
after it, grouped by kind, for as long as the draft is being reviewed.
"""

from dataclasses import dataclass

from edition.importer import Doubt
from edition.models import Version

SESSION_KEY = "edition:import-doubts"


@dataclass(frozen=True)
class DoubtGroup:
    kind: str
    messages: list[str]

    @property
    def count(self) -> int:
        return len(self.messages)


def doubts_keep(session, version: Version, doubts: list[Doubt]) -> None:
    """Keep ``doubts`` for the review of ``version``, replacing those of an earlier upload."""
    kept = dict(session.get(SESSION_KEY, {}))
    kept[str(version.pk)] = [[doubt.kind, str(doubt)] for doubt in doubts]
    if not doubts:
        del kept[str(version.pk)]
    session[SESSION_KEY] = kept


def doubts_forget(session, version: Version) -> None:
    """The draft is published or discarded: its doubts no longer matter."""
    kept = dict(session.get(SESSION_KEY, {}))
    if kept.pop(str(version.pk), None) is not None:
        session[SESSION_KEY] = kept


def doubt_groups(session, version: Version) -> list[DoubtGroup]:
    """The doubts kept for ``version``, by kind, in the order each kind first appears (the
    order of the text)."""
    grouped: dict[str, list[str]] = {}
    for kind, message in session.get(SESSION_KEY, {}).get(str(version.pk), []):
        grouped.setdefault(kind, []).append(message)
    return [DoubtGroup(kind, messages) for kind, messages in grouped.items()]
