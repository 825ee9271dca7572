"""Template filters of the moderators' pages."""

from django import template
from django.utils.translation import gettext_lazy as _

from commentary.moderation.decisions import decisions_open

register = template.Library()

# The model's status labels are sentences; a log line wants one word each.
STATUS_WORDS = {
    "pending": _("pending"),
    "published": _("published"),
    "rejected": _("rejected"),
    "hidden": _("hidden"),
    # A member's standing, before and after a sanction or a trust decision.
    "active": _("active"),
    "suspend": _("suspended"),
    "ban": _("banned"),
    "trusted": _("trusted"),
    "untrusted": _("untrusted"),
    "automatic": _("automatic"),
}


@register.filter
def status_word(status: str) -> str:
    """A comment status or a member's standing as one translated word; "—" for none."""
    return STATUS_WORDS.get(status, status) if status else "—"


@register.filter
def decisions(comment) -> list[str]:
    """The decisions the queue offers on ``comment`` (``moderation.decisions_open``)."""
    return decisions_open(comment)
