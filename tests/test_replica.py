"""Reads go to the replica only where nobody can tell: never a transaction's, never a
writer's own for a few seconds after they write, never a background task's.

The test settings give the database a second alias, ``replica``, mirroring the default one:
the same rows, another connection, so a test sees which connection each query took.
"""

import time

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from commentary.accounts.tokens import token_create
from commentary.models import Comment
from config import replica
from config.replica import PIN_COOKIE, PRIMARY, REPLICA, PrimaryReplicaRouter, _Reads, _reads
from edition.models import Work
from tests.commentary.builders import make_user, make_work

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

READING = "/works/october-1917/"
COMMENTS = "/api/v1/comments/"


@pytest.fixture(autouse=True)
def _replica_on(settings):
    settings.SCHOLIA_READ_REPLICA = True
    settings.SCHOLIA_PAGE_CACHE = False


@pytest.fixture
def work():
    return make_work()


class Queries:
    """The queries each connection ran while the block ran."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections[PRIMARY])
        self.replica = CaptureQueriesContext(connections[REPLICA])
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)


def test_an_anonymous_reading_page_reads_from_the_replica_only(work, client):
    with Queries() as queries:
        response = client.get(READING)

    assert response.status_code == 200
    assert len(queries.replica) > 0
    assert len(queries.primary) == 0
    assert PIN_COOKIE not in response.cookies


def test_without_a_replica_every_read_goes_to_the_primary(work, client, settings):
    settings.SCHOLIA_READ_REPLICA = False
    with Queries() as queries:
        client.get(READING)

    assert len(queries.replica) == 0
    assert len(queries.primary) > 0


def test_a_write_reads_where_it_writes_and_pins_its_author_to_the_primary(work):
    alice = make_user("alice")
    client = APIClient()
    client.force_authenticate(alice)

    before = time.time()
    with Queries() as queries:
        response = client.post(
            COMMENTS, {"work": work.slug, "paragraph": "p3", "body": "First."}, format="json"
        )

    assert response.status_code == 201
    assert len(queries.replica) == 0
    pinned_until = float(response.cookies[PIN_COOKIE].value)
    # Five seconds from the answer (the cookie is written to the millisecond).
    assert before + 5 - 0.001 <= pinned_until <= time.time() + 5 + 0.001

    # Within the pin, the author's next page reads the primary, where their comment is.
    with Queries() as queries:
        listed = client.get(f"{COMMENTS}?work={work.slug}")
    assert [item["body"] for item in listed.json()["results"]] == ["First."]
    assert len(queries.replica) == 0


def test_an_expired_pin_reads_from_the_replica_again(work, client):
    client.cookies[PIN_COOKIE] = f"{time.time() - 1:.3f}"
    with Queries() as queries:
        client.get(READING)

    assert len(queries.replica) > 0
    assert len(queries.primary) == 0


def test_a_token_client_that_keeps_no_cookie_is_pinned_by_its_token(work):
    alice = make_user("alice")
    _token, secret = token_create(user=alice, name="script", scopes=["read", "write"])
    headers = {"authorization": f"Token {secret}"}

    posted = APIClient().post(
        COMMENTS,
        {"work": work.slug, "paragraph": "p3", "body": "By script."},
        format="json",
        headers=headers,
    )
    assert posted.status_code == 201

    # A fresh client: no cookie came along.
    with Queries() as queries:
        listed = APIClient().get(f"{COMMENTS}?work={work.slug}", headers=headers)
    assert [item["body"] for item in listed.json()["results"]] == ["By script."]
    assert len(queries.replica) == 0

    # Another token's client is not pinned by it.
    _other, other_secret = token_create(user=make_user("bob"), name="reader")
    with Queries() as queries:
        APIClient().get(
            f"{COMMENTS}?work={work.slug}", headers={"authorization": f"Token {other_secret}"}
        )
    assert len(queries.replica) > 0


def test_a_transactions_reads_stay_on_the_primary(work):
    router = PrimaryReplicaRouter()
    token = _reads.set(_Reads(replica_allowed=True))
    try:
        assert router.db_for_read(Work) == REPLICA
        with transaction.atomic():
            assert router.db_for_read(Work) == PRIMARY
            assert Work.objects.all().db == PRIMARY
        assert router.db_for_read(Work) == REPLICA
    finally:
        _reads.reset(token)


def test_after_a_write_the_rest_of_the_request_reads_the_primary(work):
    router = PrimaryReplicaRouter()
    token = _reads.set(_Reads(replica_allowed=True))
    try:
        assert Comment.objects.all().db == REPLICA
        assert router.db_for_write(Comment) == PRIMARY
        assert Comment.objects.all().db == PRIMARY
    finally:
        _reads.reset(token)


def test_outside_a_request_every_read_goes_to_the_primary(work):
    # A task enqueued by a write must find what the write committed.
    assert replica.reads_alias() == PRIMARY
    assert Work.objects.all().db == PRIMARY


def test_the_replica_is_never_migrated():
    router = PrimaryReplicaRouter()
    assert router.allow_migrate(REPLICA, "commentary") is False
    assert router.allow_migrate(PRIMARY, "commentary") is None
