"""The webhooks wing's background work: one task per attempt to send a delivery. In
development and tests the immediate backend runs it at once (a later attempt waits for
``manage.py send_webhooks``); in production ``manage.py db_worker`` runs it, a later attempt
at its time (settings ``TASKS``)."""

from commentary.webhooks import deliveries

try:  # Django 6 has the Tasks framework built in; on 5.2 the django-tasks backport.
    from django.tasks import task
except ImportError:
    from django_tasks import task


@task()
def webhook_send(delivery_id: int) -> str:
    """Send delivery ``delivery_id`` if it is still pending; returns its status after."""
    delivery = deliveries.delivery_send(delivery_id)
    return delivery.status if delivery is not None else "not pending"
