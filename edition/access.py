"""Fetch helpers: each returns what ``user`` may read of the edition, or raises Http404.

The rule itself (published works, versions and paragraphs; drafts for staff) is the
``readable_by`` QuerySet methods in ``edition.querysets``. What a user may not read answers
404, the same as something that does not exist. The pages and the API fetch through here.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from edition.drafts import can_edit_drafts
from edition.models import Paragraph, Version, Work


def works_readable_by(user) -> QuerySet[Work]:
    """The works ``user`` may read, with their current version (for its number)."""
    return Work.objects.readable_by(user).select_related("current_version")


def get_work_for_user(user, slug: str) -> Work:
    return get_object_or_404(works_readable_by(user), slug=slug)


def get_version_for_user(user, slug: str, number: int) -> Version:
    """The version with its work, or 404."""
    versions = Version.objects.readable_by(user).select_related("work")
    return get_object_or_404(versions, work__slug=slug, number=number)


def get_paragraph_for_user(user, slug: str, key: str) -> Paragraph:
    """The paragraph with its work and what the versions map of it (``with_mapping``), or
    404."""
    paragraphs = Paragraph.objects.readable_by(user).select_related("work").with_mapping()
    return get_object_or_404(paragraphs, work__slug=slug, key=key)


def get_work_for_editor(user, slug: str) -> Work:
    """The work, for an editor (see ``edition.drafts.can_edit_drafts``); 404 for anyone else."""
    if not can_edit_drafts(user):
        raise Http404
    return get_object_or_404(Work, slug=slug)


def get_version_for_editor(user, slug: str, number: int) -> Version:
    """The version with its work, draft or published, for an editor; 404 for anyone else."""
    if not can_edit_drafts(user):
        raise Http404
    return get_object_or_404(Version.objects.select_related("work"), work__slug=slug, number=number)
