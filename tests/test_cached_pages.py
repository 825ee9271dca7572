"""A page kept for anonymous readers is answered before the rest of the middleware runs
(config/site/cached_pages.py), and goes out exactly as the whole stack sends it; anything
the cache may not answer goes down the whole stack as before."""

import gzip

import pytest
from django.test import Client

from tests.commentary.builders import client_for, make_user, make_work, post
from tests.commentary.group_people import CANARY, group_post, make_seminar

pytestmark = pytest.mark.django_db(transaction=True)

CACHED_PAGES = "config.site.cached_pages.CachedPagesMiddleware"
READING = "/works/october-1917/"
# Headers that differ between any two requests, wherever they are answered.
PER_REQUEST = {"X-Request-ID"}


@pytest.fixture
def work():
    return make_work()


@pytest.fixture
def comment(work):
    return post(make_user("alice"), work, body="Words for everybody.")


def answered_early(response) -> bool:
    # The session middleware gives every request it sees a session; the early answer
    # comes before it.
    return not hasattr(response.wsgi_request, "session")


def headers(response, *, without=()) -> list[tuple[str, str]]:
    return [
        (name, value) for name, value in response.items() if name not in {*PER_REQUEST, *without}
    ]


def both_ways(settings, url: str, **extra):
    """The same request answered early and by the whole stack (the view's wrapper serving the
    cached page), once the page is cached."""
    early = Client()
    assert early.get(url, **extra)["X-Page-Cache"] == "miss"
    fast = early.get(url, **extra)
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != CACHED_PAGES]
    whole = Client().get(url, **extra)
    assert answered_early(fast) and not answered_early(whole)
    return fast, whole


@pytest.mark.parametrize(
    "url",
    [
        READING,
        f"{READING}?discussion=p3",
        f"{READING}p/p3/",
        "/api/v1/comments/?work=october-1917",
    ],
)
def test_a_hit_answered_early_is_the_whole_stacks_header_for_header(settings, work, comment, url):
    fast, whole = both_ways(settings, url)
    assert fast.status_code == whole.status_code == 200
    assert fast["X-Page-Cache"] == whole["X-Page-Cache"] == "hit"
    assert headers(fast) == headers(whole)
    assert fast.content == whole.content


@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_a_hit_in_json_and_in_the_browsable_api_is_the_whole_stacks(settings, comment, accept):
    url = f"/api/v1/comments/{comment.pk}/thread/"
    fast, whole = both_ways(settings, url, headers={"Accept": accept})
    assert fast["Content-Type"].startswith(accept)
    assert headers(fast) == headers(whole)
    assert fast.content == whole.content


def test_a_hit_is_what_the_miss_sent_but_for_the_cache_header(work):
    client = Client()
    miss = client.get(READING)
    hit = client.get(READING)
    assert answered_early(hit)
    assert headers(hit, without={"X-Page-Cache"}) == headers(miss, without={"X-Page-Cache"})
    assert hit.content == miss.content


def test_a_hit_for_a_browser_that_accepts_gzip_is_compressed_as_the_whole_stack_does(
    settings, work
):
    fast, whole = both_ways(settings, READING, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert fast["Content-Encoding"] == "gzip"
    # The compressed body is padded with random bytes against BREACH: its length differs.
    assert headers(fast, without={"Content-Length"}) == headers(whole, without={"Content-Length"})
    assert int(fast["Content-Length"]) == len(fast.content)
    assert gzip.decompress(fast.content) == gzip.decompress(whole.content)
    assert gzip.decompress(fast.content) == Client().get(READING).content


def test_a_head_request_is_answered_early_as_the_whole_stack_answers_it(settings, work):
    early = Client()
    early.get(READING)
    fast = early.head(READING)
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != CACHED_PAGES]
    whole = Client().head(READING)
    assert answered_early(fast) and not answered_early(whole)
    assert headers(fast) == headers(whole)
    assert fast.content == whole.content == b""


def test_a_query_parameter_the_page_does_not_read_is_dropped_early_as_by_the_view(settings, work):
    fast, whole = both_ways(settings, f"{READING}?utm_source=mail")
    assert headers(fast) == headers(whole)
    assert fast.content == whole.content == Client().get(READING).content


def test_a_hit_answers_without_a_query(work, django_assert_num_queries):
    client = Client()
    client.get(READING)
    with django_assert_num_queries(0):
        assert answered_early(client.get(READING))


@pytest.mark.parametrize(
    "conditional",
    [{"If-None-Match": '"anything"'}, {"If-Modified-Since": "Sun, 06 Dec 2026 10:00:00 GMT"}],
)
def test_a_conditional_request_goes_to_the_view(work, conditional):
    client = Client()
    client.get(READING)
    response = client.get(READING, headers=conditional)
    assert not answered_early(response)
    assert "X-Page-Cache" not in response


