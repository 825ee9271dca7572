"""The WSGI application (``gunicorn config.wsgi``)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# What loading the project made (modules, settings, models, the URL patterns) lives as long
# as the process: frozen out of the garbage collector's sight, a full collection walks only
# what requests made since, instead of pausing a worker for tens of milliseconds every few
# hundred requests to walk all of it again.
get_resolver().url_patterns  # noqa: B018 - imported now, to be frozen with the rest
gc.freeze()
