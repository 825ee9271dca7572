"""An open discussion polls for new comments: 304 while nothing changed for the reader,
the count and a button when something did; never a group's comment to an outsider."""

import time

import pytest

from tests.commentary.builders import client_for, htmx_headers, post
from tests.commentary.group_people import group_post, make_seminar

pytestmark = pytest.mark.django_db

LIVE = "/works/october-1917/p/p3/discussion/live/"


def poll(client, since: int, etag: str | None = None, **params):
    query = "&".join(f"{name}={value}" for name, value in {"since": since, **params}.items())
    headers = {"If-None-Match": etag} if etag else {}
    return client.get(f"{LIVE}?{query}", headers=headers)


def test_it_answers_304_until_someone_else_writes(alice, bob, work):
    since = int(time.time()) - 1
    reader = client_for(alice)
    first = poll(reader, since)
    assert first.status_code == 200
    assert "new comment" not in first.content.decode()
    assert "no-store" in first["Cache-Control"]
    etag = first["ETag"]
    assert poll(reader, since, etag).status_code == 304

    post(alice, work)  # the reader's own: nothing new for them
    assert poll(reader, since, etag).status_code == 304
    post(bob, work)

    news = poll(reader, since, etag)
    assert news.status_code == 200
    assert "1 new comment here." in news.content.decode()
    assert news["ETag"] != etag


def test_the_discussion_panel_carries_a_polite_live_region(alice, work):
    html = (
        client_for(alice)
        .get("/works/october-1917/p/p3/discussion/", headers=htmx_headers())
        .content.decode()
    )
    assert 'class="discussion-live" role="status" aria-live="polite"' in html
    assert f'data-hx-get="{LIVE}?since=' in html


def test_an_outsider_polling_hears_nothing_of_a_group_comment(alice, work):
    group, olga, gus = make_seminar(work)
    since = int(time.time()) - 1
    etags = {
        name: poll(client_for(user), since, group=group.slug)["ETag"]
        for name, user in (("alice", alice), ("anonymous", None), ("gus", gus))
    }

    group_post(olga, work, group)

    for name, user in (("alice", alice), ("anonymous", None)):
        assert poll(client_for(user), since, etags[name], group=group.slug).status_code == 304
    news = poll(client_for(gus), since, etags["gus"], group=group.slug)
    assert "1 new comment here." in news.content.decode()


def test_a_bad_since_is_a_400(alice, work):
    assert client_for(alice).get(f"{LIVE}?since=soon").status_code == 400
