"""Django's Redis cache, with one client per connection pool instead of one per call.

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


class ForgivingRedisCache(RedisCache):
    """A Redis cache for what can be rebuilt (pages, sessions' copies, throttles): a server
    that cannot be reached reads as a miss and takes no write, so the site serves uncached
    instead of failing. After a failure the server is left alone for ``RETRY_AFTER``
    seconds, so an outage costs each request no connection attempts.

    ``outages`` counts the failures this process has seen: the page cache asks whether
    any happened since it last trusted what the cache holds (see config.site.caching).
    """

    RETRY_AFTER = 1.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self.outages = 0
        self._down_until = 0.0

    def _forgiving(self, operation, missed, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return missed
        try:
            return operation(*args, **kwargs)
        except redis.RedisError as error:
            self.outages += 1
            self._down_until = time.monotonic() + self.RETRY_AFTER
            logger.warning("The cache at %s failed (%s): serving uncached.", self._servers, error)
            return missed

    def get(self, key, default=None, version=None):
        return self._forgiving(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._forgiving(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._forgiving(super().has_key, False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # An unreachable cache holds nothing, so nothing stands in the way: a lock taken
        # with add (allauth's rate limits) is granted rather than waited for until refused.
        return self._forgiving(super().add, True, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving(super().set, None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving(super().set_many, list(data), data, timeout, version)

    def incr(self, key, delta=1, version=None):
        # A count that cannot be read is one that is not there, as Django's caches say it.
        found = self._forgiving(super().incr, None, key, delta, version)
        if found is None:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).")
        return found

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._forgiving(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._forgiving(super().delete, False, key, version)

    def delete_many(self, keys, version=None):
        return self._forgiving(super().delete_many, None, keys, version)

    def clear(self):
        return self._forgiving(super().clear, False)
