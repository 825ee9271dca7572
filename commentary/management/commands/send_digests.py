"""``manage.py send_digests --period daily|weekly``: the notifications' digests, once per
member and period however often it runs (see ``commentary.notifications.digests``)."""

from django.core.management.base import BaseCommand

from commentary.notifications.digests import digests_send


class Command(BaseCommand):
    help = "Send the daily or weekly digests of notifications (safe to run twice)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", choices=["daily", "weekly"], required=True)

    def handle(self, *args, period: str, **options) -> None:
        result = digests_send(period)
        self.stdout.write(
            f"{period.capitalize()} digests sent: {result['digests']},"
            f" with {result['items']} items in all."
        )
