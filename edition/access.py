"""Who may read which part of the edition, and the fetch helpers that apply it.

Published versions are public. Drafts (a draft version, a work with no published version
yet, a paragraph only drafts hold) are for staff; everyone else gets 404, the same answer
as for something that does not exist. The pages and the API both fetch through here.
"""

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from edition.models import Paragraph, Version, VersionParagraph, Work


def can_read_drafts(user) -> bool:
    return bool(user.is_staff)


def works_visible_to(user) -> QuerySet[Work]:
    works = Work.objects.select_related("current_version")
    if can_read_drafts(user):
        return works
    return works.filter(Exists(Version.objects.published().filter(work=OuterRef("pk"))))


def get_work_for_user(user, slug: str) -> Work:
    return get_object_or_404(works_visible_to(user), slug=slug)


def get_version_for_user(user, slug: str, number: int) -> Version:
    """The version with its work, or 404; a draft is 404 unless the user reads drafts."""
    versions = Version.objects.select_related("work").filter(work__slug=slug)
    if not can_read_drafts(user):
        versions = versions.published()
    return get_object_or_404(versions, number=number)


def get_paragraph_for_user(user, slug: str, key: str) -> Paragraph:
    """The paragraph with its work and merge target, or 404 if only drafts hold it."""
    paragraphs = Paragraph.objects.select_related("work", "merged_into").filter(work__slug=slug)
    if not can_read_drafts(user):
        in_published = VersionParagraph.objects.filter(
            paragraph=OuterRef("pk"), version__status=Version.Status.PUBLISHED
        )
        paragraphs = paragraphs.filter(Exists(in_published))
    return get_object_or_404(paragraphs, key=key)
