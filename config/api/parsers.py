"""The API's JSON parser: a size limit and strict JSON, for every endpoint that takes a body.

A body over ``SCHOLIA_API_MAX_BODY_BYTES`` (64 KiB by default) is refused with a 413 on its
declared length before anything reads it, by ``config.request_limits``: DRF itself reads a
JSON body whole before it calls the parser. The parser checks the limit again, on the
declared length and by counting the bytes it reads, so that it never holds more than the
limit plus one byte whoever calls it.
"""

import orjson
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser, get_encoding

DEFAULT_MAX_BODY_BYTES = 64 * 1024


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = _lazy("The request body is too large.")


def max_body_bytes() -> int:
    return int(getattr(settings, "SCHOLIA_API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


def too_large_message(limit: int) -> str:
    return _("The request body can be at most %(limit)d bytes.") % {"limit": limit}


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
        too_large = RequestTooLarge(too_large_message(limit))
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
