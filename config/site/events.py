"""How the site's parts tell each other what happened: a signal sent once the transaction
that did it commits, so that a listener never acts on a write that was rolled back.

Each part names its own events (``commentary.events``, ``commentary.groups.events``,
``edition.events``) and sends them with ``send_after_commit``; listeners (the page cache,
notifications, and later search and webhooks) connect to them at start-up, and nothing
that sends an event imports what listens to it. One failing listener is logged and does
not keep the others from hearing the event.
"""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)


def send_after_commit(signal: Signal, **payload) -> None:
    """Send ``signal`` with ``payload`` when the current transaction commits (at once in
    autocommit)."""

    def send() -> None:
        for receiver, outcome in signal.send_robust(sender=None, **payload):
            if isinstance(outcome, Exception):
                logger.error(
                    "A listener (%s) failed on an event.",
                    getattr(receiver, "__qualname__", receiver),
                    exc_info=(type(outcome), outcome, outcome.__traceback__),
                )

    transaction.on_commit(send)
