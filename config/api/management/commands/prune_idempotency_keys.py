from django.core.management.base import BaseCommand

from config.api.idempotency import idempotency_keys_prune


class Command(BaseCommand):
    help = (
        "Delete the API's idempotency keys older than 24 hours (a retry after that creates "
        "again). Run it daily, e.g. from cron."
    )

    def handle(self, *args, **options) -> None:
        deleted = idempotency_keys_prune()
        if options["verbosity"]:
            self.stdout.write(f"Deleted {deleted} expired idempotency keys.")
