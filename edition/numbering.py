"""How readers name a passage: by its number in a version ("¶ 4"), a heading by its words.

A paragraph's stable key (``p7``) names it in URLs, anchors and citations; readers are
shown one label, the number they see in the margin of the version they read.
"""

from collections.abc import Iterable

from django.db import connections, router
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from edition.models import BlockKind, ParagraphRevision, Version, VersionParagraph

HEADING_LABEL_WORDS = 8


def number_in_version(entry: VersionParagraph) -> int | None:
    """The passage's number among its version's non-heading blocks; None for a heading."""
    if entry.revision.kind == BlockKind.HEADING:
        return None
    earlier = (
        VersionParagraph.objects.filter(version_id=entry.version_id, position__lt=entry.position)
        .exclude(revision__kind=BlockKind.HEADING)
        .count()
    )
    return earlier + 1


def passage_label(kind: str, number: int | None, text: str) -> str:
    """ "¶ 4", or a heading's first words in quotation marks (headings take no number)."""
    if kind == BlockKind.HEADING or number is None:
        words = Truncator(text).words(HEADING_LABEL_WORDS, truncate="…")
        return _("“%(heading)s”") % {"heading": words}
    return _("¶ %(number)s") % {"number": number}


def label_across(then: str, version_number: int, now: str | None) -> str:
    """A passage named in the version it was read on and in the one shown: "¶ 37 on v1,
    now ¶ 41"; just "¶ 37" when it still reads so, or when the version shown lacks it."""
    if not now or now == then:
        return then
    return _("%(then)s on v%(number)s, now %(now)s") % {
        "then": then,
        "number": version_number,
        "now": now,
    }


def label_on(label: str, version_number: int) -> str:
    """A passage named as it was numbered in an earlier version: "¶ 3 on v1"."""
    return _("%(label)s on v%(number)s") % {"label": label, "number": version_number}


def label_in_version(paragraph_id: int, version_number: int) -> str:
    """What readers of version ``version_number`` call the paragraph (two queries)."""
    entry = (
        VersionParagraph.objects.filter(paragraph_id=paragraph_id, version__number=version_number)
        .select_related("revision")
        .first()
    )
    return entry_label(entry)


def entry_label(entry: VersionParagraph | None) -> str:
    """The label of a passage in one version; ``entry`` carries its revision."""
    if entry is None:
        return _("a passage no longer in the text")
    return passage_label(entry.revision.kind, number_in_version(entry), entry.revision.text)


def passage_labels(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """Labels for many (version id, paragraph id) pairs in one query, for lists of comments.

    Each passage's number counts the non-heading blocks before it in its version: a running
    count over each version's blocks in order, read once per version, whatever the number
    of passages named in it (a count per passage read the version's earlier blocks again
    for each).
    """
    pairs = set(pairs)
    if not pairs:
        return {}
    versions = sorted({version for version, _ in pairs})
    paragraphs = sorted({paragraph for _, paragraph in pairs})
    entries = VersionParagraph._meta.db_table
    revisions = ParagraphRevision._meta.db_table
    # Where the ORM would read it (a replica, if one is set up).
    with connections[router.db_for_read(VersionParagraph)].cursor() as cursor:
        cursor.execute(
            f"""
            SELECT version_id, paragraph_id, kind, text, earlier FROM (
                SELECT entry.version_id, entry.paragraph_id, revision.kind, revision.text,
                    COALESCE(SUM(CASE WHEN revision.kind = %s THEN 0 ELSE 1 END) OVER (
                        PARTITION BY entry.version_id ORDER BY entry.position
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
                    ), 0) AS earlier
                FROM {entries} AS entry
                JOIN {revisions} AS revision ON revision.id = entry.revision_id
                WHERE entry.version_id IN ({", ".join(["%s"] * len(versions))})
            ) AS numbered
            WHERE paragraph_id IN ({", ".join(["%s"] * len(paragraphs))})
            """,
            [BlockKind.HEADING.value, *versions, *paragraphs],
        )
        rows = cursor.fetchall()
    return {
        (version, paragraph): passage_label(kind, earlier + 1, text)
        for version, paragraph, kind, text, earlier in rows
        if (version, paragraph) in pairs
    }


def labels_by_key(work_id: int, wanted: Iterable[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """Labels for (version number, paragraph key) pairs of one work, for pages that name
    other passages ("merged into ¶ 5"); a pair whose version lacks the passage is left out.
    Two queries."""
    wanted = set(wanted)
    if not wanted:
        return {}
    entries = VersionParagraph.objects.filter(
        version__work_id=work_id,
        version__number__in={number for number, _ in wanted},
        paragraph__key__in={key for _, key in wanted},
    ).values_list("version_id", "paragraph_id", "version__number", "paragraph__key")
    named = {
        (version_id, paragraph_id): (number, key)
        for version_id, paragraph_id, number, key in entries
        if (number, key) in wanted
    }
    return {named[pair]: label for pair, label in passage_labels(named).items()}


def numbers_by_key(versions: Iterable[Version]) -> dict[tuple[int, str], int | None]:
    """Every passage's number in each of ``versions``, by (version id, paragraph key); None
    for a heading. One query, for pages that show whole versions side by side."""
    rows = (
        VersionParagraph.objects.filter(version__in=list(versions))
        .order_by("version_id", "position")
        .values_list("version_id", "paragraph__key", "revision__kind")
    )
    numbers: dict[tuple[int, str], int | None] = {}
    counted: dict[int, int] = {}
    for version_id, key, kind in rows:
        if kind == BlockKind.HEADING:
            numbers[version_id, key] = None
        else:
            counted[version_id] = counted.get(version_id, 0) + 1
            numbers[version_id, key] = counted[version_id]
    return numbers
