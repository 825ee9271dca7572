"""What every page's template receives from commentary: whether the reader moderates, for
the navigation's "Moderation" link, asked only when a template reads it (and then read
with the reader's other roles, once per request: ``commentary.roles``)."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from commentary.moderators import is_moderator


def moderation(request: HttpRequest) -> dict:
    return {"reader_moderates": SimpleLazyObject(lambda: is_moderator(request.user))}
