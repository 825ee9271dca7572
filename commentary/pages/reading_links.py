"""Links back into the reading page, where a paragraph's discussion opens beside the text.

Every link that should bring a reader back to a discussion (after signing in, above all) is
built here, so that the form of that address is decided in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from commentary.layers import layer_query
from edition.models import Paragraph, Version

if TYPE_CHECKING:
    from commentary.groups.models import ReadingGroup


def reading_page_url(paragraph: Paragraph, version: Version | None = None) -> str:
    """The reading page of ``version`` (default: the current one) of ``paragraph``'s work."""
    work = paragraph.work
    if version is None or version.pk == work.current_version_id:
        return reverse("edition:work-detail", kwargs={"slug": work.slug})
    return reverse("edition:version-detail", kwargs={"slug": work.slug, "number": version.number})


def discussion_url(
    paragraph: Paragraph,
    version: Version | None = None,
    group: ReadingGroup | None = None,
    anchor: str = "",
) -> str:
    """The reading page of ``version`` (default: the current one) with ``paragraph``'s
    discussion open, in the layer of reading group ``group`` if given, and the paragraph
    (or ``anchor``) in view."""
    page = reading_page_url(paragraph, version)
    query = layer_query(group, discussion=paragraph.key)
    return f"{page}?{query}#{anchor or paragraph.key}"
