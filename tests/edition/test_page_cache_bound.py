"""The pages' cache holds one entry per page, however many writes move the generations.

A thousand comments are posted (through the service) while anonymous readers keep reading
the pages: each comment makes the pages stale, each read stores a fresh copy, and a
superseded copy must not stay behind for its hour.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.test import Client

from commentary.services import comment_create
from config.redis_cache import RedisCache
from tests.commentary.builders import make_user, make_work

pytestmark = pytest.mark.django_db(transaction=True)

COMMENTS = 1000
READ_EVERY = 25
PAGES = ["/works/october-1917/", "/works/october-1917/p/p3/", "/api/v1/comments/?work=october-1917"]


def stored_entries(pages) -> list[str]:
    if isinstance(pages, RedisCache):
        prefix = django_settings.CACHES["default"].get("KEY_PREFIX", "")
        return pages._cache.get_client(None).keys(f"{prefix}:*")
    if hasattr(pages, "_dir"):
        return list(Path(pages._dir).glob("*.djcache"))
    return list(pages._cache)


@pytest.fixture(params=["locmem", "file", "redis"])
def backend(request, settings, tmp_path):
    if request.param == "redis":
        if not os.environ.get("REDIS_URL"):
            pytest.skip("REDIS_URL is not set")
    elif request.param == "file":
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": tmp_path / "pages",
            },
        }
    else:
        settings.CACHES = {
            **settings.CACHES,
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        }
    caches["default"].clear()
    yield request.param
    caches["default"].clear()


def test_a_thousand_comments_leave_one_stored_copy_per_page(backend, settings):
    settings.SCHOLIA_COMMENT_RATE = settings.SCHOLIA_NEW_MEMBER_COMMENT_RATE = "100000/60"
    work = make_work()
    author = make_user("alice")
    paragraph = work.paragraphs.get(key="p3")
    reader = Client()
    pages = caches["default"]
    most_pages = most = 0

    for number in range(COMMENTS):
        comment_create(author=author, paragraph=paragraph, body=f"Remark {number}.")
        if number % READ_EVERY == 0:
            for url in PAGES:
                assert reader.get(url).status_code == 200
            stored = [str(key) for key in stored_entries(pages)]
            most = max(most, len(stored))
            most_pages = max(most_pages, len([key for key in stored if ":page:" in key]))

    for url in PAGES:
        assert reader.get(url)["X-Page-Cache"] == "miss"
        assert reader.get(url)["X-Page-Cache"] == "hit"
    assert most_pages <= len(PAGES)
    # Beside them, each page's mark of the generations it was made under (one per page,
    # overwritten with it), and one of each fragment the pages and the writes keep, each
    # under its own name whatever the generation (the counts, the version's wordings, its
    # parts, its passages not shown and removed, its text, the chapters of the passage
    # written on, the webhook events wanted): eight today.
    assert most <= 2 * len(PAGES) + 8, sorted(str(key) for key in stored_entries(pages))
