"""A request reads each generation counter once, and still sees its own writes."""

from django.core.cache import caches

from commentary.accounts.token_users import TOKEN_USERS
from commentary.webhooks.wanted import ENDPOINTS, WANTED, wanted_events
from config.site.caching import (
    COUNTS,
    DISCUSSION,
    TEXT,
    _any_change,
    _end_request_reads,
    _start_request_reads,
    bump,
    counters,
    expect_generations,
    generation,
    generations,
    kept_together,
)
from tests.commentary.builders import make_work


def another_process_bumps(topic: str) -> None:
    counters().incr(_any_change(topic))


def test_a_request_reads_a_counter_once():
    _start_request_reads()
    try:
        first = generation(TEXT)
        another_process_bumps(TEXT)
        assert generation(TEXT) == first
        assert generations(COUNTS, TEXT)[1] == first
    finally:
        _end_request_reads()

    assert generation(TEXT) != first


def test_a_bump_within_the_request_is_seen_at_once():
    _start_request_reads()
    try:
        before = generation(COUNTS)
        bump(COUNTS, work="october-1917")
        assert generation(COUNTS) != before
    finally:
        _end_request_reads()


def test_a_bump_within_the_request_forgets_only_the_counters_it_moved(monkeypatch):
    _start_request_reads()
    try:
        text, counts = generations(TEXT, COUNTS)
        another_process_bumps(TEXT)
        bump(COUNTS, work="october-1917")
        asked: list[str] = []
        read_many = counters().get_many
        monkeypatch.setattr(
            counters(), "get_many", lambda keys, *a, **k: asked.extend(keys) or read_many(keys)
        )
        assert generation(TEXT) == text  # as the request first read it
        assert generation(COUNTS) != counts
        assert asked == [_any_change(COUNTS)]
    finally:
        _end_request_reads()


def counting_reads(monkeypatch) -> list[list[str]]:
    """Each read of the counters from now on, as the keys it asked for."""
    reads: list[list[str]] = []
    read_many = counters().get_many
    monkeypatch.setattr(
        counters(), "get_many", lambda keys, *a, **k: reads.append(list(keys)) or read_many(keys)
    )
    return reads


def test_expected_counters_are_read_with_the_next_read_of_any(monkeypatch):
    _start_request_reads()
    try:
        generation(TEXT)  # the request's first read (with those read with the first)
        expect_generations(DISCUSSION)
        reads = counting_reads(monkeypatch)
        counts = generation(COUNTS)
        another_process_bumps(DISCUSSION)
        discussion = generation(DISCUSSION)
        assert reads == [[_any_change(COUNTS), _any_change(DISCUSSION)]]
        assert generations(COUNTS, DISCUSSION) == [counts, discussion]
        assert len(reads) == 1
    finally:
        _end_request_reads()
    assert generation(DISCUSSION) != discussion  # the next request reads it afresh


def test_expecting_outside_a_request_reads_nothing_ahead(monkeypatch):
    expect_generations(TEXT)
    reads = counting_reads(monkeypatch)
    generation(COUNTS)

    assert reads == [[_any_change(COUNTS)]]


def test_the_first_read_of_a_request_reads_the_text_token_users_and_endpoints_too(monkeypatch):
    counters().delete(_any_change(ENDPOINTS))  # a missing one is started by that read
    asked: list[list[str]] = []
    read_many = counters().get_many
    monkeypatch.setattr(
        counters(), "get_many", lambda keys, *a, **k: asked.append(keys) or read_many(keys)
    )
    _start_request_reads()
    try:
        counts = generation(COUNTS)
        another_process_bumps(TOKEN_USERS)
        # Later in the request: as the first read found them, asking nothing again.
        assert generations(TOKEN_USERS, TEXT, ENDPOINTS, COUNTS)[3] == counts
        assert generation(ENDPOINTS) == counters().get(_any_change(ENDPOINTS))
        assert sorted(asked[0]) == sorted(
            _any_change(topic) for topic in (COUNTS, TEXT, TOKEN_USERS, ENDPOINTS)
        )
        assert len(asked) == 1
        token_users = generation(TOKEN_USERS)
    finally:
        _end_request_reads()

    assert generation(TOKEN_USERS) != token_users  # the next request sees the bump


def test_the_first_read_of_the_pages_cache_brings_what_endpoints_want(db, monkeypatch):
    wanted_events()  # kept, under the endpoints' generation
    asked: list[list[str]] = []
    pages = caches["default"]
    read_many = pages.get_many
    monkeypatch.setattr(
        pages, "get_many", lambda keys, *a, **k: asked.append(keys) or read_many(keys)
    )
    _start_request_reads()
    try:
        kept_together(["another-entry"], [TEXT])
        assert WANTED in asked[0]
        assert wanted_events() == frozenset()
        assert len(asked) == 1  # nothing asked again
        bump(ENDPOINTS)  # a change of an endpoint, here: the next read asks again
        assert wanted_events() == frozenset()
        assert len(asked) == 2
    finally:
        _end_request_reads()


def test_outside_a_request_every_read_asks_the_counters():
    first = generation(TEXT)
    another_process_bumps(TEXT)

    assert generation(TEXT) != first


def test_a_page_reads_each_counter_once(db, client, monkeypatch, django_user_model):
    work = make_work()
    store = counters()
    asked: list[str] = []
    read_many = store.get_many

    def counting_get_many(keys, *args, **kwargs):
        asked.extend(keys)
        return read_many(keys, *args, **kwargs)

    monkeypatch.setattr(store, "get_many", counting_get_many)
    client.force_login(django_user_model.objects.create_user("reader"))

    assert client.get(work.get_absolute_url()).status_code == 200
    assert asked
    assert len(asked) == len(set(asked)), asked
