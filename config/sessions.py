"""Sessions kept in the database, with copies in the cache that live minutes, not weeks.

Django's ``cached_db`` store reads a session from the cache and falls back to the database,
so readers stay signed in while the cache is down (its Redis reads as empty, see
config.redis_cache). But a sign-out during the outage deletes the session from the database
only: a cache that comes back with its data (a network split, a timeout) still holds the
copy. Copies are therefore kept ``SESSION_COPY_SECONDS`` at most, which bounds how long such
a copy can outlive its session, for one database read per signed-in reader per period.
"""

from django.contrib.sessions.backends import cached_db

SESSION_COPY_SECONDS = 5 * 60


class _ShortLivedCopies:
    """The sessions' cache, storing nothing for longer than ``SESSION_COPY_SECONDS``."""

    def __init__(self, cache) -> None:
        self._cache = cache

    def set(self, key, value, timeout=None, **kwargs):
        timeout = SESSION_COPY_SECONDS if timeout is None else min(timeout, SESSION_COPY_SECONDS)
        return self._cache.set(key, value, timeout, **kwargs)

    async def aset(self, key, value, timeout=None, **kwargs):
        timeout = SESSION_COPY_SECONDS if timeout is None else min(timeout, SESSION_COPY_SECONDS)
        return await self._cache.aset(key, value, timeout, **kwargs)

    def __contains__(self, key) -> bool:
        return key in self._cache

    def __getattr__(self, name):
        return getattr(self._cache, name)


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _ShortLivedCopies(self._cache)
