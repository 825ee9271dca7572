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
