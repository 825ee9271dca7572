"""What every page's template receives from moderation: whether the reader moderates the
site or leads a reading group (the permission table's "moderation.reach"), for the navigation's
"Moderation" link, and the site's sanction on them; each asked only when a template reads
it, and once."""

from functools import cache

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from commentary.accounts.sections import register_own_section
from commentary.moderation.sanctions import sanction_message, sanctions_of, site_sanction_told
from commentary.permissions import allowed


def moderation(request: HttpRequest) -> dict:
    return {
        "reader_moderates": SimpleLazyObject(lambda: allowed(request.user, "moderation.reach")),
        # The site's sanction on the reader, told in the header (None for none).
        "own_sanction": cache(lambda: site_sanction_told(request.user)),
    }


def _sanction_notes(request: HttpRequest) -> list[str]:
    """A member's sanctions on their own profile, told as a write would be refused."""
    return [sanction_message(sanction) for sanction in sanctions_of(request.user)]


def listen() -> None:
    register_own_section("sanction_notes", _sanction_notes)
