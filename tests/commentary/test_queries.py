"""Query budgets: the number of queries a page costs does not grow with the discussion."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.commentary.builders import (
    bulk_roots,
    bulk_thread,
    client_for,
    htmx_headers,
    make_user,
    post,
)

pytestmark = pytest.mark.django_db

READING = "/works/october-1917/"
PARAGRAPH = "/works/october-1917/p/p3/"
DISCUSSION = "/works/october-1917/p/p3/discussion/"


@pytest.fixture
def people():
    return {name: make_user(name, name.title()) for name in ("alice", "bob", "charlie")}


def queries_for(client, url: str, **kwargs) -> int:
    cache.clear()  # Anonymous readers get cached pages: count the queries of a real render.
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return len(captured)


def thread_of_size(people, work, size: int):
    root = post(people["alice"], work, body="The root of the thread.")
    return bulk_thread(root, list(people.values()), size)


@pytest.mark.parametrize("viewer", [None, "bob"])
def test_it_reads_the_page_with_ten_thousand_comments_in_as_many_queries_as_with_none(
    people, work, viewer
):
    client = client_for(people[viewer] if viewer else None)
    empty = queries_for(client, READING)

    for key in ("p3", "p4", "p6", "p9", "p11"):
        bulk_roots(people["alice"], work, 2_000, key=key)
    full = queries_for(client, READING)

    assert full == empty
    print(f"\nreading page ({viewer or 'anonymous'}): {full} queries")


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        (DISCUSSION, htmx_headers()),
        (f"{READING}?discussion=p3", {}),
        (PARAGRAPH, {}),
        ("permalink", {}),
    ],
    ids=["discussion", "reading-page-with-the-discussion-open", "paragraph-page", "permalink"],
)
def test_it_shows_a_thousand_comment_thread_in_as_many_queries_as_three(people, work, url, headers):
    client = client_for(people["bob"])
    small = thread_of_size(people, work, 3)
    small_url = f"/comments/{small[-1].pk}/" if url == "permalink" else url
    few = queries_for(client, small_url, headers=headers)

    big = thread_of_size(people, work, 1_000)
    big_url = f"/comments/{big[-1].pk}/" if url == "permalink" else url
    many = queries_for(client, big_url, headers=headers)

    assert many == few
    print(f"\n{url}: {many} queries")


def test_it_measures_the_thousand_comment_thread(people, work):
    """Not a timed test (speed is the benchmark's business): it prints the render time."""
    client = client_for(people["bob"])
    comments = thread_of_size(people, work, 1_000)
    deepest = f"/comments/{comments[-1].pk}/"
    for url, headers in [(deepest, {}), (PARAGRAPH, {}), (DISCUSSION, htmx_headers())]:
        client.get(url, headers=headers)  # warm the template and URL caches
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        assert response.content.count(b'<article class="comment') == 1_000
        print(f"\n{url}: best {min(timings):.1f} ms, median {sorted(timings)[2]:.1f} ms")
