"""A database that cannot be reached answers 503 with ``Retry-After``, never a 500.

While the primary restarts, a write (and any read pinned to it) fails to connect. That is
not a fault of the request: the client is told to come back in a few seconds, in the API's
JSON under /api/ and as a short page elsewhere. Nothing was written: the transaction that
failed to reach the database committed nothing.

``DatabaseUnavailableMiddleware`` catches the error a view raises; ``server_error`` (the
site's ``handler500``) catches one raised by a middleware (a session saved on the way out).
"""

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

from config.api.errors import error_response
from config.api.middleware import is_api_path

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
_UNREACHABLE = (OperationalError, InterfaceError)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    if is_api_path(request.path):
        response = error_response(
            503,
            "database_unavailable",
            "The database is briefly unavailable: nothing was saved. Retry after the "
            "number of seconds in Retry-After.",
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503, content_type="text/html")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, _UNREACHABLE):
            logger.warning("Database unavailable (%s): answered 503.", exception)
            return unavailable_response(request)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    if isinstance(sys.exc_info()[1], _UNREACHABLE):
        return unavailable_response(request)
    return defaults.server_error(request)
