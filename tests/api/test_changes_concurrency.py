"""The change log's cursor never passes a change that commits late: PostgreSQL, real
threads, one connection each (``commentary.sync.writes``)."""

import random
import threading
import time

import pytest
from django.db import connection, transaction

from commentary.sync.models import Change
from commentary.sync.writes import changes_log
from tests.api.change_mirror import read_all
from tests.api.comment_fixtures import client_for, make_user, post

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite takes one writer at a time, so its ids commit in order; "
        "run with DATABASE_URL=postgres://… to test the change log's order",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.SCHOLIA_COMMENT_RATE = "100000/60"
    settings.SCHOLIA_NEW_MEMBER_COMMENT_RATE = "100000/60"


def _edited(comment) -> Change:
    return Change(
        kind=Change.Kind.EDITED,
        comment_id=comment.pk,
        author_id=comment.author_id,
        paragraph_id=comment.paragraph_id,
    )


def _in_thread(work) -> threading.Thread:
    def run() -> None:
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_change_committed_after_a_later_one_is_still_told(october):
    alice = make_user("alice")
    first, second = post(alice, october, "p2", "First."), post(alice, october, "p3", "Second.")
    client = client_for()
    cursor = read_all(client, "latest")[1]
    written, release, second_done = threading.Event(), threading.Event(), threading.Event()

    def slow() -> None:
        # Draws its id first, and commits only when told to.
        with transaction.atomic():
            changes_log([_edited(first)])
            written.set()
            release.wait(timeout=30)

    def quick() -> None:
        changes_log([_edited(second)])
        second_done.set()

    slow_thread = _in_thread(slow)
    assert written.wait(timeout=30)
    quick_thread = _in_thread(quick)
    # The later writer waits for the earlier one to commit; without the log's lock it would
    # commit its larger id now, and the page read meanwhile would move the cursor past the
    # row still uncommitted.
    second_done.wait(timeout=2)
    meanwhile, cursor_between = read_all(client, cursor)

    release.set()
    slow_thread.join(timeout=30)
    quick_thread.join(timeout=30)
    assert not slow_thread.is_alive() and not quick_thread.is_alive()
    after, _cursor = read_all(client, cursor_between)

    told = [change["id"] for change in meanwhile + after]
    assert sorted(told) == sorted([first.pk, second.pk])


def test_a_reader_polling_while_many_write_is_told_every_change_once(october):
    alice = make_user("alice")
    comments = [post(alice, october, "p2", f"Comment {number}.") for number in range(24)]
    client = client_for()
    cursor = read_all(client, "latest")[1]
    rng = random.Random(18)
    pauses = [rng.uniform(0, 0.03) for _ in comments]
    finished = threading.Event()

    def write(index: int):
        def work() -> None:
            with transaction.atomic():
                changes_log([_edited(comments[index])])
                time.sleep(pauses[index])

        return work

    writers = [_in_thread(write(index)) for index in range(len(comments))]
    waiter = threading.Thread(target=lambda: [t.join(timeout=60) for t in writers])
    waiter.start()
    told: list[int] = []
    while not finished.is_set():
        if not waiter.is_alive():
            finished.set()  # one more read after the last commit
        changes, cursor = read_all(client, cursor)
        told += [change["id"] for change in changes]
        time.sleep(0.005)

    assert sorted(told) == sorted(comment.pk for comment in comments)
