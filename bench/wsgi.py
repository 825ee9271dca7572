"""The project's WSGI application with the benchmark's settings (its baselines' URLs)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from config.wsgi import application  # noqa: E402

__all__ = ["application"]
