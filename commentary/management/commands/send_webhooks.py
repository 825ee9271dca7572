"""Send the webhook deliveries whose time has come (``deliveries.deliveries_send_due``).

The database task backend runs each attempt at its time by itself (``db_worker``); this
command is the safety net run every minute beside it (a worker that died mid-send, a
backend that cannot wait), and what sends retries where tasks run at once (development).
A delivery is never sent twice: each is claimed before it is sent.
"""

from django.core.management.base import BaseCommand

from commentary.webhooks.deliveries import deliveries_send_due


class Command(BaseCommand):
    help = "Send the webhook deliveries that are due."

    def handle(self, *args, **options) -> None:
        tried = deliveries_send_due()
        self.stdout.write(f"{tried} deliveries tried.")
