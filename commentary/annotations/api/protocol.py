"""The W3C Web Annotation Protocol's HTTP: media type, negotiation, headers, preferences.

Every answer is JSON-LD with the annotation profile, whatever ``Accept`` says (the
Recommendation lets a server offer only that); a body is read as JSON-LD or plain JSON.
"""

import hashlib
import re

import orjson
from django.utils.cache import patch_vary_headers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer

from commentary.annotations.iris import ANNO_MEDIA_TYPE
from config.api.parsers import LimitedJSONParser

LDP = "http://www.w3.org/ns/ldp#"
OA = "http://www.w3.org/ns/oa#"
PREFER_MINIMAL = f"{LDP}PreferMinimalContainer"
PREFER_IRIS = f"{OA}PreferContainedIRIs"
PREFER_DESCRIPTIONS = f"{OA}PreferContainedDescriptions"
CONSTRAINED_BY = "https://www.w3.org/TR/annotation-protocol/"
CONTAINER_LINKS = f'<{LDP}BasicContainer>; rel="type", <{CONSTRAINED_BY}>; rel="{LDP}constrainedBy"'
RESOURCE_LINK = f'<{LDP}Resource>; rel="type"'
CONTAINER_METHODS = "GET, HEAD, OPTIONS, POST"
ANNOTATION_METHODS = "GET, HEAD, OPTIONS, PUT, DELETE"
PAGE_METHODS = "GET, HEAD, OPTIONS"
_INCLUDE = re.compile(r'include\s*=\s*"([^"]*)"')


class JsonLdRenderer(BaseRenderer):
    media_type = "application/ld+json"
    format = "jsonld"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        return orjson.dumps(data)


class JsonLdParser(LimitedJSONParser):
    """``application/ld+json`` bodies (any profile), with the API's size limit."""

    media_type = "application/ld+json"


class AlwaysJsonLd(BaseContentNegotiation):
    """JSON-LD for every ``Accept``: the one representation the containers have."""

    def select_parser(self, request, parsers):
        for parser in parsers:
            if request.content_type.split(";")[0].strip().lower() == parser.media_type:
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def etag_of(data: dict) -> str:
    return '"' + hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest() + '"'


def if_match_fails(request, current_etag: str) -> bool:
    """Whether the request's ``If-Match`` names no current representation (412)."""
    header = request.headers.get("If-Match")
    if header is None:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" not in tags and current_etag not in tags


def preferred_inclusion(request) -> str | None:
    """What ``Prefer: return=representation; include="..."`` asks of a container's
    representation: one of the three preferences, or None when it asks none of them."""
    prefer = request.headers.get("Prefer", "")
    if "return=representation" not in prefer.replace(" ", ""):
        return None
    found = _INCLUDE.search(prefer)
    included = found.group(1).split() if found else []
    for preference in (PREFER_MINIMAL, PREFER_IRIS, PREFER_DESCRIPTIONS):
        if preference in included:
            return preference
    return None


def protocol_headers(response, *, etag: str | None, allow: str, links: str | None = None):
    """The headers every answer of the protocol carries; ``response`` returned."""
    # DRF writes the renderer's media type when it renders, over any header set before.
    response.content_type = ANNO_MEDIA_TYPE
    response["Allow"] = allow
    if links:
        response["Link"] = links
    if etag:
        response["ETag"] = etag
    patch_vary_headers(response, ("Accept",))
    return response
