"""The API's JSON parser: a size limit and strict JSON, for every endpoint that takes a body.

DRF reads the request stream itself, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE never applies
to a JSON body. This parser refuses a body over ``SCHOLIA_API_MAX_BODY_BYTES`` (64 KiB by
default) with a 413 before reading it when Content-Length says so, and by counting the bytes
it reads otherwise, so it never holds more than the limit plus one byte.
"""

import orjson
from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser, get_encoding

DEFAULT_MAX_BODY_BYTES = 64 * 1024


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = "The request body is too large."


def max_body_bytes() -> int:
    return int(getattr(settings, "SCHOLIA_API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


def _declared_length(parser_context: dict) -> int | None:
    request = parser_context.get("request")
    meta = getattr(request, "META", {})
    try:
        return int(meta.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


class LimitedJSONParser(JSONParser):
    """JSON bodies of at most ``SCHOLIA_API_MAX_BODY_BYTES`` bytes.

    Over the limit: 413 ``request_too_large``. Not JSON (including NaN, Infinity, lone
    surrogates and nesting deeper than 1024): 400 ``parse_error``.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        limit = max_body_bytes()
        too_large = RequestTooLarge(f"The request body can be at most {limit} bytes.")
        declared = _declared_length(parser_context)
        if declared is not None and declared > limit:
            raise too_large
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise too_large
        encoding = get_encoding(parser_context)
        try:
            if encoding.lower().replace("-", "") != "utf8":
                raw = raw.decode(encoding)
            return orjson.loads(raw)
        except (orjson.JSONDecodeError, UnicodeError) as error:
            raise ParseError(f"JSON parse error: {error}") from error
