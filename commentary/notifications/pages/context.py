"""What every page's template receives from notifications: how many notifications the
reader has not read (the bell), and how many of them are decisions on their comments,
asked only when a template reads them, and once (one query, then cached)."""

from functools import cache

from django.http import HttpRequest

from commentary.notifications.services import unread_counts


def notifications(request: HttpRequest) -> dict:
    # Callables: templates call them, and get numbers they can count with.
    counts = cache(lambda: unread_counts(request.user))
    return {
        "unread_notifications": lambda: counts()[0],
        "unread_decisions": lambda: counts()[1],
    }
