"""Production settings plus the bare baseline views, for the benchmark's servers only."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
