"""What every page's template receives from commentary: whether the reader moderates the
site or leads a reading group (``leaders.reaches_moderation``), for the navigation's
"Moderation" link, how many decisions on their comments they have not read, and the site's
sanction on them; each asked only when a template reads it, and once."""

from functools import cache

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from commentary.moderation.leaders import reaches_moderation
from commentary.moderation.sanctions import site_sanction_told
from commentary.notifications.services import unread_count


def moderation(request: HttpRequest) -> dict:
    return {
        "reader_moderates": SimpleLazyObject(lambda: reaches_moderation(request.user)),
        # A callable: templates call it, and get a number they can count with.
        "unread_decisions": cache(lambda: unread_count(request.user)),
        # The site's sanction on the reader, told in the header (None for none).
        "own_sanction": cache(lambda: site_sanction_told(request.user)),
    }
