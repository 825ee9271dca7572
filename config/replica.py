"""Reads from a streaming replica, where nobody can tell the difference.

With ``DATABASE_REPLICA_URL`` set, ``PrimaryReplicaRouter`` sends a request's reads to the
replica (the ``replica`` alias) unless one of these holds, and then to the primary:

- the request is not a safe method (POST, PATCH, DELETE …): a write reads what it acts on
  where it writes;
- the request has written anything already (a session saved, a comment posted): what
  follows must see it;
- the connection to the primary is inside a transaction (``atomic``): a transaction's reads
  never go anywhere else;
- its author wrote within the last ``SCHOLIA_REPLICA_PIN_SECONDS`` (five by default): a
  write answers with the ``scholia_primary`` cookie, and, for a client signing in with an
  API token (which may keep no cookie), a mark in the counters' cache under a digest of its
  ``Authorization`` header. A replica a few hundred milliseconds behind never shows a member
  a page without what they just posted.

Outside requests (the task worker, management commands) every read goes to the primary:
a task enqueued by a write must find what that write committed.

Every write goes to the primary. The replica runs no migrations (it follows the primary's).
"""

import contextlib
import hashlib
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "scholia_primary"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class _Reads:
    """Where one request's reads may go."""

    replica_allowed: bool
    wrote: bool = False


_reads: ContextVar[_Reads | None] = ContextVar("replica_reads", default=None)


def replica_configured() -> bool:
    return settings.SCHOLIA_READ_REPLICA and REPLICA in settings.DATABASES


def reads_alias() -> str:
    """The database the next read goes to."""
    reads = _reads.get()
    if (
        reads is None
        or not reads.replica_allowed
        or reads.wrote
        or not replica_configured()
        or connections[PRIMARY].in_atomic_block
    ):
        return PRIMARY
    return REPLICA


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        return reads_alias()

    def db_for_write(self, model, **hints) -> str:
        reads = _reads.get()
        if reads is not None:
            reads.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Both aliases hold the same rows.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool | None:
        return False if db == REPLICA else None


def _token_pin_key(request: HttpRequest) -> str | None:
    authorization = request.headers.get("Authorization", "")
    if not authorization:
        return None
    return "replica-pin:" + hashlib.sha256(authorization.encode()).hexdigest()[:40]


def _pinned(request: HttpRequest) -> bool:
    try:
        if float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time():
            return True
    except ValueError:
        pass
    key = _token_pin_key(request)
    if key is None:
        return False
    try:
        return bool(caches["counters"].get(key))
    except Exception:  # noqa: BLE001 - counters unreachable: read where the writes are
        return True


def _pin(request: HttpRequest, response: HttpResponse) -> None:
    seconds = settings.SCHOLIA_REPLICA_PIN_SECONDS
    response.set_cookie(
        PIN_COOKIE,
        f"{time.time() + seconds:.3f}",
        max_age=seconds,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    key = _token_pin_key(request)
    if key is not None:
        # Unreachable counters: the cookie still pins a client that keeps it.
        with contextlib.suppress(Exception):
            caches["counters"].set(key, 1, timeout=seconds)


class ReplicaReadsMiddleware:
    """Decide, per request, whether its reads may go to the replica, and pin a writer to
    the primary for the next few seconds. Early in the chain: sessions are read through it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        reads = _Reads(replica_allowed=request.method in _SAFE_METHODS and not _pinned(request))
        token = _reads.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if reads.wrote:
            _pin(request, response)
        return response
