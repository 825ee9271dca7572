"""Keeps every error under /api/ in the API's JSON shape, whoever raised it, and refuses
query parameters an API operation does not take."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from config.api.errors import error_response, invalid_response
from config.api.query_parameters import accepted_parameters, unknown_parameters_message

_API_PREFIX = "/api/"
_MESSAGES = {
    400: ("bad_request", "Bad request."),
    403: ("forbidden", "Forbidden."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "Method not allowed."),
    406: ("not_acceptable", "Could not satisfy the request Accept header."),
    413: ("request_too_large", "The request body is too large."),
    500: ("server_error", "A server error occurred."),
}
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary")


def is_api_path(path: str) -> bool:
    """Whether an address is the API's, whose every answer is JSON."""
    return path.startswith(_API_PREFIX)


def _json_error(response: HttpResponse) -> HttpResponse:
    # A DRF error rendered as HTML or YAML still carries the body the exception handler
    # wrote; keep its code, detail and field errors.
    data = getattr(response, "data", None)
    if isinstance(data, dict) and {"status", "code", "detail"} <= data.keys():
        return JsonResponse(data, status=response.status_code)
    status = response.status_code
    code, detail = _MESSAGES.get(status, ("error", response.reason_phrase or "Error."))
    return error_response(status, code, detail)


class ApiErrorMiddleware:
    """Replaces any error response under /api/ that is not JSON with the API's JSON error.

    It sees Django's own pages (unknown URL, the 500 page, DEBUG's technical pages, the CSRF
    403) as well as DRF errors rendered by a non-JSON renderer (the browsable API, the
    schema's YAML). Django has already logged an exception by the time its 500 page gets
    here, so replacing the page loses nothing but the HTML. The detail is generic on
    purpose: a 500 must not leak what went wrong, even with DEBUG on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and is_api_path(request.path)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            replacement = _json_error(response)
            for header in _KEPT_HEADERS:
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response


class ApiQueryParametersMiddleware:
    """Answers 400 to an API request that carries a query parameter its operation does not
    take, before the view (or the page cache, which would drop the parameter) runs; see
    ``config.api.query_parameters``. Each unknown name is an error field, as unknown body
    fields are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable, args: tuple, kwargs: dict
    ) -> HttpResponse | None:
        if not request.GET or not is_api_path(request.path):
            return None
        accepted = accepted_parameters(view, request.method)
        if accepted is None:
            return None
        unknown = sorted(name for name in request.GET if name not in accepted)
        if not unknown:
            return None
        message = unknown_parameters_message(accepted)
        return invalid_response(message, {name: [message] for name in unknown})
