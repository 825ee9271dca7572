"""Conditional requests on the discussion's API: strong ETags built from the generations
the page cache already keeps (``config.site.caching``), so that an ``If-None-Match`` that
still matches answers 304 before any comment row is read.

A tag names one representation for one reader: the generations of the edition's text and
of the discussion (bumped by every write that changes what a comment, thread or list
shows, on any work), the path and query, the negotiated format, and who reads — their id
and roles (groups, moderation, a token's limits), since the visibility rule answers by
them. It changes whenever anything of the discussion changes anywhere, which is more often
than the representation does: a client may be told to refetch what did not change, never
told that what changed did not.

``If-Match`` on a write is checked against the same tag a GET of that URL gives: a stale
one answers 412 and nothing is written. No precondition is required (there is no 428): a
write without ``If-Match`` is done as before.
"""

import hashlib
from functools import wraps

from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from commentary.roles import reader_roles
from config.site.caching import DISCUSSION, TEXT, trusted_generations

NOT_MODIFIED = OpenApiResponse(
    description="Not modified: the If-None-Match ETag is still current. No body."
)


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource changed since that ETag: get it again."
    default_code = "precondition_failed"


def representation_tag(request: Request, *, path: str | None = None) -> str | None:
    """The strong ETag of what a GET of ``path`` (default: this request's) gives this
    reader now; None while the generations cannot be trusted."""
    counted = trusted_generations(TEXT, DISCUSSION)
    if counted is None:
        return None
    user = request.user
    roles = reader_roles(user)
    renderer = getattr(request, "accepted_renderer", None)
    basis = [
        *map(str, counted),
        path or request.path,
        request.META.get("QUERY_STRING", "") if path is None else "",
        getattr(renderer, "format", "json") if path is None else "json",
        str(user.pk if user.is_authenticated else 0),
        repr(roles),
    ]
    return '"' + hashlib.blake2s("\n".join(basis).encode(), digest_size=16).hexdigest() + '"'


def _listed(header: str) -> set[str]:
    return {tag.strip() for tag in header.split(",") if tag.strip()}


def conditional_get(method):
    """For a GET handler: ``ETag`` on its 200, and 304 (no body, no further query) when
    ``If-None-Match`` names the current tag or is ``*``."""

    @wraps(method)
    def handler(view, request: Request, *args, **kwargs):
        tag = representation_tag(request)
        if tag is not None:
            asked = _listed(request.headers.get("If-None-Match", ""))
            if tag in asked or "*" in asked:
                response = Response(status=status.HTTP_304_NOT_MODIFIED)
                response["ETag"] = tag
                return response
        response = method(view, request, *args, **kwargs)
        if tag is not None and response.status_code == status.HTTP_200_OK:
            response["ETag"] = tag
        return response

    return handler


def ensure_if_match(request: Request) -> None:
    """412 when the request's ``If-Match`` names no current representation of its URL (as
    a GET would give it, in JSON). Without the header, nothing is required."""
    header = request.headers.get("If-Match")
    if header is None:
        return
    asked = _listed(header)
    if "*" in asked:
        return
    if representation_tag(request, path=request.path) not in asked:
        raise PreconditionFailed()
