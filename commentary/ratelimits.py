"""How fast one person may post: a fixed window counted in the shared cache.

The limit is checked by the write service, so the pages and the API refuse a flood the
same way. Staff are exempt; the moderation rules (tighter for newcomers, moderators exempt)
will refine who gets which limit here.
"""

import time

from django.conf import settings
from django.core.cache import cache


def parse_rate(rate: str) -> tuple[int, int]:
    """``"20/60"`` → 20 actions per 60 seconds."""
    count, seconds = rate.split("/")
    return int(count), int(seconds)


def seconds_until_allowed(*, user, action: str, rate: str) -> int:
    """Count one ``action`` by ``user``; 0 if it is allowed, else how many seconds until
    the window that refused it ends."""
    if user.is_staff:
        return 0
    limit, window = parse_rate(rate)
    now = time.time()
    started = int(now // window * window)
    key = f"rate:{action}:{user.pk}:{started}"
    cache.add(key, 0, timeout=window + 1)
    try:
        done = cache.incr(key)
    except ValueError:  # evicted between add and incr: count afresh
        cache.set(key, 1, timeout=window + 1)
        done = 1
    if done <= limit:
        return 0
    return max(1, int(started + window - now + 0.999))


def comment_wait(user) -> int:
    return seconds_until_allowed(user=user, action="comment", rate=settings.SCHOLIA_COMMENT_RATE)
