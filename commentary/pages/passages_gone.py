"""Comments on passages a version no longer holds, listed on that version's reading page.

No comment disappears because the text changed: one whose paragraph was removed (and not
merged into a paragraph the version holds) is listed under the text, with the passage's
last wording and a link to its page, where its discussion is.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse

from commentary.anchors import VersionWordings, version_wordings
from commentary.models import Comment
from config.site.caching import TEXT, remembered
from edition.models import Paragraph, Version, VersionParagraph
from edition.numbering import passage_labels


@dataclass(frozen=True)
class GonePassage:
    key: str
    url: str
    count: int
    label: str  # what readers of its last version called it: "¶ 6"
    last_version: int  # the last published version before this one that held it
    text: str  # its wording there


def passages_gone(user, version: Version) -> list[GonePassage]:
    """Passages an earlier version held and ``version`` does not, with comments ``user``
    may see, in creation order.

    The paragraphs the version does not show are known once per text generation (cached);
    when there are none, as on a first version, no comment is read. Otherwise one query
    counts their comments, on the paragraph index, one more reads their last wordings (the
    version's wordings are cached, see ``commentary.anchors``) and one their labels there.
    """
    wordings = version_wordings(version)
    candidates = _not_shown(version, wordings)
    if not candidates:
        return []
    counts = dict(
        Comment.objects.visible_to(user)
        .live()
        .filter(paragraph_id__in=candidates)
        .values_list("paragraph_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    gone = list(counts)
    if not gone:
        return []
    last: dict[int, tuple] = {}
    # Only the versions before this one: a later version that takes the passage up again
    # changes nothing of what this one lists.
    entries = (
        VersionParagraph.objects.published()
        .filter(paragraph_id__in=gone, version__number__lt=version.number)
        .order_by("version__number")
        .values_list(
            "paragraph_id",
            "paragraph__ordinal",
            "paragraph__key",
            "version__number",
            "revision__text",
            "version_id",
        )
    )
    # A passage that first appeared in a later version (none before this one) is not yet
    # in this one, rather than no longer: its comments are found on the versions that hold it.
    last_version_ids: dict[int, int] = {}
    for paragraph_id, ordinal, key, number, text, version_id in entries:
        last[paragraph_id] = (ordinal, key, number, text)
        last_version_ids[paragraph_id] = version_id
    labels = passage_labels((last_version_ids[pk], pk) for pk in last)
    prefix = reverse(
        "edition:paragraph-detail", kwargs={"slug": version.work.slug, "key": "p0"}
    ).removesuffix("p0/")
    return [
        GonePassage(
            key,
            f"{prefix}{key}/",
            counts[paragraph_id],
            labels.get((last_version_ids[paragraph_id], paragraph_id), ""),
            number,
            text,
        )
        for paragraph_id, (_ordinal, key, number, text) in sorted(
            last.items(), key=lambda item: item[1][0]
        )
    ]


def _not_shown(version: Version, wordings: VersionWordings) -> list[int]:
    """The work's paragraphs that ``version`` neither holds nor shows merged into one it
    holds; read once per generation of the text."""

    def not_shown() -> list[int]:
        every = Paragraph.objects.filter(work_id=version.work_id).values_list("pk", flat=True)
        return [pk for pk in every if wordings.home(pk) is None]

    return remembered(f"passages-not-shown:{version.pk}", [TEXT], not_shown)
