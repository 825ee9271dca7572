"""What every page's template receives from commentary: whether the reader moderates the
site or leads a reading group (``leaders.reaches_moderation``), for the navigation's
"Moderation" link, and how many decisions on their comments they have not read; each asked
only when a template reads it, and once."""

from functools import cache

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from commentary.leaders import reaches_moderation
from commentary.notifications import unread_count


def moderation(request: HttpRequest) -> dict:
    return {
        "reader_moderates": SimpleLazyObject(lambda: reaches_moderation(request.user)),
        # A callable: templates call it, and get a number they can count with.
        "unread_decisions": cache(lambda: unread_count(request.user)),
    }
