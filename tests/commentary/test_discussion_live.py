"""An open discussion polls for new comments: 304 while nothing changed for the reader,
the count and a link when something did; never a group's comment to an outsider."""

import re

import pytest

from tests.commentary.builders import client_for, htmx_headers, post
from tests.commentary.group_people import group_post, make_seminar

pytestmark = pytest.mark.django_db

LIVE = "/works/october-1917/p/p3/discussion/live/"


def poll(client, etag: str | None = None, **params):
    query = "&".join(f"{name}={value}" for name, value in params.items())
    headers = {"If-None-Match": etag} if etag else {}
    return client.get(f"{LIVE}?{query}", headers=headers)


def first_poll(client, **params) -> tuple[int, str]:
    """The newest comment id the reader may read there, and the ETag."""
    response = poll(client, **params)
    assert response.status_code == 200
    assert "new comment" not in response.content.decode()
    (after,) = re.findall(r"after=(\d+)", response.content.decode())
    return int(after), response["ETag"]


def test_it_answers_304_until_someone_else_writes(alice, bob, work):
    post(bob, work, body="Before the reader came.")
    reader = client_for(alice)
    after, _ = first_poll(reader)
    watching = poll(reader, after=after)
    assert "no-store" in watching["Cache-Control"]
    etag = watching["ETag"]
    assert poll(reader, etag, after=after).status_code == 304

    post(alice, work)  # the reader's own: nothing new for them
    assert poll(reader, etag, after=after).status_code == 304
    post(bob, work)

    news = poll(reader, etag, after=after)
    assert news.status_code == 200
    assert "1 new comment here." in news.content.decode()
    assert news["ETag"] != etag


def test_the_discussion_panel_carries_a_polite_live_region_the_same_for_all(alice, bob, work):
    def panel(user):
        return (
            client_for(user)
            .get("/works/october-1917/p/p3/discussion/", headers=htmx_headers())
            .content.decode()
        )

    html = panel(alice)
    assert 'class="discussion-live" role="status" aria-live="polite"' in html
    assert f'data-hx-get="{LIVE}?standalone=0" data-hx-trigger="load, every 15s"' in html


def test_an_outsider_polling_hears_nothing_of_a_group_comment(alice, work):
    group, olga, gus = make_seminar(work)
    group_post(olga, work, group, body="An earlier group word.")
    watchers = {"alice": alice, "anonymous": None, "gus": gus}
    state = {}
    for name, user in watchers.items():
        after, _ = first_poll(client_for(user), group=group.slug)
        state[name] = (after, poll(client_for(user), after=after, group=group.slug)["ETag"])
    assert state["alice"][0] == state["anonymous"][0] == 0  # no trace of the earlier one

    group_post(olga, work, group)

    for name in ("alice", "anonymous"):
        after, etag = state[name]
        answer = poll(client_for(watchers[name]), etag, after=after, group=group.slug)
        assert answer.status_code == 304, name
    after, etag = state["gus"]
    news = poll(client_for(gus), etag, after=after, group=group.slug)
    assert "1 new comment here." in news.content.decode()


def test_a_bad_after_is_a_400(alice, work):
    assert client_for(alice).get(f"{LIVE}?after=soon").status_code == 400
