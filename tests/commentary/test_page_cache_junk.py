"""Nobody can fill the page cache with made-up values: only an answer about something real
is stored. A made-up discussion key sends the reader to the page without it; a filter that
names nothing is a 400; a filter whose values name no thing (an instant, a position in the
list, a group) is answered but never stored.

Counted on the cache the settings give: process memory, or Redis when REDIS_URL is set.
"""

from base64 import b64encode
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

import pytest
from django.core.cache import caches

from commentary.api.filters import CommentFilter
from commentary.api.urls import LIST_PARAMS, LIST_UNSTORED
from commentary.services import comment_create
from tests.commentary import test_page_cache

pytestmark = pytest.mark.django_db(transaction=True)

# The same work and reader as the other page cache tests.
work = test_page_cache.work
alice = test_page_cache.alice

COMMENTS = "/api/v1/comments/"
JUNK_EACH = 50


def stored_pages() -> int:
    """How many pages the default cache holds."""
    pages = caches["default"]
    pattern = pages.make_key("page:*")
    if hasattr(pages, "_cache") and isinstance(pages._cache, dict):  # process memory
        return sum(1 for key in pages._cache if key.startswith(pattern[:-1]))
    return len(pages._cache.get_client().keys(pattern))  # Redis


def a_cursor(position: int) -> str:
    """A cursor as the API writes them, at a made-up position."""
    return quote(b64encode(urlencode({"p": position}).encode()).decode())


def junk_requests(work) -> list[tuple[str, int]]:
    """(address, the status it must get): 500 made-up values across the parameters the
    pages read, each a new cache key if it were stored."""
    page = work.get_absolute_url()
    listed = f"{COMMENTS}?work={work.slug}"
    start = datetime(2020, 1, 1, tzinfo=UTC)
    requests = []
    for number in range(JUNK_EACH):
        instant = quote((start + timedelta(seconds=number)).isoformat())
        requests += [
            (f"{page}?discussion=junk{number}", 302),
            (f"{page}?discussion=p{number + 10}", 302),
            (f"{COMMENTS}?author=nobody{number}", 400),
            (f"{listed}&paragraph=p{number + 10}", 400),
            (f"{COMMENTS}?created_after={instant}", 200),
            (f"{COMMENTS}?created_before={instant}", 200),
            (f"{COMMENTS}?cursor={a_cursor(10_000 + number)}", 200),
            (f"{COMMENTS}?group=made-up-{number}", 200),
            (f"{COMMENTS}?work=made-up-{number}", 400),
            (f"{listed}&version={number + 3}", 400),
        ]
    return requests


@pytest.fixture
def page_writes(monkeypatch) -> list[str]:
    """The keys of the pages stored from now on (process memory culls past 300 entries, so
    counting what it holds alone could miss a write)."""
    pages = caches["default"]
    written: list[str] = []
    store = pages.set

    def counted(key, *args, **kwargs):
        if key.startswith("page:"):
            written.append(key)
        return store(key, *args, **kwargs)

    def counted_many(values, *args, **kwargs):
        for key, value in values.items():
            counted(key, value, *args, **kwargs)
        return []

    monkeypatch.setattr(pages, "set", counted)
    monkeypatch.setattr(pages, "set_many", counted_many)
    return written


def test_five_hundred_junk_values_store_no_page(client, work, alice, page_writes):
    comment_create(author=alice, paragraph=work.paragraphs.get(key="p2"), body="Real.")
    for real in [work.get_absolute_url(), f"{work.get_absolute_url()}?discussion=p2", COMMENTS]:
        assert client.get(real)["X-Page-Cache"] == "miss"
    before = stored_pages()
    assert before == len(page_writes) == 3

    requests = junk_requests(work)
    answers = [(url, client.get(url).status_code) for url, _ in requests]

    assert len(requests) == 500
    assert answers == requests
    assert stored_pages() == before
    assert len(page_writes) == 3


def test_a_made_up_discussion_goes_to_the_page_without_it(client, work):
    response = client.get(f"{work.get_absolute_url()}?discussion=p99")

    assert response.status_code == 302
    assert response["Location"] == work.get_absolute_url()


def test_a_made_up_discussion_on_a_versions_page_goes_to_that_page(client, work):
    version_url = work.current_version.get_absolute_url()

    response = client.get(f"{version_url}?discussion=nothing")

    assert response.status_code == 302
    assert response["Location"] == version_url


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("author=nobody", "author", "No member has this username."),
        ("work=made-up", "work", "No published work has this slug."),
        ("work=october-1917&paragraph=p99", "paragraph", "This work has no paragraph p99."),
        ("work=october-1917&version=7", "version", "This work has no published version 7."),
        ("work=october-1917&written_on=7", "written_on", "This work has no published version 7."),
    ],
)
def test_a_filter_naming_nothing_is_a_400_that_says_so(client, work, query, field, message):
    response = client.get(f"{COMMENTS}?{query}")

    assert response.status_code == 400
    assert response.json()["errors"] == {field: [message]}


def test_real_names_still_filter_and_are_cached(client, work, alice):
    comment_create(author=alice, paragraph=work.paragraphs.get(key="p2"), body="Real.")
    url = f"{COMMENTS}?work=october-1917&paragraph=p2&author=alice&version=1&written_on=1"

    assert [c["body"] for c in client.get(url).json()["results"]] == ["Real."]
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_every_filter_of_the_list_is_either_checked_or_never_stored():
    # ``ordering`` takes one of a fixed set of values, ``chapter`` one of the work's
    # chapters: any other is a 400, never stored.
    checked = {
        "work",
        "paragraph",
        "chapter",
        "author",
        "version",
        "written_on",
        "status",
        "ordering",
    }

    assert set(LIST_PARAMS) == checked | {"page_size"}
    assert {*LIST_PARAMS, *LIST_UNSTORED} == {*CommentFilter.base_filters, "cursor", "page_size"}


def test_made_up_chapters_store_no_page(client, work, page_writes):
    for number in range(JUNK_EACH):
        response = client.get(f"{COMMENTS}?work={work.slug}&chapter=made-up-{number}")
        assert response.status_code == 400
    assert page_writes == []
