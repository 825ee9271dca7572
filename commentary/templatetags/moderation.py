"""Template filters of the moderators' pages."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# The model's status labels are sentences; a log line wants one word each.
STATUS_WORDS = {
    "pending": _("pending"),
    "published": _("published"),
    "rejected": _("rejected"),
    "hidden": _("hidden"),
}


@register.filter
def status_word(status: str) -> str:
    """A comment status as one translated word; "—" for none."""
    return STATUS_WORDS.get(status, status) if status else "—"
