"""The settings the test suite runs with: the project's own, with what each test empties
kept to the run, and to the worker when pytest-xdist runs the suite in several processes.

- The file counters (cache generations, rate limits) live in a temporary directory of this
  run, with a directory of its own for each worker. The checkout's ``var/counters/``
  belongs to the development server, which every test's clearing of the counters would
  otherwise empty under it; a worker's clearing must not empty another worker's.
- On Redis, the keys carry a prefix of the worker's (``scholia-test-gw0``...), and clearing
  a cache deletes that prefix's keys only (config/redis_cache.py), so workers sharing one
  Redis database never empty each other's caches.

Both are named in the environment, so the processes a test starts (manage.py) share them,
as a server and manage.py share the checkout's; the directory goes when the run ends.

Passwords are hashed with MD5 here: the suite signs in thousands of times, and a real
hasher's deliberate slowness buys a test nothing. Production keeps Django's default.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

# "gw0", "gw1"... in a pytest-xdist worker; empty in a run without workers, and in the
# controller process of one with them.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")

if not os.environ.get("SCHOLIA_COUNTERS_DIR"):
    os.environ["SCHOLIA_COUNTERS_DIR"] = tempfile.mkdtemp(prefix="scholia-test-counters-")
    os.environ["SCHOLIA_COUNTERS_WORKER"] = WORKER
    atexit.register(shutil.rmtree, os.environ["SCHOLIA_COUNTERS_DIR"], ignore_errors=True)
if os.environ.get("SCHOLIA_COUNTERS_WORKER", "") != WORKER:
    # A worker, started by the controller that made the run's directory (and removes it).
    own = Path(os.environ["SCHOLIA_COUNTERS_DIR"]) / WORKER
    own.mkdir(exist_ok=True)
    os.environ["SCHOLIA_COUNTERS_DIR"] = str(own)
    os.environ["SCHOLIA_COUNTERS_WORKER"] = WORKER
os.environ["CACHE_KEY_PREFIX"] = f"scholia-test-{WORKER or 'main'}"

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A second alias on the same database, as a replica's stand-in: the router's tests turn
# SCHOLIA_READ_REPLICA on and see which reads reach it (tests/test_replica.py).
if "replica" not in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
SCHOLIA_WEBHOOKS_ALLOWED_NETWORKS = ["127.0.0.1/32"]  # the tests receive webhooks on 127.0.0.1
