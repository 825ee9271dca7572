"""The API's schema class (``DEFAULT_SCHEMA_CLASS``): drf-spectacular's, plus what API-wide
policy adds to operations whatever each view declares.

- Every operation may answer 400: a query parameter it does not take is refused
  (``config.api.query_parameters``).
- A creating ``post`` (``@idempotent``) takes the ``Idempotency-Key`` header and may answer
  422 when the key was used with another request (``config.api.idempotency``).
- Every operation may answer 401: a token that is unknown, revoked or expired is refused
  wherever it is sent, as is an anonymous caller where a reader must be signed in; and 403:
  a token without the scope the operation needs (``config.site.token_auth``).
- Every operation with a path parameter may answer 404: a value that names nothing (or
  nothing this reader may see), or that no route matches.
- Every error answer is documented as JSON, the one error format, with an example.
"""

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiParameter

from config.api.errors import ErrorSerializer, error_description
from config.api.idempotency import HEADER, KEY_PATTERN, MAX_KEY_LENGTH, is_idempotent

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": KEY_PATTERN},
    OpenApiParameter.HEADER,
    description=(
        "Any new value per request (a UUID, say). Sent again with the same request within "
        "24 hours, it gets the first answer back, with `Idempotent-Replayed: true`, and "
        "nothing is created again, even when both arrive at once. Keys are each member's "
        "own; the same key with another request answers 422."
    ),
)


class AutoSchema(openapi.AutoSchema):
    def _handler(self):
        return getattr(self.view, self.method.lower(), None)

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if is_idempotent(self._handler()):
            parameters = [*parameters, IDEMPOTENCY_KEY]
        return parameters

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if not operation:
            return operation
        added = [400, 401, 403]
        if "{" in path:
            added.append(404)
        if is_idempotent(self._handler()):
            added.append(422)
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        for status in added:
            operation["responses"].setdefault(
                str(status),
                {
                    "content": {"application/json": {"schema": error}},
                    "description": error_description(status),
                },
            )
        for status, response in operation["responses"].items():
            errors = [c for c in response.get("content", {}).values() if c.get("schema") == error]
            if errors:
                # Errors are JSON whatever the operation answers in (``config.api.errors``).
                response["content"] = {
                    "application/json": {"schema": error, "examples": error_examples(int(status))}
                }
        return operation


# (code, detail) of a typical error body per status, for the schema's examples.
_EXAMPLE_ERRORS = {
    400: ("invalid", "Some fields are not valid."),
    401: ("not_authenticated", "Authentication credentials were not provided."),
    403: ("insufficient_scope", "This token lacks the scope “write”."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "Method “PUT” not allowed."),
    406: ("not_acceptable", "Could not satisfy the request Accept header."),
    409: ("conflict", "The state changed since you saw it."),
    411: ("length_required", "Send the body with a Content-Length header."),
    412: ("precondition_failed", "The resource changed since that ETag: get it again."),
    413: ("request_too_large", "The request body is over the limit of 65536 bytes."),
    415: ("unsupported_media_type", "Unsupported media type “text/plain” in request."),
    422: ("idempotency_key_reused", "This Idempotency-Key came with another request."),
    429: ("throttled", "Request was throttled. Expected available in 30 seconds."),
}


def error_examples(status: int) -> dict:
    """The schema's example of an error body with ``status``."""
    code, detail = _EXAMPLE_ERRORS.get(status, ("error", error_description(status)))
    body: dict = {"status": status, "code": code, "detail": detail}
    if status == 400:
        body["errors"] = {"body": ["This field may not be blank."]}
    return {code: {"value": body, "summary": error_description(status)}}
