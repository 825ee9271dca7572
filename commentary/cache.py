"""A generation number for the discussion, bumped by every write that can change what a
page shows. Cached anonymous pages put it in their key, so a write makes them stale at once
on every server that shares the cache (Redis in production)."""

from django.core.cache import cache

_KEY = "commentary:generation"


def generation() -> int:
    value = cache.get(_KEY)
    if value is None:
        cache.add(_KEY, 1, timeout=None)
        value = cache.get(_KEY, 1)
    return value


def discussion_changed() -> None:
    try:
        cache.incr(_KEY)
    except ValueError:
        cache.add(_KEY, 2, timeout=None)
