"""Django's Redis cache, with one client per connection pool instead of one per call, and
no check of its keys against memcached's limits.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache
operation; building one fills a table of some 170 response callbacks, which cost more
Python time than the round trip to Redis. A client holds no connection of its own (the
pool does, and is safe across threads and re-made after a fork), so one per pool is kept.

Clearing a cache with a key prefix deletes that prefix's keys only, not the whole database
Django's ``clear`` empties: caches sharing a Redis database under prefixes of their own (the
test suite's workers, a second site) never empty each other.

``ForgivingRedisCache`` serves the caches whose loss costs only time: see its doc.
"""

import logging
import re
import threading
import time

import redis
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT

logger = logging.getLogger(__name__)


class ReusedClientRedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._scripts = {}

    def validate_key(self, key):
        """Nothing to check: Django's check warns of keys memcached would refuse (over 250
        characters, spaces, control characters), which Redis takes as they are, and it
        reads each key a character at a time, in Python: some 5 µs a key, a dozen keys
        for a signed-in reader's page."""

    def run_script(self, source: str, *, keys: list[str] = (), args: list = ()):
        """Run the Lua ``source`` on the server, atomically and in one round trip, with
        ``keys`` named as this cache names them (prefixed and versioned) and ``args``. The
        script is sent once per client, then called by its hash."""
        client = self._cache.get_client(None, write=True)
        script = self._scripts.get((id(client), source))
        if script is None:
            script = self._scripts[(id(client), source)] = client.register_script(source)
        return script(keys=[self.make_and_validate_key(key) for key in keys], args=list(args))

    def clear(self):
        if not self.key_prefix:
            return super().clear()
        client = self._cache.get_client(None, write=True)
        # Keys are "<prefix>:<version>:<key>"; the glob's special characters in the prefix
        # are escaped, and the colon keeps "a" from matching "a-counters" or "ab".
        pattern = re.sub(r"([\\*?\[\]])", r"\\\1", self.key_prefix) + ":*"
        batch = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) == 1000:
                client.unlink(*batch)
                batch = []
        if batch:
            client.unlink(*batch)
        return True


class _Missed:
    """The keys whose writes one Redis server did not take while it failed, per server and
    for the whole process (each thread has a cache object of its own): what the server
    may still hold under them is older than what was written, so it is deleted before the
    process asks the server anything else. Past ``LIMIT`` keys, the whole prefix is."""

    LIMIT = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[tuple, set[str]] = {}
        self._everything: set[tuple] = set()

    def add(self, where: tuple, keys) -> None:
        with self._lock:
            if where in self._everything:
                return
            missed = self._keys.setdefault(where, set())
            missed.update(keys)
            if len(missed) > self.LIMIT:
                self._everything.add(where)
                del self._keys[where]

    def take(self, where: tuple) -> tuple[bool, list[str]]:
        """(whether to clear the whole prefix, the keys to delete), forgotten here; given
        back with ``add``/``add_everything`` if the server fails again meanwhile."""
        with self._lock:
            everything = where in self._everything
            self._everything.discard(where)
            return everything, list(self._keys.pop(where, ()))

    def pending(self, where: tuple) -> bool:
        return where in self._everything or bool(self._keys.get(where))

    def add_everything(self, where: tuple) -> None:
        with self._lock:
            self._everything.add(where)
            self._keys.pop(where, None)


_missed = _Missed()


class ForgivingRedisCache(RedisCache):
    """A Redis cache for what can be rebuilt (pages, sessions' copies, throttles): a server
    that cannot be reached reads as a miss and takes no write, so the site serves uncached
    instead of failing. After a failure the server is left alone for ``RETRY_AFTER``
    seconds, so an outage costs each request no connection attempts.

    A write the server did not take (it failed, or came while the server was left alone)
    leaves it holding an older value under that key: a session's copy from before the
    write, say, which would then be read as the session. So the key is remembered, for the
    process, and deleted before the process next reads or writes anything there; a
    process that never saw the failure may read the older value until then, which is why
    what is kept here expires soon (config.sessions) or is checked against the counters
    (config.site.caching).

    ``outages`` counts the failures this process has seen: the page cache asks whether
    any happened since it last trusted what the cache holds (see config.site.caching).
    """

    RETRY_AFTER = 1.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self.outages = 0
        self._down_until = 0.0
        self._where = (tuple(self._servers), self.key_prefix)

    def _forgiving(self, operation, missed, *args, written=(), **kwargs):
        if time.monotonic() < self._down_until:
            self._missed_writes(written)
            return missed
        try:
            self._repair()
            return operation(*args, **kwargs)
        except redis.RedisError as error:
            self.outages += 1
            self._down_until = time.monotonic() + self.RETRY_AFTER
            self._missed_writes(written)
            logger.warning("The cache at %s failed (%s): serving uncached.", self._servers, error)
            return missed

    def _missed_writes(self, written) -> None:
        """``written``: (keys, version) of a write the server did not take, or
        ``_EVERYTHING``."""
        if written is _EVERYTHING:
            _missed.add_everything(self._where)
        elif written:
            keys, version = written
            _missed.add(self._where, [self.make_and_validate_key(key, version) for key in keys])

    def _repair(self) -> None:
        """Delete what the server holds under the keys whose writes it missed."""
        if not _missed.pending(self._where):
            return
        everything, keys = _missed.take(self._where)
        try:
            if everything:
                super().clear()
            elif keys:
                self._cache.get_client(None, write=True).unlink(*keys)
        except redis.RedisError:
            if everything:
                _missed.add_everything(self._where)
            else:
                _missed.add(self._where, keys)
            raise

    def get(self, key, default=None, version=None):
        return self._forgiving(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._forgiving(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._forgiving(super().has_key, False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # An unreachable cache holds nothing, so nothing stands in the way: a lock taken
        # with add (allauth's rate limits) is granted rather than waited for until refused.
        return self._forgiving(
            super().add, True, key, value, timeout, version, written=([key], version)
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving(
            super().set, None, key, value, timeout, version, written=([key], version)
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving(
            super().set_many, list(data), data, timeout, version, written=(list(data), version)
        )

    def incr(self, key, delta=1, version=None):
        # A count that cannot be read is one that is not there, as Django's caches say it.
        found = self._forgiving(super().incr, None, key, delta, version, written=([key], version))
        if found is None:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")
        return found

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._forgiving(super().delete, False, key, version, written=([key], version))

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._forgiving(super().delete_many, None, keys, version, written=(keys, version))

    def clear(self):
        return self._forgiving(super().clear, False, written=_EVERYTHING)


_EVERYTHING = object()  # a clear the server did not take: every key of the prefix
