import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (the suite may run against a shared Redis)."""
    cache.clear()
    yield
    cache.clear()
