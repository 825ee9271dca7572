"""The site keeps answering when a Redis server goes away, and comes back by itself.

Each test runs its own two Redis servers (the pages' and sessions', the counters') on free
ports and stops one in the middle. Whatever happens: no answer is a 5xx, every write that
answered success is saved and no write is saved behind an error, no anonymous reader is
served a page older than a write that answered success, and once the server is back the
pages are served from the cache again.
"""

import time

import pytest
import redis
from django.core.cache import caches
from rest_framework.test import APIClient

from commentary.models import Comment
from config.sessions import SESSION_COPY_SECONDS
from config.site import caching
from edition.models import StaleGeneration
from tests.commentary.builders import make_user, make_work
from tests.redis_servers import RedisServer, caches_on_own_servers

pytestmark = pytest.mark.django_db(transaction=True)

COMMENTS = "/api/v1/comments/"
READING = "/works/october-1917/"
PARAGRAPH = "/works/october-1917/p/p3/"
LIST = f"{COMMENTS}?work=october-1917"


class Outage:
    def __init__(self, pages: RedisServer, counters: RedisServer) -> None:
        self.pages = pages
        self.counters = counters
        self.statuses: list[tuple[str, str, int]] = []
        self.created = 0

    def get(self, client, url: str):
        response = client.get(url)
        self.statuses.append(("GET", url, response.status_code))
        return response

    def post_comment(self, client, body: str):
        response = client.post(
            COMMENTS, {"work": "october-1917", "paragraph": "p3", "body": body}, format="json"
        )
        self.statuses.append(("POST", COMMENTS, response.status_code))
        if response.status_code == 201:
            self.created += 1
        return response

    def assert_no_server_error_and_no_write_behind_one(self) -> None:
        assert [status for status in self.statuses if status[2] >= 500] == []
        assert Comment.objects.count() == self.created


@pytest.fixture
def outage():
    with caches_on_own_servers() as (pages, counters):
        yield Outage(pages, counters)


@pytest.fixture
def work(outage):
    return make_work()


@pytest.fixture
def alice(outage):
    return make_user("alice", "Alice Liddell")


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def eventually_a_hit(outage: Outage, client, url: str):
    """The cache serves ``url`` again within a few seconds of its server's return."""
    deadline = time.monotonic() + 10
    while True:
        response = outage.get(client, url)
        if response.get("X-Page-Cache") == "hit" or time.monotonic() > deadline:
            return response
        time.sleep(0.2)


def warm(outage: Outage, client) -> None:
    for url in (READING, PARAGRAPH, LIST):
        outage.get(client, url)
        assert outage.get(client, url)["X-Page-Cache"] == "hit", url


def test_losing_the_counters_loses_no_write_and_serves_nothing_stale(outage, work, alice):
    reader, author = APIClient(), signed_in(alice)
    warm(outage, reader)

    outage.counters.stop()
    assert outage.post_comment(author, "Written while the counters were down.").status_code == 201
    reading = outage.get(reader, READING)
    assert "1 comment" in reading.content.decode()
    assert "Written while the counters" in outage.get(reader, PARAGRAPH).content.decode()
    assert [c["body"] for c in outage.get(reader, LIST).json()["results"]] == [
        "Written while the counters were down."
    ]
    assert outage.get(author, READING).status_code == 200
    assert outage.post_comment(author, "A second one.").status_code == 201

    outage.counters.start()
    for url in (READING, PARAGRAPH, LIST):
        assert eventually_a_hit(outage, reader, url)["X-Page-Cache"] == "hit", url
    assert "A second one." in outage.get(reader, PARAGRAPH).content.decode()
    assert outage.post_comment(author, "After the return.").status_code == 201
    assert "After the return." in outage.get(reader, PARAGRAPH).content.decode()
    outage.assert_no_server_error_and_no_write_behind_one()
    assert not StaleGeneration.objects.exists()


