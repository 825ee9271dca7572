import pytest
from django.core.cache import caches

from config.site.caching import forget_outages


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with empty caches, pages and counters alike (the suite may run
    against a shared Redis, and development's counters are files that outlive a run)."""
    for alias in ("default", "counters"):
        caches[alias].clear()
    forget_outages()
    yield
    for alias in ("default", "counters"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _established_members(settings):
    """The personas are established members, whose comments are published at once on an
    open work; the tests of new members' moderation set their own threshold."""
    settings.SCHOLIA_NEW_MEMBER_HELD = 0
