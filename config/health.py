"""``/healthz`` (the process answers) and ``/readyz`` (it can serve), for the balancer.

``/readyz`` checks what a request needs and says what it found, as JSON:

- the database that reads go to (the replica when ``DATABASE_REPLICA_URL`` is set, else the
  primary) answers, and the primary answers;
- every migration on disk is applied there;
- both Redis servers (pages and sessions; counters) answer.

It answers 503 only when the process cannot serve a page: the reads' database is down or
a migration is pending (a new release started before ``migrate``). A primary that is down
while the replica answers, or a Redis server that is down, is reported but leaves the
process ready: it still serves reads (writes answer 503 with ``Retry-After``) and serves
pages uncached. Were the balancer to take every server out for those, a cache outage or a
primary restart would become a whole outage.
"""

import logging

import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config.replica import REPLICA, replica_configured

logger = logging.getLogger(__name__)

OK, DOWN, PENDING, UNKNOWN, UNUSED = "ok", "down", "pending", "unknown", "not used"

# Migrations on disk do not change while a process runs: once applied, always applied.
_migrations_applied = False


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answering; nothing else is asked."""
    return JsonResponse({"status": "ok"})


def database_check(alias: str) -> str:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Readiness: database %r does not answer (%s).", alias, error)
        return DOWN
    return OK


def migrations_check(alias: str) -> str:
    global _migrations_applied
    if _migrations_applied:
        return OK
    try:
        executor = MigrationExecutor(connections[alias])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return UNKNOWN
    if pending:
        return PENDING
    _migrations_applied = True
    return OK


def redis_check(alias: str) -> str:
    cache = caches[alias]
    if not isinstance(cache, RedisCache):
        return UNUSED
    try:
        # The client itself, past ForgivingRedisCache's forgiveness.
        cache._cache.get_client(write=True).ping()
    except redis.RedisError as error:
        logger.warning("Readiness: the %r cache's Redis does not answer (%s).", alias, error)
        return DOWN
    return OK


def readiness() -> tuple[bool, dict[str, str]]:
    """Whether the process can serve, and what each check found."""
    checks = {"primary": database_check("default")}
    reads = "default"
    if replica_configured():
        reads = REPLICA
        checks["replica"] = database_check(REPLICA)
    checks["migrations"] = migrations_check(reads) if checks[reads_key(reads)] == OK else UNKNOWN
    checks["redis_pages"] = redis_check("default")
    checks["redis_counters"] = redis_check("counters")
    ready = checks[reads_key(reads)] == OK and checks["migrations"] == OK
    return ready, checks


def reads_key(alias: str) -> str:
    return "replica" if alias == REPLICA else "primary"


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    ready, checks = readiness()
    return JsonResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


def forget_migrations_applied() -> None:
    """For tests: check the migrations again on the next request."""
    global _migrations_applied
    _migrations_applied = False
