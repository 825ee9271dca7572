"""API-wide policy: the JSON renderer and the one error format every /api/ response uses.

An error body is always ``{"status": <int>, "code": "<slug>", "detail": "<message>"}``,
plus ``"errors": {field: [messages]}`` for a 400 with field errors.
"""

from typing import Any

import orjson
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.renderers import BaseRenderer
from rest_framework.views import exception_handler as drf_exception_handler


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS, default=str)


def _error_body(status_code: int, code: str, detail: str, errors: dict | None = None) -> dict:
    body: dict[str, Any] = {"status": status_code, "code": code, "detail": detail}
    if errors:
        body["errors"] = errors
    return body


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def exception_handler(exc: Exception, context: dict):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        if isinstance(detail, dict):
            errors = _flatten(detail)
            non_field = errors.pop("non_field_errors", None)
            message = non_field[0] if non_field else "Some fields are not valid."
            if non_field:
                errors["non_field_errors"] = non_field
            response.data = _error_body(400, "invalid", message, errors)
        else:
            messages = _flatten(detail if isinstance(detail, list) else [detail])
            response.data = _error_body(400, "invalid", messages[0] if messages else "Invalid.")
        return response
    detail = getattr(exc, "detail", str(exc))
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    if not isinstance(code, str):
        code = "error"
    response.data = _error_body(response.status_code, code, str(detail))
    return response


def error_response(status_code: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse(_error_body(status_code, code, detail), status=status_code)