def test_a_reader_with_a_session_is_never_answered_from_the_cache(work):
    Client().get(READING)
    reader = client_for(make_user("bob"))
    response = reader.get(READING)
    assert not answered_early(response)
    assert "X-Page-Cache" not in response
    assert "bob" in response.content.decode()


def test_a_stale_or_forged_session_cookie_is_never_answered_from_the_cache(work):
    Client().get(READING)
    client = Client()
    client.cookies["sessionid"] = "no-such-session"
    response = client.get(READING)
    assert not answered_early(response)
    assert "X-Page-Cache" not in response


def test_a_request_with_credentials_is_never_answered_from_the_cache(comment):
    from commentary.accounts.tokens import token_create

    url = f"/api/v1/comments/{comment.pk}/thread/"
    Client().get(url)
    assert Client().get(url)["X-Page-Cache"] == "hit"
    _, key = token_create(user=comment.author, name="script")
    for credentials in (f"Bearer {key}", "Bearer not-a-token", "Basic YWxpY2U6cHc="):
        response = Client().get(url, headers={"Authorization": credentials})
        assert not answered_early(response)
        assert "X-Page-Cache" not in response


def test_a_reader_with_a_pending_message_is_never_answered_from_the_cache(work):
    Client().get(READING)
    client = Client()
    client.cookies["messages"] = "pending"
    response = client.get(READING)
    assert not answered_early(response)
    assert "X-Page-Cache" not in response


def test_a_groups_layer_is_never_answered_from_the_anonymous_cache(work):
    group, _olga, gus = make_seminar(work)
    group_post(gus, work, group)
    url = f"{READING}?group={group.slug}"
    assert client_for(gus).get(url).status_code == 200
    for _ in range(2):
        response = Client().get(url)
        assert response.status_code == 404
        assert "X-Page-Cache" not in response
        assert CANARY not in response.content.decode()
    assert CANARY not in Client().get(READING).content.decode()


def test_a_csrf_cookie_of_a_form_it_reads_is_answered_early_without_a_new_one(work):
    Client().get(READING)
    client = Client()
    client.cookies["csrftoken"] = "a" * 32
    response = client.get(READING)
    assert answered_early(response)
    assert not response.cookies


def test_a_malformed_csrf_cookie_goes_down_the_stack_and_is_replaced_as_before(work):
    Client().get(READING)
    client = Client()
    client.cookies["csrftoken"] = "malformed"
    response = client.get(READING)
    assert not answered_early(response)
    assert response["X-Page-Cache"] == "hit"
    assert response.cookies["csrftoken"].value != "malformed"


def test_an_api_parameter_the_operation_does_not_take_is_refused_as_before(comment):
    url = f"/api/v1/comments/{comment.pk}/thread/"
    Client().get(url)
    response = Client().get(f"{url}?updated_after=2020-01-01")
    assert response.status_code == 400
    assert "updated_after" in response.content.decode()


def test_a_host_outside_the_allowed_ones_is_refused_as_before(work):
    Client().get(READING)
    response = Client().get(READING, headers={"Host": "evil.example.org"})
    assert response.status_code == 400


def test_a_new_comment_is_on_the_next_page_answered_early(work):
    client = Client()
    client.get(READING)
    assert "1 comment" not in client.get(READING).content.decode()
    post(make_user("alice"), work, body="A first remark.")
    response = client.get(READING)
    assert response["X-Page-Cache"] == "miss"
    assert "1 comment" in response.content.decode()
    assert answered_early(client.get(READING))


def test_it_steps_aside_when_the_middleware_below_it_are_not_those_it_knows(settings, work):
    at = settings.MIDDLEWARE.index(CACHED_PAGES)
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: at + 1],
        "django.middleware.http.ConditionalGetMiddleware",
        *settings.MIDDLEWARE[at + 1 :],
    ]
    client = Client()
    client.get(READING)
    response = client.get(READING)
    assert response["X-Page-Cache"] == "hit"
    assert not answered_early(response)


def test_a_miss_reads_the_caches_once_for_the_early_lookup_and_the_view(monkeypatch, work):
    from config.site import caching

    pages = []
    read = caching._kept_page
    monkeypatch.setattr(
        caching, "_kept_page", lambda key, *rest: pages.append(key) or read(key, *rest)
    )
    client = Client()
    assert client.get(READING)["X-Page-Cache"] == "miss"
    assert len([key for key in pages if key.startswith("page:")]) == 1
    assert answered_early(client.get(READING))
    assert len([key for key in pages if key.startswith("page:")]) == 2


