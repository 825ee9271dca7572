"""Followers of a work are told of its new version: which passages changed, and how many
of their own comments are now shown as written on an earlier wording."""

from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commentary.models import Comment
from commentary.notifications.models import Follow, Kind, Notification
from commentary.notifications.services import unread_changed_for
from edition.models import Version, VersionParagraph
from edition.numbering import passage_labels

LABELS_NAMED = 5


def changed_paragraphs(version: Version) -> list[int]:
    """Paragraph ids whose wording in ``version`` differs from the published version
    before it (new passages included), in the order of the text."""
    previous = (
        Version.objects.published()
        .filter(work_id=version.work_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )
    entries = VersionParagraph.objects.filter(version=version).order_by("position")
    if previous is not None:
        before = VersionParagraph.objects.filter(
            version=previous, paragraph_id=OuterRef("paragraph_id")
        ).values("revision_id")[:1]
        entries = entries.annotate(before=Subquery(before))
        rows = entries.values_list("paragraph_id", "revision_id", "before")
        return [pid for pid, revision, was in rows if was != revision]
    return list(entries.values_list("paragraph_id", flat=True))


def version_note(labels: list[str], earlier: int) -> str:
    """ "¶ 12 changed; your 3 comments are labelled on an earlier wording." """
    if not labels:
        changed = _("No passage changed")
    else:
        named = ", ".join(labels[:LABELS_NAMED])
        if len(labels) > LABELS_NAMED:
            named += " " + _("and %(count)s more") % {"count": len(labels) - LABELS_NAMED}
        changed = ngettext("%(named)s changed", "%(named)s changed", len(labels)) % {"named": named}
    if not earlier:
        return changed + "."
    return (
        changed
        + "; "
        + ngettext(
            "your %(count)s comment is labelled on an earlier wording.",
            "your %(count)s comments are labelled on an earlier wording.",
            earlier,
        )
        % {"count": earlier}
    )


def version_notify(version_id: int) -> list[int]:
    """Tell every follower of the work of version ``version_id`` (published) about it.
    Safe to run twice. Returns the ids of the notifications written."""
    version = Version.objects.select_related("work").filter(pk=version_id).first()
    if version is None or not version.is_published:
        return []
    followers = list(
        Follow.objects.filter(target=Follow.Target.WORK, work_id=version.work_id).values_list(
            "user_id", flat=True
        )
    )
    if not followers:
        return []
    changed = changed_paragraphs(version)
    labels = passage_labels((version.pk, paragraph_id) for paragraph_id in changed)
    named = [labels[version.pk, pid] for pid in changed if (version.pk, pid) in labels]
    now_wording = VersionParagraph.objects.filter(
        version=version, paragraph_id=OuterRef("paragraph_id")
    ).values("revision_id")[:1]
    earlier = dict(
        Comment.objects.live()
        .filter(author_id__in=followers, work_id=version.work_id, paragraph_id__in=changed)
        .annotate(now=Subquery(now_wording))
        .exclude(revision_id=F("now"))
        .order_by()
        .values_list("author_id")
        .annotate(count=Count("pk"))
    )
    notes = [
        Notification(
            recipient_id=user_id,
            kind=Kind.VERSION,
            work_id=version.work_id,
            version=version,
            note=version_note(named, earlier.get(user_id, 0)),
        )
        for user_id in followers
    ]
    with transaction.atomic():
        Notification.objects.bulk_create(notes, ignore_conflicts=True)
    unread_changed_for(followers)
    return list(
        Notification.objects.filter(
            version=version, recipient_id__in=followers, emailed_at__isnull=True
        ).values_list("pk", flat=True)
    )