def test_losing_the_pages_keeps_readers_signed_in_and_every_page_up(outage, work, alice):
    reader, author = APIClient(), signed_in(alice)
    warm(outage, reader)
    assert "alice" in outage.get(author, READING).content.decode().lower()

    outage.pages.stop()
    for url in (READING, PARAGRAPH, LIST):
        response = outage.get(author, url)
        assert response.status_code == 200, url
        assert "X-Page-Cache" not in response
        assert outage.get(reader, url).status_code == 200
    assert "alice" in outage.get(author, PARAGRAPH).content.decode().lower()
    assert outage.post_comment(author, "Written while the pages were down.").status_code == 201
    assert "Written while the pages" in outage.get(reader, PARAGRAPH).content.decode()

    outage.pages.start()
    for url in (READING, PARAGRAPH, LIST):
        assert eventually_a_hit(outage, reader, url)["X-Page-Cache"] == "hit", url
    assert "alice" in outage.get(author, PARAGRAPH).content.decode().lower()
    assert outage.post_comment(author, "After the return.").status_code == 201
    assert "After the return." in outage.get(reader, PARAGRAPH).content.decode()
    outage.assert_no_server_error_and_no_write_behind_one()


def counters_unreachable(patch) -> None:
    """This process's writes to the counters fail; the server keeps its values."""

    def unreachable(*args, **kwargs):
        raise redis.ConnectionError("the counters are unreachable from this process")

    patch.setattr(caches["counters"], "incr", unreachable)
    patch.setattr(caches["counters"], "add", unreachable)
    patch.setattr(caches["counters"], "run_script", unreachable)  # a bump's one round trip


def test_a_bump_that_failed_serves_no_stale_page_in_any_process(outage, work, alice, monkeypatch):
    """The counters keep their values through the failure (a timeout, a network split), so
    the pages stored before the write still carry the current generations."""
    reader, author = APIClient(), signed_in(alice)
    warm(outage, reader)

    with monkeypatch.context() as during:
        counters_unreachable(during)
        assert outage.post_comment(author, "Its bump failed.").status_code == 201
    assert StaleGeneration.objects.exists()

    # Another process, which saw no failure: the pages' cache carries the failure's mark.
    caching.forget_outages()
    assert "Its bump failed." in outage.get(reader, PARAGRAPH).content.decode()
    # The bump is made again by whichever process reads next; then pages are cached again.
    assert not StaleGeneration.objects.exists()
    assert eventually_a_hit(outage, reader, PARAGRAPH)["X-Page-Cache"] == "hit"
    assert "Its bump failed." in outage.get(reader, PARAGRAPH).content.decode()
    outage.assert_no_server_error_and_no_write_behind_one()


def test_a_process_started_after_a_failed_bump_asks_the_database(outage, work, alice, monkeypatch):
    reader, author = APIClient(), signed_in(alice)
    warm(outage, reader)

    with monkeypatch.context() as during:
        counters_unreachable(during)
        # Nor could the pages' cache be told: only the database knows.
        during.setattr(caches["default"], "set", lambda *args, **kwargs: False)
        assert outage.post_comment(author, "Only the database knows.").status_code == 201
    assert StaleGeneration.objects.exists()

    caching.forget_outages(started=True)
    assert "Only the database knows." in outage.get(reader, PARAGRAPH).content.decode()
    assert not StaleGeneration.objects.exists()
    outage.assert_no_server_error_and_no_write_behind_one()


def test_rate_limits_count_in_each_process_while_the_counters_are_down(
    outage, work, alice, settings
):
    settings.SCHOLIA_COMMENT_RATE = "2/60"
    author = signed_in(alice)
    outage.counters.stop()

    answers = [outage.post_comment(author, f"Number {n}.").status_code for n in range(4)]

    assert answers == [201, 201, 429, 429]
    outage.assert_no_server_error_and_no_write_behind_one()


def test_a_sessions_cached_copy_outlives_a_sign_out_by_minutes_at_most(outage, work, alice):
    """A sign-out whose cache delete was lost in an outage leaves a copy in the cache: it
    must expire soon, not with the session two weeks later."""
    author = signed_in(alice)
    assert outage.get(author, READING).status_code == 200
    key = author.cookies["sessionid"].value
    server = redis.Redis(port=outage.pages.port)
    [stored] = server.keys(f"*{key}")

    assert 0 < server.ttl(stored) <= SESSION_COPY_SECONDS
