"""Which events some endpoint wants, kept in the shared cache (``commentary.webhooks.wanted``):
a post on a site where no enabled endpoint wants ``comment.created`` asks nothing about
endpoints, and every write of an endpoint, in this process or another, is seen by the next
post.

alice registers endpoints; bob writes the comments that are told of.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commentary.accounts.deletion import account_delete
from commentary.webhooks.models import WebhookDelivery, WebhookEndpoint
from commentary.webhooks.services import (
    endpoint_create,
    endpoint_delete,
    endpoint_disable,
    endpoint_update,
)
from commentary.webhooks.wanted import wanted_events
from tests.commentary.builders import post
from tests.commentary.webhook_receiver import start_receiver

ENDPOINTS_TABLE = WebhookEndpoint._meta.db_table


@pytest.fixture
def receiver():
    running = start_receiver()
    yield running
    running.close()


def endpoint_queries(captured) -> list[str]:
    """The lookups of the endpoints an event goes to (not the read of which events are
    wanted, made once after each change)."""
    return [
        query["sql"]
        for query in captured
        if ENDPOINTS_TABLE in query["sql"] and "target_url" in query["sql"]
    ]


def posted(author, work, capture) -> tuple[int, list[str]]:
    """Post as ``author``, running what follows the commit; the deliveries it made and the
    lookups of endpoints it ran."""
    before = WebhookDelivery.objects.count()
    with CaptureQueriesContext(connection) as captured, capture(execute=True):
        post(author, work)
    return WebhookDelivery.objects.count() - before, endpoint_queries(captured)


@pytest.mark.django_db
def test_a_post_asks_nothing_about_endpoints_when_there_are_none(
    bob, work, django_capture_on_commit_callbacks
):
    with CaptureQueriesContext(connection) as first:
        posted(bob, work, django_capture_on_commit_callbacks)  # reads that none is there
    with CaptureQueriesContext(connection) as second:
        made, queries = posted(bob, work, django_capture_on_commit_callbacks)

    assert made == 0
    assert queries == []
    assert [query for query in first if ENDPOINTS_TABLE in query["sql"]]
    assert not [query for query in second if ENDPOINTS_TABLE in query["sql"]]


@pytest.mark.django_db
def test_an_endpoint_for_other_events_only_costs_a_post_no_query(
    alice, bob, work, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        endpoint_create(owner=alice, target_url=receiver.url, events=["version.published"])
    posted(bob, work, django_capture_on_commit_callbacks)

    made, queries = posted(bob, work, django_capture_on_commit_callbacks)

    assert wanted_events() == {"version.published"}
    assert (made, queries) == (0, [])


@pytest.mark.django_db
def test_an_endpoint_made_after_posts_found_none_is_told_of_the_next_post(
    alice, bob, work, receiver, django_capture_on_commit_callbacks
):
    posted(bob, work, django_capture_on_commit_callbacks)
    assert wanted_events() == frozenset()

    with django_capture_on_commit_callbacks(execute=True):
        endpoint = endpoint_create(owner=alice, target_url=receiver.url, events=["comment.created"])
    made, queries = posted(bob, work, django_capture_on_commit_callbacks)

    assert made == 1
    assert queries
    assert WebhookDelivery.objects.get().endpoint == endpoint
    assert len(receiver.received) == 1


@pytest.mark.django_db
def test_disabling_enabling_and_changing_an_endpoint_are_seen_by_the_next_post(
    alice, bob, work, receiver, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        endpoint = endpoint_create(owner=alice, target_url=receiver.url, events=["comment.created"])
    assert posted(bob, work, capture)[0] == 1

    # Disabled by the receiver's answers: written with update(), which sends no signal.
    with capture(execute=True):
        endpoint_disable(endpoint=endpoint, reason=WebhookEndpoint.DisabledReason.FAILING)
    assert posted(bob, work, capture) == (0, [])

    with capture(execute=True):
        endpoint_update(endpoint=endpoint, by=alice, enabled=True)
    assert posted(bob, work, capture)[0] == 1

    with capture(execute=True):
        endpoint_update(endpoint=endpoint, by=alice, events=["comment.deleted"])
    assert posted(bob, work, capture) == (0, [])

    with capture(execute=True):
        endpoint_update(endpoint=endpoint, by=alice, events=["comment.created"])
    assert posted(bob, work, capture)[0] == 1

    with capture(execute=True):
        endpoint_update(endpoint=endpoint, by=alice, enabled=False)
    assert posted(bob, work, capture) == (0, [])


@pytest.mark.django_db
def test_deleting_an_endpoint_or_its_owner_is_seen_by_the_next_post(
    alice, bob, work, receiver, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        first = endpoint_create(owner=alice, target_url=receiver.url, events=["comment.created"])
        endpoint_create(owner=alice, target_url=receiver.url, events=["comment.created"])
    assert posted(bob, work, capture)[0] == 2

    with capture(execute=True):
        endpoint_delete(endpoint=first)
    assert posted(bob, work, capture)[0] == 1

    # The account goes, and its endpoints with it (a cascade, endpoint by endpoint).
    with capture(execute=True):
        account_delete(user=alice)
    assert posted(bob, work, capture) == (0, [])


@pytest.mark.django_db
def test_nothing_is_skipped_while_the_generations_cannot_be_read(
    alice, bob, work, receiver, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.cache import caches

    from config.site import caching

    capture = django_capture_on_commit_callbacks
    posted(bob, work, capture)  # none wanted, kept
    with monkeypatch.context() as outage:
        # The endpoint's bumps are lost with the counters; the failure is owed.
        def unreachable(*args, **kwargs):
            raise ConnectionError("the counters are down")

        outage.setattr(caches["counters"], "incr", unreachable)
        outage.setattr(caches["counters"], "add", unreachable)
        outage.setattr(caches["counters"], "get_many", unreachable)
        outage.setattr(caches["counters"], "run_script", unreachable, raising=False)
        with capture(execute=True):
            endpoint_create(owner=alice, target_url=receiver.url, events=["comment.created"])
        assert posted(bob, work, capture)[0] == 1
    # Back, with the bump still owed: the next read makes it, and the post is told.
    caching.forget_outages(started=True)
    assert posted(bob, work, capture)[0] == 1


ANOTHER_PROCESS = """
import django
django.setup()
from django.contrib.auth import get_user_model
from commentary.webhooks.services import endpoint_create
owner = get_user_model().objects.get(username="alice")
endpoint_create(owner=owner, target_url={url!r}, events=["comment.created"])
"""


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="another process reaches the test database on PostgreSQL only (SQLite's is in memory)",
)
@pytest.mark.django_db(transaction=True)
def test_an_endpoint_made_by_another_process_is_told_of_the_next_post_here(
    alice, bob, work, receiver
):
    made, _queries = posted(bob, work, _run_at_once)
    made, queries = posted(bob, work, _run_at_once)
    assert (made, queries) == (0, [])  # this process keeps "none" and asks nothing

    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "-c", ANOTHER_PROCESS.format(url=receiver.url)],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
    )

    made, queries = posted(bob, work, _run_at_once)
    assert made == 1
    assert queries
    assert len(receiver.received) == 1


class _run_at_once:  # noqa: N801 (stands in for django_capture_on_commit_callbacks)
    """Out of a test transaction what follows a commit runs at once: nothing to capture."""

    def __init__(self, execute: bool = True) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        return None
