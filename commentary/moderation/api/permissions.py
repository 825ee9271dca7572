"""Who may call the moderation endpoints."""

from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from commentary.permissions import allowed


class ModeratorsOrGroupLeaders(BasePermission):
    """The queue and decisions serve the site's moderators and the owners and moderators
    of reading groups (each deciding only on what ``Comment.moderation_condition`` gives
    them). An anonymous caller is asked to authenticate (401 with ``WWW-Authenticate``),
    as everywhere a signed-in reader is needed; a signed-in one who is neither gets the
    404 of an address that does not exist."""

    def has_permission(self, request, view) -> bool:
        if not request.user.is_authenticated:
            return False  # DRF answers 401, naming the token scheme
        if not allowed(request.user, "moderation.reach"):
            raise NotFound()
        return True
