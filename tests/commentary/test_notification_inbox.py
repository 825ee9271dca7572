"""The bell, the notifications page, the follows API and the read API; the private feed."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from commentary.notifications.follows import follow_create, settings_update
from commentary.notifications.models import Kind, Notification, NotificationSettings
from tests.commentary.builders import bulk_roots, client_for, post
from tests.commentary.group_people import CANARY, group_post, make_seminar

pytestmark = pytest.mark.django_db(transaction=True)

QUERIES_UNCACHED = 7


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_bell_counts_and_the_page_leads_to_the_reply(alice, bob, work):
    first = post(alice, work)
    reply = post(bob, work, parent=first, body="Have you read @alice's source?")

    html = client_for(alice).get("/works/october-1917/").content.decode()
    assert 'class="account-nav-bell"' in html
    assert '<span class="bell-count">1<span class="visually-hidden"> unread</span>' in html
    page = client_for(alice).get("/notifications/")
    assert page["Cache-Control"].startswith("private")
    text = page.content.decode()
    assert f'href="/comments/{reply.pk}/"' in text
    assert "bob mentioned you." in text

    client_for(alice).post("/notifications/read/", {"up_to": Notification.objects.get().pk})

    assert "bell-count" not in client_for(alice).get("/").content.decode()


def test_the_follow_button_follows_and_unfollows(bob, work):
    html = client_for(bob).get("/works/october-1917/p/p3/").content.decode()
    assert "Follow this passage" in html

    client_for(bob).post("/follows/", {"work": work.slug, "paragraph": "p3", "follow": "1"})

    assert (
        "You follow this passage."
        in client_for(bob).get("/works/october-1917/p/p3/").content.decode()
    )
    client_for(bob).post("/follows/", {"work": work.slug, "paragraph": "p3", "follow": "0"})
    assert not bob.follows.exists()


def test_the_follows_api(alice, bob, work):
    comment = post(alice, work)
    client = api(bob)

    assert client.post("/api/v1/follows/", {"work": work.slug}, format="json").status_code == 201
    created = client.post("/api/v1/follows/", {"thread": comment.pk}, format="json")
    assert created.status_code == 201
    assert created.json()["thread"] == comment.pk
    assert client.post("/api/v1/follows/", {}, format="json").status_code == 400
    assert client.post("/api/v1/follows/", {"work": "nope"}, format="json").status_code == 404
    listed = client.get("/api/v1/follows/").json()["results"]
    assert sorted(item["target"] for item in listed) == ["thread", "work"]
    assert client.delete(f"/api/v1/follows/?thread={comment.pk}").status_code == 204
    assert [item["target"] for item in client.get("/api/v1/follows/").json()["results"]] == ["work"]
    assert APIClient().get("/api/v1/follows/").status_code == 401


def test_an_outsider_cannot_follow_a_group_thread(alice, work):
    group, olga, gus = make_seminar(work)
    canary = group_post(gus, work, group)

    answer = api(alice).post("/api/v1/follows/", {"thread": canary.pk}, format="json")

    assert answer.status_code == 404
    assert CANARY not in answer.content.decode()


def test_the_notifications_api_lists_kinds_and_marks_read(alice, bob, work):
    first = post(alice, work)
    post(bob, work, parent=first)
    post(bob, work, parent=first, body="And again.")
    client = api(alice)

    listed = client.get("/api/v1/notifications/").json()["results"]
    assert [item["kind"] for item in listed] == ["reply", "reply"]
    assert listed[0]["html_url"].endswith(f"/comments/{listed[0]['comment']['id']}/")
    assert client.post("/api/v1/notifications/read/", {}, format="json").status_code == 400
    marked = client.post("/api/v1/notifications/read/", {"ids": [listed[0]["id"]]}, format="json")
    assert marked.json() == {"marked": 1}
    assert api(bob).post("/api/v1/notifications/read/", {"all": True}, format="json").json() == {
        "marked": 0
    }
    assert client.post("/api/v1/notifications/read/", {"all": True}, format="json").json() == {
        "marked": 1
    }


def test_ten_thousand_notifications_cost_a_fixed_number_of_queries(
    alice, bob, work, django_assert_num_queries, django_assert_max_num_queries
):
    comments = bulk_roots(alice, work, 10_000)
    Notification.objects.bulk_create(
        (
            Notification(recipient=bob, kind=Kind.PARAGRAPH, comment=comment, work=work)
            for comment in comments
        ),
        batch_size=1000,
    )
    client = client_for(bob)
    client.get("/notifications/")  # the session's first read
    cache.clear()

    # session, user and roles, bell and decisions (uncached), count, page, passage labels,
    # the reader's sanctions (the header)
    with django_assert_num_queries(QUERIES_UNCACHED):
        page = client.get("/notifications/")
    assert page.content.decode().count('class="notification notification-paragraph') == 50
    assert "10000" in page.content.decode()
    # the bell's count, and the header's other cached reads, are cached since
    with django_assert_max_num_queries(QUERIES_UNCACHED - 2):
        assert client.get("/notifications/?page=150").status_code == 200


def test_the_private_feed_is_private_and_revocable(alice, work):
    group, olga, gus = make_seminar(work)
    group_post(olga, work, group)
    settings_update(user=gus, feed_token=NotificationSettings.new_feed_token())
    token = gus.notification_settings.feed_token

    feed = client_for().get(f"/feeds/{token}/")

    assert feed.status_code == 200
    assert feed["Cache-Control"].startswith("private")
    assert feed["X-Robots-Tag"] == "noindex"
    assert CANARY in feed.content.decode()
    settings_update(user=gus, feed_token="")
    assert client_for().get(f"/feeds/{token}/").status_code == 404
    assert client_for().get("/feeds/x/").status_code == 404


def test_public_feeds_never_carry_a_group_comment(alice, bob, work):
    group, olga, gus = make_seminar(work)
    follow_create(user=alice, work=work)
    post(olga, work, body="A public word.")
    group_post(olga, work, group)

    for address in (
        "/works/october-1917/feed/",
        "/works/october-1917/p/p3/feed/",
        "/users/olga/feed/",
    ):
        feed = client_for(alice).get(address)
        assert feed.status_code == 200, address
        assert feed["Content-Type"].startswith("application/atom+xml")
        text = feed.content.decode()
        assert "A public word." in text
        assert CANARY not in text
        assert "tag:testserver," in text
