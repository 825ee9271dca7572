"""Anonymous readers get the reading page from the cache; nobody gets anyone else's page."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commentary.services import comment_create
from edition.services import version_publish
from tests.edition.builders import build_version, build_work, heading, para

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def work():
    work = build_work()
    build_version(work, [heading("Chapter One"), para("The first paragraph."), para("Second.")])
    work.refresh_from_db()
    return work


@pytest.fixture
def alice():
    return get_user_model().objects.create_user("alice", "alice@example.org", "pw-alice-1917")


def first_paragraph(work):
    return work.paragraphs.get(key="p2")


def test_it_serves_the_second_anonymous_visit_from_the_cache_without_queries(client, work):
    url = work.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    assert "The first paragraph." in response.content.decode()


def test_it_shows_a_new_comment_count_to_anonymous_readers_at_once(client, work, alice):
    url = work.get_absolute_url()
    assert "1 comment" not in client.get(url).content.decode()
    comment_create(author=alice, paragraph=first_paragraph(work), body="A first remark.")
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "1 comment" in response.content.decode()


def test_it_never_caches_a_signed_in_readers_page(client, work, alice):
    client.force_login(alice)
    response = client.get(work.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert "alice" in response.content.decode()
    client.logout()
    client.cookies.clear()
    anonymous = client.get(work.get_absolute_url())
    assert "alice" not in anonymous.content.decode()


def test_it_does_not_show_a_pending_comment_count_cached_for_its_author(client, work, alice):
    comment = comment_create(author=alice, paragraph=first_paragraph(work), body="Held back.")
    type(comment).objects.filter(pk=comment.pk).update(status="pending")
    client.force_login(alice)
    assert "1 comment" in client.get(work.get_absolute_url()).content.decode()
    client.logout()
    client.cookies.clear()
    assert "1 comment" not in client.get(work.get_absolute_url()).content.decode()


def test_it_shows_a_newly_published_version_at_once(client, work):
    url = work.get_absolute_url()
    client.get(url)
    draft = build_version(
        work, [heading("Chapter One", key="p1"), para("Reworded.", key="p2")], publish=False
    )
    version_publish(version=draft)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Reworded." in response.content.decode()


def test_it_does_not_cache_for_a_reader_with_a_pending_message(client, work):
    client.cookies["messages"] = "pending"
    response = client.get(work.get_absolute_url())
    assert "X-Page-Cache" not in response


def test_it_never_answers_a_token_client_from_the_anonymous_cache(client, work, alice):
    from commentary.accounts.tokens import token_create

    root = comment_create(author=alice, paragraph=first_paragraph(work), body="Public.")
    held = comment_create(author=alice, parent=root, body="Held.")
    type(held).objects.filter(pk=held.pk).update(status="pending")
    url = f"/api/v1/comments/{root.pk}/thread/"
    assert client.get(url).json()["replies"] == []
    assert client.get(url)["X-Page-Cache"] == "hit"
    _, key = token_create(user=alice, name="script")
    mine = client.get(url, headers={"Authorization": f"Bearer {key}"})
    assert "X-Page-Cache" not in mine
    assert [reply["body"] for reply in mine.json()["replies"]] == ["Held."]


def test_it_keeps_json_and_the_browsable_api_apart(client, work, alice):
    root = comment_create(author=alice, paragraph=first_paragraph(work), body="Public.")
    url = f"/api/v1/comments/{root.pk}/"
    assert client.get(url, headers={"Accept": "text/html"})["Content-Type"].startswith("text/html")
    assert client.get(url, headers={"Accept": "application/json"}).json()["body"] == "Public."


# What a cached page is keyed by: scheme, host, path, the parameters the page reads and a
# representation; nothing a client can vary at will.

FORGED_HOST = "127.0.0.1:6666"


def cached_urls(work, comment) -> list[str]:
    return [
        "/api/v1/comments/",
        f"/api/v1/comments/{comment.pk}/",
        f"/api/v1/comments/{comment.pk}/thread/",
        f"/works/{work.slug}/p/p2/",
        f"/comments/{comment.pk}/",
    ]


def test_it_never_serves_a_page_built_for_a_forged_host_to_the_next_reader(client, work, alice):
    comment = comment_create(author=alice, paragraph=first_paragraph(work), body="A remark.")
    for url in cached_urls(work, comment):
        forged = client.get(url, headers={"Host": FORGED_HOST})
        assert forged.status_code == 200, url
        response = client.get(url)
        assert response.status_code == 200
        assert FORGED_HOST not in response.content.decode(), url


def test_it_never_serves_a_page_built_for_https_to_a_plain_http_reader(
    client, work, alice, settings
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    comment = comment_create(author=alice, paragraph=first_paragraph(work), body="A remark.")
    for url in cached_urls(work, comment):
        client.get(url, headers={"X-Forwarded-Proto": "https"})
        response = client.get(url)
        assert "https://" not in response.content.decode(), url


def test_it_stores_no_page_for_a_host_other_than_the_sites_own(client, work, settings):
    settings.SCHOLIA_SITE_URL = "http://testserver"
    url = work.get_absolute_url()
    forged = client.get(url, headers={"Host": FORGED_HOST})
    assert forged.status_code == 200
    assert "X-Page-Cache" not in forged
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_it_keys_the_reading_page_without_parameters_it_does_not_read(client, work):
    url = work.get_absolute_url()
    assert client.get(f"{url}?junk=0")["X-Page-Cache"] == "miss"
    for number in range(1, 20):
        assert client.get(f"{url}?junk={number}")["X-Page-Cache"] == "hit"
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_it_makes_no_counter_for_a_made_up_work(client):
    from django.core.cache import caches

    for number in range(5):
        assert client.get(f"/works/made-up-{number}/").status_code == 404
    counters = caches["counters"]
    assert not any(
        counters.get(f"generation:{topic}:work:made-up-{number}")
        for topic in ("text", "counts", "discussion")
        for number in range(5)
    )


def test_it_keys_the_comment_list_by_the_filters_it_reads(client, work, alice):
    comment_create(author=alice, paragraph=first_paragraph(work), body="On p2.")
    assert client.get("/api/v1/comments/?paragraph=p3&work=october-1917").json()["results"] == []
    both = client.get("/api/v1/comments/?work=october-1917&paragraph=p2&page_size=50")
    assert [c["body"] for c in both.json()["results"]] == ["On p2."]
    again = client.get("/api/v1/comments/?page_size=50&paragraph=p2&work=october-1917")
    assert again["X-Page-Cache"] == "hit"


def test_it_never_shows_a_parameter_it_ignored_in_a_cached_link(client, work, alice):
    for number in range(3):
        comment_create(author=alice, paragraph=first_paragraph(work), body=f"Remark {number}.")
    # The API refuses a parameter it does not read rather than dropping it.
    refused = client.get("/api/v1/comments/?page_size=1&evil=https%3A%2F%2Fevil.example")
    assert refused.status_code == 400
    assert "evil" not in client.get("/api/v1/comments/?page_size=1").json()["next"]
    page = work.get_absolute_url()
    assert client.get(f"{page}?evil=https%3A%2F%2Fevil.example")["X-Page-Cache"] == "miss"
    assert "evil.example" not in client.get(page).content.decode()


def test_it_keys_on_a_fixed_set_of_representations_not_on_the_raw_accept_header(
    client, work, alice
):
    root = comment_create(author=alice, paragraph=first_paragraph(work), body="Public.")
    url = f"/api/v1/comments/{root.pk}/"
    assert client.get(url, headers={"Accept": "application/json"})["X-Page-Cache"] == "miss"
    for variant in ("*/*", "application/json, text/plain", "application/json; junk=1"):
        response = client.get(url, headers={"Accept": variant})
        assert response["X-Page-Cache"] == "hit", variant
        assert response.json()["body"] == "Public."
    browsable = client.get(url, headers={"Accept": "text/html,application/xhtml+xml"})
    assert browsable["Content-Type"].startswith("text/html")


def test_a_cache_hit_carries_the_same_vary_as_the_miss(client, work, alice):
    root = comment_create(author=alice, paragraph=first_paragraph(work), body="Public.")
    for url in (f"/api/v1/comments/{root.pk}/", work.get_absolute_url()):
        miss = client.get(url)
        hit = client.get(url)
        assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
        assert hit.get("Vary") == miss.get("Vary"), url
        assert hit["Content-Type"] == miss["Content-Type"]


# What a write makes stale: only the pages that show what it changed.


def test_an_edit_leaves_the_cached_reading_page_a_hit(client, work, alice):
    from commentary.services import comment_edit

    comment = comment_create(author=alice, paragraph=first_paragraph(work), body="First words.")
    url = work.get_absolute_url()
    client.get(url)
    comment_edit(comment=comment, editor=alice, body="Better words.")
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert "Better words." in client.get(f"/comments/{comment.pk}/").content.decode()
    assert "Better words." in client.get(f"/works/{work.slug}/p/p2/").content.decode()
    assert client.get(f"/api/v1/comments/{comment.pk}/").json()["body"] == "Better words."


def test_a_comment_on_another_work_leaves_the_reading_page_a_hit(client, work, alice):
    other = build_work(slug="another-work", title="Another work")
    build_version(other, [para("Elsewhere.")])
    url = work.get_absolute_url()
    client.get(url)
    comment_create(author=alice, paragraph=other.paragraphs.get(key="p1"), body="Over there.")
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert "1 comment" in client.get(other.get_absolute_url()).content.decode()


def test_a_changed_display_name_shows_at_once_on_cached_pages(client, work, alice):
    from commentary.accounts.profiles import profile_update

    comment = comment_create(author=alice, paragraph=first_paragraph(work), body="Signed.")
    profile_update(user=alice, display_name="Alice Liddell", affiliation="", bio="")
    pages = [f"/comments/{comment.pk}/", f"/works/{work.slug}/p/p2/"]
    api = f"/api/v1/comments/{comment.pk}/"
    for url in pages:
        assert "Alice Liddell" in client.get(url).content.decode()
    assert client.get(api).json()["author"]["display_name"] == "Alice Liddell"
    profile_update(user=alice, display_name="", affiliation="", bio="")
    for url in pages:
        assert "Alice Liddell" not in client.get(url).content.decode(), url
    assert client.get(api).json()["author"]["display_name"] == "alice"


def test_a_title_changed_in_the_admin_shows_at_once(client, work):
    url = work.get_absolute_url()
    assert work.title in client.get(url).content.decode()
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw-1917")
    admin = type(client)()
    admin.force_login(editor)
    form = {
        "slug": work.slug,
        "title": "The Long Revolution",
        "language": "en",
        "moderation_policy": work.moderation_policy,
        "current_version": work.current_version_id,
    }
    response = admin.post(f"/admin/edition/work/{work.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    for page in (url, f"/works/{work.slug}/p/p2/"):
        assert "The Long Revolution" in client.get(page).content.decode(), page


def test_a_title_changed_by_a_new_import_shows_at_once(client, work):
    from edition.services import work_ensure

    url = work.get_absolute_url()
    client.get(url)
    work_ensure(slug=work.slug, title="The Long Revolution")
    assert "The Long Revolution" in client.get(url).content.decode()
