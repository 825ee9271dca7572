"""How the API pages its lists: by cursor, newest first, the page size from settings.

``REST_FRAMEWORK["PAGE_SIZE"]`` is the page size unless the client asks for another, up to
``SCHOLIA_API_MAX_PAGE_SIZE``. A page size or cursor that is not valid answers 400 rather
than being quietly replaced.
"""

from django.conf import settings
from django.db.models import BigIntegerField
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.views import APIView

DEFAULT_MAX_PAGE_SIZE = 200


def max_page_size() -> int:
    return int(getattr(settings, "SCHOLIA_API_MAX_PAGE_SIZE", DEFAULT_MAX_PAGE_SIZE))


class CursorPagination(pagination.CursorPagination):
    """Newest first. Primary keys grow with time, so the order is exact and index-backed,
    and a cursor's position is a primary key: a 64-bit id."""

    ordering = ("-pk",)
    page_size_query_param = "page_size"

    def get_page_size(self, request: Request) -> int:
        # Read per request, so that a change of settings applies without a restart.
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return api_settings.PAGE_SIZE
        largest = max_page_size()
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= largest:
            message = _("A whole number from 1 to %(largest)d.") % {"largest": largest}
            raise ValidationError({self.page_size_query_param: [message]})
        return int(raw)

    def decode_cursor(self, request: Request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound as error:
            raise self._invalid_cursor() from error
        if cursor is not None and cursor.position is not None and self._integer_positions():
            position = cursor.position
            if not (position.isascii() and position.isdigit()):
                raise self._invalid_cursor()
            if int(position) > BigIntegerField.MAX_BIGINT:
                raise self._invalid_cursor()
        return cursor

    def _invalid_cursor(self) -> ValidationError:
        # Made only when it is raised: a page without a cursor builds no error.
        return ValidationError({self.cursor_query_param: [_("Not a cursor this API gave out.")]})

    def _integer_positions(self) -> bool:
        """Whether a cursor's position is an integer (an id, a place in a text): true unless
        the ordering is by a time."""
        ordering = getattr(self, "ordering", ("-pk",))
        return not ordering[0].lstrip("-").endswith("_at")

    def get_schema_operation_parameters(self, view: APIView) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": max_page_size(),
                    "default": api_settings.PAGE_SIZE,
                }
        return parameters


class OrderedCursorPagination(CursorPagination):
    """A cursor pagination whose order the client picks with ``?ordering=``: the view's
    ``orderings`` maps each accepted value (validated by its filters, which answer 400 to
    any other) to the fields to sort by, ``default_ordering`` names the one without it."""

    def get_ordering(self, request: Request, queryset, view) -> tuple[str, ...]:
        value = request.query_params.get("ordering") or view.default_ordering
        return view.orderings[value]
