"""The settings the test suite runs with: the project's own, with the file counters (cache
generations, rate limits) in a temporary directory of this run. The checkout's
``var/counters/`` belongs to the development server, which every test's clearing of the
counters would otherwise empty under it.

The directory is named in the environment, so the processes a test starts (manage.py)
share it, as a server and manage.py share the checkout's; it goes when the run ends.
"""

import atexit
import os
import shutil
import tempfile

if not os.environ.get("SCHOLIA_COUNTERS_DIR"):
    os.environ["SCHOLIA_COUNTERS_DIR"] = tempfile.mkdtemp(prefix="scholia-test-counters-")
    atexit.register(shutil.rmtree, os.environ["SCHOLIA_COUNTERS_DIR"], ignore_errors=True)

from config.settings import *  # noqa: E402, F403

# A second alias on the same database, as a replica's stand-in: the router's tests turn
# SCHOLIA_READ_REPLICA on and see which reads reach it (tests/test_replica.py).
if "replica" not in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
