"""The one error format every /api/ response uses, and the exception handler that writes it.

An error body is always ``{"status": <int>, "code": "<slug>", "detail": "<message>"}``,
plus ``"errors": {field: [messages]}`` for a 400 with field errors.
"""

from typing import Any

from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers


class ErrorSerializer(serializers.Serializer):
    """Documents the error body; the exception handler and the middleware write it."""

    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    code = serializers.CharField(help_text="A stable machine-readable slug, e.g. not_found.")
    detail = serializers.CharField(help_text="A human-readable message.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Field errors of a 400: field name to messages.",
    )


_ERROR_DESCRIPTIONS = {
    400: "The request is not valid.",
    401: "Authentication is required.",
    403: "The request is refused.",
    404: "Not found, or not visible to you: the two are indistinguishable.",
    405: "Method not allowed; the Allow header lists those that are.",
    406: "No representation matches the Accept header; JSON is always available.",
    409: "Already decided: the state changed since you saw it; nothing was done.",
    411: "The body came without a Content-Length header (chunked); send its length.",
    413: "The request body is too large (over 64 KiB by default); the detail gives the limit.",
    412: "The If-Match ETag is not the current one: get the resource again.",
    415: "The request body's media type is not supported.",
    422: "This Idempotency-Key came with another request: use a new key for a new request.",
    429: "Too many requests; retry after the number of seconds in Retry-After.",
}


class Conflict(exceptions.APIException):
    """The request came too late: what it acts on changed since the client saw it."""

    status_code = 409
    default_detail = _("The state changed since you saw it.")
    default_code = "conflict"


def error_description(status_code: int) -> str:
    return _ERROR_DESCRIPTIONS[status_code]


def error_responses(*status_codes: int) -> dict[int, OpenApiResponse]:
    """Schema entries for the given error statuses, for ``extend_schema(responses=...)``."""
    return {
        status: OpenApiResponse(ErrorSerializer, description=_ERROR_DESCRIPTIONS[status])
        for status in status_codes
    }


def _error_body(status_code: int, code: str, detail: str, errors: dict | None = None) -> dict:
    body: dict[str, Any] = {"status": status_code, "code": code, "detail": detail}
    if errors:
        body["errors"] = errors
    return body


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Field errors as ``{field: [messages]}``, the API's error shape, whatever the nesting.

    An error inside ``quote`` is reported under ``quote.exact``, one about ``quote`` as a
    whole under ``quote``; the items of a list under their index (``tags.1.name``). Messages
    that belong to no field go under ``non_field_errors``.
    """
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for name, value in detail.items():
            if name == "non_field_errors" and prefix:
                key = prefix
            else:
                key = f"{prefix}.{name}" if prefix else str(name)
            for field, messages in flatten_errors(value, key).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    if isinstance(detail, list | tuple):
        flat = {}
        for index, item in enumerate(detail):
            # A list serializer reports each item, valid ones as empty dicts.
            key = f"{prefix}.{index}" if isinstance(item, dict) else prefix
            for field, messages in flatten_errors(item, key).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    return {prefix or "non_field_errors": [str(detail)]}


def exception_handler(exc: Exception, context: dict):
    # Imported here: rest_framework.views reads DEFAULT_RENDERER_CLASSES, which names this
    # module, so importing it at the top fails whenever this module is imported first (the
    # middleware does so when Django loads it, before any view).
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, Http404):
        # Whatever message the 404 was raised with, "missing" and "not yours" must read alike.
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        if isinstance(exc.detail, dict):
            non_field = errors.get("non_field_errors")
            message = non_field[0] if non_field else str(_("Some fields are not valid."))
            response.data = _error_body(400, "invalid", message, errors)
        else:
            messages = errors.get("non_field_errors") or [str(_("Invalid."))]
            response.data = _error_body(400, "invalid", messages[0])
        return response
    detail = getattr(exc, "detail", str(exc))
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    if not isinstance(code, str):
        code = "error"
    response.data = _error_body(response.status_code, code, str(detail))
    return response


def error_response(status_code: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse(_error_body(status_code, code, detail), status=status_code)


def invalid_response(detail: str, errors: dict[str, list[str]]) -> JsonResponse:
    """The 400 of field errors, for what is refused before any DRF view runs."""
    return JsonResponse(_error_body(400, "invalid", detail, errors), status=400)
