"""Keeps every error under /api/ in the API's JSON shape, whoever raised it."""

from django.http import HttpRequest, HttpResponse

from config.api import error_response

_API_PREFIX = "/api/"
_MESSAGES = {
    400: ("bad_request", "Bad request."),
    403: ("not_found", "Not found."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "Method not allowed."),
    406: ("not_acceptable", "Could not satisfy the request Accept header."),
    413: ("request_too_large", "The request body is too large."),
    500: ("server_error", "A server error occurred."),
}


class ApiErrorMiddleware:
    """Replaces a non-JSON error page under /api/ (Django's 404, 500, CSRF 403…) with JSON.

    Invariant 4 of the design: a refusal to show something answers 404, so a stray 403
    page (CSRF, for instance, keeps its 403 status: it is not about visibility).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(_API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            code, detail = _MESSAGES.get(status, ("error", response.reason_phrase or "Error."))
            if status == 403:
                code, detail = "forbidden", "Forbidden."
            replacement = error_response(status, code, detail)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response
