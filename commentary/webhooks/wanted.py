"""Which events some enabled endpoint wants, kept in the shared cache: an event nobody
subscribed to (every post's ``comment.created`` on a site without endpoints) costs no query.

Kept under the generation of ``ENDPOINTS`` (``config.site.caching.remembered``), in the
counters every process shares: every committed write of an endpoint (made, changed,
enabled, disabled, deleted, by its owner, by the receiver's answers, or with its owner, work
or group) bumps it, so that no process, this one or another, goes on using what it kept
before: at once, and again once the write has committed, so that nothing read before the
commit is kept under the new generation. While the generations cannot be read or trusted
(an outage, a bump owed), the database is asked: nothing is skipped on a guess.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from commentary.webhooks.models import WebhookEndpoint
from config.site.caching import bump, kept_with_the_first, read_with_the_first, remembered

ENDPOINTS = "webhook-endpoints"
WANTED = "webhooks:wanted-events"


def wanted_events() -> frozenset[str]:
    """The event types at least one enabled endpoint is subscribed to."""
    return remembered(WANTED, (ENDPOINTS,), _wanted_now)


def _wanted_now() -> frozenset[str]:
    subscriptions = (
        WebhookEndpoint.objects.enabled().order_by().values_list("events", flat=True).distinct()
    )
    return frozenset(event for events in subscriptions for event in events.split())


def endpoints_changed(**_ignored) -> None:
    """Make what every process keeps of the endpoints stale: now, and once the write
    commits."""
    bump(ENDPOINTS)
    transaction.on_commit(lambda: bump(ENDPOINTS))


def listen() -> None:
    """Connect the writes of endpoints (``webhooks.listeners.listen``); the services that
    write with ``update()`` call ``endpoints_changed`` themselves."""
    # Every post asks, after its commit: read with the request's first reads.
    read_with_the_first(ENDPOINTS)
    kept_with_the_first(WANTED)
    post_save.connect(endpoints_changed, sender=WebhookEndpoint, dispatch_uid="webhooks-saved")
    post_delete.connect(endpoints_changed, sender=WebhookEndpoint, dispatch_uid="webhooks-deleted")
