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
