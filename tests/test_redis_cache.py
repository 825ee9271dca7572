"""The Redis cache backend keeps one client per connection pool."""

from config.redis_cache import RedisCache


def test_it_hands_out_the_same_client_for_every_operation():
    # Building a client connects to nothing, so no Redis server is needed here.
    cache = RedisCache("redis://127.0.0.1:6379/15", {})
    client = cache._cache.get_client("a")

    assert cache._cache.get_client("b") is client
    assert cache._cache.get_client("c", write=True) is client


def test_each_server_keeps_its_own_client():
    cache = RedisCache("redis://127.0.0.1:6379/15,redis://127.0.0.1:6380/15", {})

    writer = cache._cache.get_client(write=True)
    reader = cache._cache.get_client()

    assert writer is not reader
    assert writer.connection_pool is not reader.connection_pool
    assert cache._cache.get_client() is reader


def test_keys_are_not_checked_against_memcacheds_limits():
    import warnings

    cache = RedisCache("redis://127.0.0.1:6379/15", {})

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cache.make_and_validate_key("a key with spaces " + "x" * 300).endswith("x")


def test_an_unreachable_pages_cache_reads_as_empty_and_takes_no_write():
    from config.redis_cache import ForgivingRedisCache
    from tests.redis_servers import free_port

    cache = ForgivingRedisCache(f"redis://127.0.0.1:{free_port()}/0", {})

    assert cache.get("page", "missed") == "missed"
    assert cache.get_many(["a", "b"]) == {}
    cache.set("page", "content")
    # Nothing holds the key, so a lock taken with add (allauth's rate limits) is granted.
    assert cache.add("lock", True) is True
    assert cache.delete("page") is False
    assert cache.outages == 1  # then left alone for a second: one failure, not five


def test_clearing_a_cache_deletes_its_own_prefix_keys_only():
    from tests.redis_servers import RedisServer

    server = RedisServer()
    server.start()
    try:
        own, counters, longer, starry = (
            RedisCache(server.url, {"KEY_PREFIX": prefix})
            for prefix in ("site", "site-counters", "sites", "s*")
        )
        for cache in (own, counters, longer, starry):
            cache.set_many({f"key{number}": number for number in range(1500)})
        raw = own._cache.get_client(write=True)
        raw.set("written-without-a-prefix", 1)

        assert own.clear() is True
        assert starry.clear() is True

        assert own.get_many(["key0", "key1499"]) == {}
        assert starry.get("key7") is None
        assert (counters.get("key7"), longer.get("key1499")) == (7, 1499)
        assert len(raw.keys("site-counters:*")) == len(raw.keys("sites:*")) == 1500
        assert raw.dbsize() == 3001
        assert raw.get("written-without-a-prefix") == b"1"

        # Without a prefix the cache owns the whole database, and clearing it empties it.
        RedisCache(server.url, {}).clear()
        assert raw.dbsize() == 0
    finally:
        server.stop()


def _failing_once(cache, monkeypatch, method: str) -> None:
    """The next ``method`` call on ``cache``'s client raises, as a Redis that timed out."""
    import redis

    original = getattr(cache._cache, method)

    def fail(*args, **kwargs):
        monkeypatch.setattr(cache._cache, method, original)
        raise redis.TimeoutError("Timeout reading from socket")

    monkeypatch.setattr(cache._cache, method, fail)


def test_a_write_the_server_missed_leaves_no_older_value_to_read(monkeypatch):
    """A set that failed is remembered for the process, and the older value the server
    still holds is deleted before anything else is asked of it: no other cache object of
    the process (another thread's) reads the value the write replaced."""
    from config.redis_cache import ForgivingRedisCache
    from tests.redis_servers import RedisServer

    server = RedisServer()
    server.start()
    try:
        writer = ForgivingRedisCache(server.url, {"KEY_PREFIX": "site"})
        writer.set("session", "before")
        _failing_once(writer, monkeypatch, "set")

        writer.set("session", "after")  # fails: the server keeps "before"
        writer.set("other", "taken later")  # left alone for a second: not sent either

        reader = ForgivingRedisCache(server.url, {"KEY_PREFIX": "site"})
        assert reader.get("session") is None
        assert reader.get("other") is None
        assert writer.outages == 1 and reader.outages == 0
        reader.set("session", "after")
        assert ForgivingRedisCache(server.url, {"KEY_PREFIX": "site"}).get("session") == "after"
    finally:
        server.stop()


def test_a_clear_the_server_missed_clears_the_prefix_when_it_answers_again(monkeypatch):
    from config.redis_cache import ForgivingRedisCache, RedisCache
    from tests.redis_servers import RedisServer

    server = RedisServer()
    server.start()
    try:
        cache = ForgivingRedisCache(server.url, {"KEY_PREFIX": "site"})
        neighbour = RedisCache(server.url, {"KEY_PREFIX": "other"})
        cache.set("page", "old")
        neighbour.set("page", "theirs")
        monkeypatch.setattr(RedisCache, "clear", _raising)
        cache.clear()
        monkeypatch.undo()

        assert ForgivingRedisCache(server.url, {"KEY_PREFIX": "site"}).get("page") is None
        assert neighbour.get("page") == "theirs"
    finally:
        server.stop()


def _raising(*args, **kwargs):
    import redis

    raise redis.ConnectionError("Connection refused")


def test_a_session_saved_while_its_cache_failed_reads_back_as_saved(db, monkeypatch):
    """The session's copy in the cache is older than the session once a save's copy was
    not taken: the next request reads the session as saved, not the older copy."""
    from django.core.cache import caches

    from config.sessions import SessionStore
    from tests.redis_servers import caches_on_own_servers

    with caches_on_own_servers():
        session = SessionStore()
        session["doubts"] = []
        session.save()
        key = session.session_key

        _failing_once(caches["default"], monkeypatch, "set")
        again = SessionStore(key)
        again["doubts"] = ["a heading"]
        again.save()
        caches["default"]._down_until = 0.0  # a second later: the server is asked again

        assert SessionStore(key)["doubts"] == ["a heading"]
