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
    from commentary.tokens import token_create

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
