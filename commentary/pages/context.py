"""What every page's template receives from commentary: whether the reader moderates, for
the navigation's "Moderation" link, asked only when a template reads it."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from commentary.moderators import moderates


def moderation(request: HttpRequest) -> dict:
    return {"reader_moderates": SimpleLazyObject(lambda: moderates(request.user))}
