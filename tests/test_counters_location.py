"""The suite keeps its counters away from the checkout's ``var/counters/``, which a
development server of the same checkout shares: clearing them between tests must never
empty the server's cache generations and rate limits."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

CHECKOUT_COUNTERS = Path(settings.BASE_DIR) / "var" / "counters"


def counters_without_redis(**more_env: str) -> dict:
    """The counters cache the test settings give when no Redis is configured (as `make
    test` runs on a bare machine), read in a fresh process, with its key prefix."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "REDIS_COUNTERS_URL"}}
    env["DJANGO_SETTINGS_MODULE"] = os.environ["DJANGO_SETTINGS_MODULE"]
    env.update(more_env)
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "c = settings.CACHES['counters']; "
        "print(json.dumps({'backend': c['BACKEND'], 'location': str(c['LOCATION']), "
        "'prefix': settings.CACHE_KEY_PREFIX}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_the_test_settings_keep_file_counters_in_a_temporary_directory():
    counters = counters_without_redis()
    assert counters["backend"].endswith("FileBasedCache")
    location = Path(counters["location"])
    assert location != CHECKOUT_COUNTERS
    assert Path(tempfile.gettempdir()) in location.parents
    assert Path(settings.BASE_DIR) not in location.parents


def test_clearing_the_suites_counters_leaves_the_checkouts_untouched():
    CHECKOUT_COUNTERS.mkdir(parents=True, exist_ok=True)
    # What a development server keeps there: a cache file of its own.
    sentinel = CHECKOUT_COUNTERS / "scholia-test-sentinel-of-a-running-server.djcache"
    sentinel.write_bytes(b"the server's generation")
    try:
        caches["counters"].set("a-test-counter", 1)
        caches["counters"].clear()
        assert sentinel.read_bytes() == b"the server's generation"
        assert not any("a-test-counter" in path.name for path in CHECKOUT_COUNTERS.iterdir())
    finally:
        sentinel.unlink()


def test_each_worker_of_a_parallel_run_keeps_counters_and_keys_of_its_own():
    """pytest-xdist's workers (named in PYTEST_XDIST_WORKER) clear their caches before and
    after every test: each clears only its own directory and its own Redis keys."""
    here = counters_without_redis()
    first = counters_without_redis(PYTEST_XDIST_WORKER="gw7")
    second = counters_without_redis(PYTEST_XDIST_WORKER="gw8")

    # A process a test starts shares the counters of the test's process.
    assert here["location"] == os.environ["SCHOLIA_COUNTERS_DIR"]
    locations = {here["location"], first["location"], second["location"]}
    prefixes = {here["prefix"], first["prefix"], second["prefix"]}
    assert len(locations) == len(prefixes) == 3
    for location in (first["location"], second["location"]):
        assert Path(here["location"]) in Path(location).parents
    assert second["prefix"] == "scholia-test-gw8"
