"""The API's schema class (``DEFAULT_SCHEMA_CLASS``): drf-spectacular's, plus what API-wide
policy adds to operations whatever each view declares.

- Every operation may answer 400: a query parameter it does not take is refused
  (``config.api.query_parameters``).
- A creating ``post`` (``@idempotent``) takes the ``Idempotency-Key`` header and may answer
  422 when the key was used with another request (``config.api.idempotency``).
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
        added = [400]
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
        return operation
