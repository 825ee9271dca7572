"""One JSON line per request, and a request id that follows the request wherever it goes.

Each request gets an id: the one the proxy sent in ``X-Request-ID`` (HAProxy makes one per
request, so its log and ours name the same request), else a new one. The id is answered in
the response's ``X-Request-ID``, kept in a context variable for the length of the request
(so every log record written meanwhile carries it) and handed to the background tasks the
request enqueues, which bind it again while they run (``request_id_bound``).

``RequestLogMiddleware`` writes one record per request to the ``scholia.requests`` logger:
method, path, status, duration, response size, the member's id (never a name or address)
and the id. ``JsonFormatter`` writes any record as one line of JSON; the settings use it
when ``LOG_FORMAT=json`` (the default in production). Health checks are not logged: the
balancer asks every two seconds.
"""

import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

HEADER = "X-Request-ID"
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
_UNLOGGED_PATHS = frozenset({"/healthz", "/readyz"})

request_logger = logging.getLogger("scholia.requests")
_request_id: ContextVar[str] = ContextVar("request_id", default="")


def current_request_id() -> str:
    """The id of the request being served, or of the request a running task came from
    ("" outside both)."""
    return _request_id.get()


@contextmanager
def request_id_bound(request_id: str) -> Iterator[None]:
    """Make ``request_id`` the current one for the block (a task run, a request)."""
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)


def _incoming_id(request: HttpRequest) -> str:
    # Only a plain token from the proxy is kept: the id is written to logs and headers.
    sent = request.headers.get(HEADER, "")
    return sent if _ACCEPTED_ID.fullmatch(sent) else uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record, so any log line names its request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            # Django logs an error response once every middleware has returned: the
            # request it passes along still holds its id.
            request = getattr(record, "request", None)
            record.request_id = current_request_id() or getattr(request, "request_id", "")
        return True


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time, level, logger, message, the request id and any
    fields passed in ``extra={"fields": {...}}``; an exception's traceback as ``exc``."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or current_request_id(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class RequestLogMiddleware:
    """Give the request its id and log it once it is answered. First in the chain, so the
    time covers every other middleware and the id is set before anything logs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = _incoming_id(request)
        request.request_id = request_id
        started = time.perf_counter()
        with request_id_bound(request_id):
            response = self.get_response(request)
            response[HEADER] = request_id
            if request.path not in _UNLOGGED_PATHS:
                self._log(request, response, time.perf_counter() - started)
        return response

    def _log(self, request: HttpRequest, response: HttpResponse, seconds: float) -> None:
        user = getattr(request, "user", None)
        # Only a user already loaded: loading one here would cost a query per request.
        loaded = user is not None and getattr(user, "_wrapped", None) is not empty
        user_id = user.pk if loaded and user.is_authenticated else None
        size = None if response.streaming else len(response.content)
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "fields": {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 2),
                    "bytes": size,
                    "user_id": user_id,
                    "page_cache": response.get("X-Page-Cache"),
                }
            },
        )
