"""How fast one person may post and edit: a window counted in the counters' cache.

The limits are checked by the write services, so the pages and the API refuse a flood the
same way. Staff and moderators are exempt; new members (``commentary.moderation.trust``)
post and flag under tighter limits.

Counts live in ``caches["counters"]`` (see config.site.caching), never among the cached pages,
so no amount of page traffic can evict a count and reopen a window early.

While the counters cannot be reached, each process counts on its own (a local-memory
cache): the limits still hold, each worker's count apart, so a flood is slowed by at most
the number of workers. Failing closed would stop every reader from posting for as long as
the outage lasts; failing open would leave a flood unchecked until it ends.
"""

import logging
import math
import time

from django.conf import settings
from django.core.cache import BaseCache
from django.core.cache.backends.base import default_key_func
from django.core.cache.backends.locmem import LocMemCache

from commentary.moderation.moderators import is_moderator
from commentary.moderation.trust import is_new_member
from config.site.caching import counters

logger = logging.getLogger(__name__)

# The counts of this process alone, used while the shared counters are unreachable.
_outage_counts = LocMemCache("rate-limits-during-outage", {"TIMEOUT": None})


def parse_rate(rate: str) -> tuple[int, int]:
    """``"20/60"`` → 20 actions per 60 seconds."""
    count, seconds = rate.split("/")
    return int(count), int(seconds)


def seconds_until_allowed(*, user, action: str, rate: str) -> int:
    """Count one ``action`` by ``user``; 0 if it is allowed, else how many seconds until
    the window that refused it ends. A window opens at a person's first counted action and
    lasts ``seconds``, so a burst can never straddle two windows.

    Each window counts under a key of its own (named by the moment it opened): a cache
    whose increment does not keep the expiry (the file cache of development) can never
    carry one window's count into the next.
    """
    if user.is_staff or is_moderator(user):
        return 0
    limit, window = parse_rate(rate)
    try:
        return _wait(counters(), user=user, action=action, limit=limit, window=window)
    except Exception:
        logger.warning("The rate-limit counters are unreachable: counting in this process.")
        return _wait(_outage_counts, user=user, action=action, limit=limit, window=window)


# ``_wait``'s steps on Redis, in one round trip: the window opened now unless one is open,
# its opening read, its count started at 0 unless it is there, then counted one more.
# KEYS[1]: the opening's key; ARGV: now (ms), the window (ms), the counts' key without the
# opening (as the cache names it: prefixed and versioned).
_WAIT_SCRIPT = """
redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
local opened = redis.call('GET', KEYS[1]) or ARGV[1]
local counted = ARGV[3] .. opened
redis.call('SET', counted, 0, 'NX', 'PX', ARGV[2])
return {tonumber(opened), redis.call('INCR', counted)}
"""


def _wait(store: BaseCache, *, user, action: str, limit: int, window: int) -> int:
    now_ms = int(time.time() * 1000)
    opened_key = f"rate:{action}:{user.pk}:opened"
    count_prefix = f"rate:{action}:{user.pk}:"
    if hasattr(store, "run_script") and store.key_func is default_key_func:
        opened_ms, done = store.run_script(
            _WAIT_SCRIPT,
            keys=[opened_key],
            args=[now_ms, window * 1000, store.make_key(count_prefix)],
        )
    else:
        store.add(opened_key, now_ms, timeout=window)
        opened_ms = store.get(opened_key, now_ms)
        count_key = f"{count_prefix}{opened_ms}"
        store.add(count_key, 0, timeout=window)
        try:
            done = store.incr(count_key)
        except ValueError:  # the window closed between add and incr: this one opens another
            store.set(count_key, 1, timeout=window)
            done = 1
    if done <= limit:
        return 0
    return max(1, math.ceil((opened_ms + window * 1000 - now_ms) / 1000))


def comment_wait(user, *, new_member: bool = False) -> int:
    """Posting; ``new_member`` (the caller knows it already) chooses the tighter rate."""
    rate = settings.SCHOLIA_NEW_MEMBER_COMMENT_RATE if new_member else settings.SCHOLIA_COMMENT_RATE
    return seconds_until_allowed(user=user, action="comment", rate=rate)


def flag_wait(user) -> int:
    rate = (
        settings.SCHOLIA_NEW_MEMBER_FLAG_RATE if is_new_member(user) else settings.SCHOLIA_FLAG_RATE
    )
    return seconds_until_allowed(user=user, action="flag", rate=rate)


def edit_wait(user) -> int:
    return seconds_until_allowed(user=user, action="edit", rate=settings.SCHOLIA_COMMENT_EDIT_RATE)
