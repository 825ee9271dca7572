"""The largest request body each part of the site reads, enforced before anything reads it.

A body is judged by its declared Content-Length, before a byte of it is read, so a client
that declares a large body and sends it slowly never holds a worker (DRF reads a JSON body
whole, up to Django's upload limit, before any parser could count it):

- under /api/, over ``SCHOLIA_API_MAX_BODY_BYTES`` (64 KiB): the API's JSON 413;
- elsewhere, over Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB): a 413 page. The site
  takes no file uploads, so the whole body counts.

Under /api/, a body sent without Content-Length (``Transfer-Encoding: chunked``) answers
411: under WSGI Django reads such a body as empty, which would turn a valid comment into
"body: This field is required.". Django's own refusal of a body over its upload limit
(``RequestDataTooBig``, a 400 by default) answers 413 too, through ``bad_request``.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

from config.api.errors import error_response
from config.api.middleware import is_api_path
from config.api.parsers import RequestTooLarge, max_body_bytes, too_large_message


class RequestBodyLimitMiddleware:
    """Refuses a body over the limit of its part of the site on its declared length.

    It must come before any middleware that reads the body (CSRF reads a form's).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return _refusal(request) or self.get_response(request)


def _refusal(request: HttpRequest) -> HttpResponse | None:
    api = is_api_path(request.path)
    declared = _declared_length(request)
    if declared is None:
        if api and request.META.get("HTTP_TRANSFER_ENCODING"):
            detail = _("Send the body with a Content-Length header; a chunked body is not read.")
            return error_response(411, "length_required", detail)
        return None
    if api:
        limit = max_body_bytes()
        if declared > limit:
            return error_response(413, RequestTooLarge.default_code, too_large_message(limit))
        return None
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and declared > limit:
        return _too_large_page(limit)
    return None


def _declared_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        # Django reads a body of unreadable length as empty; so does everything after us.
        return None


def _too_large_page(limit: int | None) -> HttpResponse:
    # Rendered without a request: the session and the user are not known yet.
    return HttpResponse(render_to_string("413.html", {"limit": limit}), status=413)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 handler, except that a body over its upload limit is a 413."""
    if isinstance(exception, RequestDataTooBig):
        if is_api_path(request.path):
            return error_response(
                413, RequestTooLarge.default_code, str(RequestTooLarge.default_detail)
            )
        return _too_large_page(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return defaults.bad_request(request, exception)
