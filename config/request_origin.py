"""The origin (scheme and host) of the request being served, for work that outlives it.

A background task, such as the mail telling an author of a decision, runs with no request:
what it links to is recorded while the request that caused it is still being served. The
middleware keeps the origin for the length of one request (a context variable, so each
thread or task of the server keeps its own); ``request_origin`` is "" outside a request
(a shell, a management command, a worker).
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_origin: ContextVar[str] = ContextVar("request_origin", default="")


def request_origin() -> str:
    """The scheme and host of the request being served ("" outside one)."""
    return _origin.get()


class RequestOriginMiddleware:
    """Keep the request's origin while it is served. After CommonMiddleware, so that a
    host outside ``ALLOWED_HOSTS`` has already been refused."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _origin.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            _origin.reset(token)
