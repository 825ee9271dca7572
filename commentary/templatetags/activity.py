"""The home page's recent public activity: new comments and new versions.

Public means what an anonymous reader may read (``visible_to(None)``), whoever looks: the
home page tells nobody what only they, or their groups, may read.
"""

from django import template

from commentary.models import Comment
from edition.models import Version
from edition.numbering import passage_labels

register = template.Library()
SHOWN = 8


@register.inclusion_tag("commentary/recent_activity.html")
def recent_activity():
    comments = list(
        Comment.objects.visible_to(None)
        .live()
        .filter(work__current_version__status=Version.Status.PUBLISHED)
        .select_related("author", "work", "paragraph", "version")
        .order_by("-created_at", "-pk")[:SHOWN]
    )
    labels = passage_labels((c.version_id, c.paragraph_id) for c in comments)
    for comment in comments:
        comment.passage_label = labels.get((comment.version_id, comment.paragraph_id), "")
    versions = (
        Version.objects.readable_by(None)
        .select_related("work")
        .order_by("-published_at", "-pk")[:SHOWN]
    )
    return {"comments": comments, "versions": list(versions)}
