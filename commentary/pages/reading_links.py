"""Links back into the reading page, where a paragraph's discussion opens beside the text.

Every link that should bring a reader back to a discussion (after signing in, above all) is
built here, so that the form of that address is decided in one place.
"""

from django.urls import reverse

from edition.models import Paragraph, Version


def discussion_url(paragraph: Paragraph, version: Version | None = None) -> str:
    """The reading page of ``version`` (default: the current one) with ``paragraph``'s
    discussion open and the paragraph in view."""
    work = paragraph.work
    if version is None or version.pk == work.current_version_id:
        page = reverse("edition:work-detail", kwargs={"slug": work.slug})
    else:
        page = reverse(
            "edition:version-detail", kwargs={"slug": work.slug, "number": version.number}
        )
    return f"{page}?discussion={paragraph.key}#{paragraph.key}"
