"""A Redis server of a test's own, on a free port, that the test can stop and start again.

The outage tests stop it in the middle of a test; it keeps nothing on disk (``--save ""
--appendonly no``), so a restart comes back empty, as a production cache Redis does.
"""

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.test import override_settings

from config.site import caching

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        if not Path(REDIS_SERVER).is_file():
            pytest.skip("redis-server not found: apt-get install redis-server")
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port)]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _attempt in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def redis_cache(server: RedisServer, backend: str, **more) -> dict:
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 1}
    return {"BACKEND": backend, "LOCATION": server.url, "OPTIONS": options, **more}


@contextmanager
def caches_on_own_servers():
    """The pages' and the counters' caches on two Redis servers of the test's own, as
    production runs them (sessions cached in the first); yields (pages, counters)."""
    pages, counters = RedisServer(), RedisServer()
    pages.start()
    counters.start()
    on_them = override_settings(
        CACHES={
            "default": redis_cache(
                pages, "config.redis_cache.ForgivingRedisCache", KEY_PREFIX="scholia"
            ),
            "counters": redis_cache(
                counters, "config.redis_cache.RedisCache", KEY_PREFIX="c", TIMEOUT=None
            ),
        },
        SESSION_ENGINE="config.sessions",
    )
    on_them.enable()
    caching.forget_outages()
    try:
        yield pages, counters
    finally:
        # Back to the suite's caches before the servers go, for the suite's own clean-up.
        on_them.disable()
        pages.stop()
        counters.stop()
        caching.forget_outages()
