"""What every page's template receives from commentary: whether the reader moderates the
site or leads a reading group (``leaders.reaches_moderation``), for the navigation's
"Moderation" link, asked only when a template reads it."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from commentary.leaders import reaches_moderation


def moderation(request: HttpRequest) -> dict:
    return {"reader_moderates": SimpleLazyObject(lambda: reaches_moderation(request.user))}
