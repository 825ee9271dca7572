"""Who may call the comment endpoints. What a user may *see* is not decided here.

Reading is open to everyone, and every read goes through ``Comment.objects.visible_to``.
Writing needs a signed-in user (401 otherwise); whether that user may change a given
comment is decided by ``commentary.access.get_comment_for_author``, which answers 404 to
anybody but its author.
"""

from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission, IsAuthenticated


class ReadOpenWriteSignedInMixin:
    """For views that read and write. The permission is chosen by method, rather than one
    class deciding both, so that the schema shows reads as open to anonymous clients."""

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method in SAFE_METHODS:
            return [AllowAny()]
        return [IsAuthenticated()]
