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
    the window that refused it ends. A window opens at a person's first counted action and
    lasts ``seconds``, so a burst can never straddle two windows."""
    if user.is_staff:
        return 0
    limit, window = parse_rate(rate)
    now = time.time()
    count_key, opened_key = f"rate:{action}:{user.pk}", f"rate:{action}:{user.pk}:opened"
    if cache.add(count_key, 0, timeout=window):
        cache.set(opened_key, now, timeout=window)
    try:
        done = cache.incr(count_key)
    except ValueError:  # the window closed between add and incr: open another
        cache.set(count_key, 1, timeout=window)
        cache.set(opened_key, now, timeout=window)
        done = 1
    if done <= limit:
        return 0
    opened = cache.get(opened_key, now)
    return max(1, int(opened + window - now + 0.999))


def comment_wait(user) -> int:
    return seconds_until_allowed(user=user, action="comment", rate=settings.SCHOLIA_COMMENT_RATE)
