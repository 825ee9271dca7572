import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with empty caches, pages and counters alike (the suite may run
    against a shared Redis, and development's counters are files that outlive a run)."""
    for alias in ("default", "counters"):
        caches[alias].clear()
    yield
    for alias in ("default", "counters"):
        caches[alias].clear()