def test_a_signed_in_readers_page_is_not_looked_up(monkeypatch, work):
    from config.site import caching

    read = caching._kept

    def kept(key, *rest):
        assert not key.startswith("page:"), "a signed-in reader's page was looked up"
        return read(key, *rest)

    def kept_page(key, *rest):
        raise AssertionError("a signed-in reader's page was looked up")

    monkeypatch.setattr(caching, "_kept", kept)
    monkeypatch.setattr(caching, "_kept_page", kept_page)
    assert client_for(make_user("bob")).get(READING).status_code == 200


def test_a_page_this_process_kept_is_served_only_while_the_pages_cache_holds_it(monkeypatch, work):
    """The process keeps the pages it served; the pages' cache stays the authority: emptied,
    or without the mark of the page's generations, it answers a miss here too."""
    from django.core.cache import caches

    from config.site import caching

    monkeypatch.setattr(caching, "_pages_here", {})
    client = Client()
    client.get(READING)
    assert client.get(READING)["X-Page-Cache"] == "hit"
    [key] = caching._pages_here

    caches["default"].clear()
    assert client.get(READING)["X-Page-Cache"] == "miss"
    assert client.get(READING)["X-Page-Cache"] == "hit"

    # Without the mark, the page is read from the pages' cache again, not served from here.
    generations, (content, page_headers) = caches["default"].get(key)
    caches["default"].set(key, (generations, (b"The shared copy.", page_headers)))
    assert client.get(READING).content == content
    caches["default"].delete(caching.mark_of(key))
    assert client.get(READING).content == b"The shared copy."


def test_a_page_this_process_kept_is_not_served_once_what_it_shows_changed(work):
    client = Client()
    client.get(READING)
    assert client.get(READING)["X-Page-Cache"] == "hit"
    post(make_user("alice"), work, body="A remark the kept copy does not show.")
    response = client.get(READING)
    assert response["X-Page-Cache"] == "miss"
    assert "1 comment" in response.content.decode()
    assert "1 comment" in client.get(READING).content.decode()


def test_what_this_process_keeps_of_pages_is_bounded(monkeypatch, work):
    from config.site import caching

    monkeypatch.setattr(caching, "_pages_here", {})
    monkeypatch.setattr(caching, "_PAGES_HERE_BYTES", 1)
    client = Client()
    for url in (READING, f"{READING}p/p3/", f"{READING}p/p4/"):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
        assert len(caching._pages_here) == 1


GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def compressions(monkeypatch):
    """The pages the gzip middleware compresses, in order."""
    from django.middleware import gzip as gzip_middleware

    compressed = []
    real = gzip_middleware.compress_string

    def counted(content, **options):
        compressed.append(content)
        return real(content, **options)

    monkeypatch.setattr(gzip_middleware, "compress_string", counted)
    return compressed


def test_a_page_is_compressed_once_and_each_hit_gets_what_that_made(work, compressions):
    client = Client()
    assert client.get(READING, headers=GZIP)["X-Page-Cache"] == "miss"
    first, second, third = (client.get(READING, headers=GZIP) for _ in range(3))
    assert all(answered_early(hit) for hit in (first, second, third))
    # The miss, by the whole stack, then the first hit; never again for the same page.
    assert len(compressions) == 2
    assert second.content == first.content == third.content
    assert headers(second) == headers(first)
    assert first["Content-Encoding"] == "gzip"
    assert int(third["Content-Length"]) == len(third.content)
    assert "Accept-Encoding" in third["Vary"] and "Cookie" in third["Vary"]
    assert gzip.decompress(third.content) == Client().get(READING).content
    # A client that does not take gzip gets the page as it is, from the same process.
    plain = client.get(READING)
    assert answered_early(plain)
    assert not plain.has_header("Content-Encoding")
    assert plain.content == gzip.decompress(third.content)


def test_a_changed_page_is_compressed_afresh(work, compressions):
    client = Client()
    client.get(READING, headers=GZIP)
    before = client.get(READING, headers=GZIP)
    post(make_user("alice"), work, body="A remark the compressed copy does not show.")
    assert client.get(READING, headers=GZIP)["X-Page-Cache"] == "miss"
    after = client.get(READING, headers=GZIP)
    assert answered_early(after)
    assert "1 comment" not in gzip.decompress(before.content).decode()
    assert "1 comment" in gzip.decompress(after.content).decode()
    assert "1 comment" in gzip.decompress(client.get(READING, headers=GZIP).content).decode()


def test_what_this_process_keeps_compressed_is_bounded(monkeypatch, work, compressions):
    from config.site.cached_pages import CachedPagesMiddleware

    monkeypatch.setattr(CachedPagesMiddleware, "COMPRESSED_BYTES", 1)
    client = Client()
    client.get(READING, headers=GZIP)
    for _ in range(3):
        assert answered_early(client.get(READING, headers=GZIP))
    # Too big to keep: compressed at every hit, as the gzip middleware alone would.
    assert len(compressions) == 4
