"""An open discussion polls for new comments: 304 while nothing changed for the reader; the
new comments, each saying where it goes in the threads, when somebody else wrote; never a
group's comment to an outsider."""

import re
from contextlib import contextmanager

import pytest

from commentary.pages import live
from tests.commentary.builders import client_for, htmx_headers, post
from tests.commentary.group_people import CANARY, group_post, make_seminar

# Transactions: writes bump the discussion's generation once committed, which the polls read.
pytestmark = pytest.mark.django_db(transaction=True)

LIVE = "/works/october-1917/p/p3/discussion/live/"


@contextmanager
def read_afresh(django_assert_max_num_queries, most: int = 3):
    """The poll read the comments again (with the session and the user where they are not
    in the cache): at least its one query, at most ``most``."""
    with django_assert_max_num_queries(most) as captured:
        yield
    assert any("commentary_comment" in query["sql"] for query in captured.captured_queries)


def poll(client, etag: str | None = None, **params):
    query = "&".join(f"{name}={value}" for name, value in params.items())
    headers = {"If-None-Match": etag} if etag else {}
    return client.get(f"{LIVE}?{query}", headers=headers)


def after_of(response) -> int:
    (after,) = re.findall(r"after=(\d+)", response.content.decode())
    return int(after)


def first_poll(client, **params) -> tuple[int, str]:
    """The newest comment id the reader may read there, and the ETag."""
    response = poll(client, **params)
    assert response.status_code == 200
    assert "new comment" not in response.content.decode()
    return after_of(response), response["ETag"]


def test_it_answers_304_until_someone_else_writes(alice, bob, work):
    post(bob, work, body="Before the reader came.")
    reader = client_for(alice)
    after, etag = first_poll(reader)
    assert poll(reader, etag, after=after).status_code == 304
    watching = poll(reader, after=after)
    assert "no-store" in watching["Cache-Control"]

    post(alice, work)  # the reader's own: nothing new for them
    assert poll(reader, etag, after=after).status_code == 304
    post(bob, work, body="Something *new*.")

    news = poll(reader, etag, after=after)
    assert news.status_code == 200
    html = news.content.decode()
    assert "1 new comment, now in the discussion." in html
    assert news["ETag"] != etag
    # The new comment itself, rendered as the threads render it, for discussion.js to place.
    assert '<template class="discussion-live-arrivals">' in html
    assert "Something <em>new</em>." in html
    # Past the news and the reader's own: the next poll answers 304.
    later = after_of(news)
    assert later > after
    assert poll(reader, news["ETag"], after=later).status_code == 304


def test_a_reply_says_which_comment_it_answers_and_a_thread_its_list(alice, bob, work):
    root = post(alice, work, body="A question.")
    reader = client_for(alice)
    after, etag = first_poll(reader)
    reply = post(bob, work, parent=root, body="An answer.")
    thread = post(bob, work, body="Another matter.")

    html = poll(reader, etag, after=after).content.decode()
    assert "2 new comments, now in the discussion." in html
    assert f'<li class="reply" data-live-parent="c{root.pk}"><article' in html
    assert f'id="c{reply.pk}"' in html
    assert (
        f'<li class="thread" id="thread-{thread.pk}" data-live-list="threads-p3"><article' in html
    )
    assert html.index(f'id="c{reply.pk}"') < html.index(f'id="c{thread.pk}"')
    # The reader may reply to what arrived: the actions come with it.
    assert f"/comments/{reply.pk}/reply/" in html
    # The fallback link waits hidden, for a place discussion.js cannot find.
    assert "data-live-fallback hidden>Show them</a>" in html


def test_too_many_at_once_are_announced_with_a_link(alice, bob, work, monkeypatch):
    monkeypatch.setattr(live, "ARRIVALS_SHOWN", 2)
    reader = client_for(alice)
    after, etag = first_poll(reader)
    for number in range(3):
        post(bob, work, body=f"Comment {number}.")
    html = poll(reader, etag, after=after).content.decode()
    assert "3 new comments here." in html
    assert "discussion-live-arrivals" not in html
    assert "data-live-fallback" not in html
    assert ">Show them</a>" in html


def test_a_group_comment_arrives_in_the_groups_list_for_a_member(work):
    group, olga, gus = make_seminar(work)
    member = client_for(gus)
    after, etag = first_poll(member, group=group.slug)
    comment = group_post(olga, work, group)
    html = poll(member, etag, after=after, group=group.slug).content.decode()
    assert f'id="thread-{comment.pk}" data-live-list="group-threads-p3"' in html
    assert CANARY in html


def test_the_discussion_panel_carries_a_polite_live_region_the_same_for_all(alice, bob, work):
    def panel(user):
        return (
            client_for(user)
            .get("/works/october-1917/p/p3/discussion/", headers=htmx_headers())
            .content.decode()
        )

    html = panel(alice)
    assert 'class="discussion-live" role="status" aria-live="polite"' in html
    assert (
        f'data-hx-get="{LIVE}?version=1&amp;standalone=0" data-hx-trigger="load, every 15s"' in html
    )


def test_an_outsider_polling_hears_nothing_of_a_group_comment(alice, work):
    group, olga, gus = make_seminar(work)
    group_post(olga, work, group, body="An earlier group word.")
    watchers = {"alice": alice, "anonymous": None, "gus": gus}
    state = {}
    for name, user in watchers.items():
        state[name] = first_poll(client_for(user), group=group.slug)
    assert state["alice"][0] == state["anonymous"][0] == 0  # no trace of the earlier one

    group_post(olga, work, group)

    for name in ("alice", "anonymous"):
        after, etag = state[name]
        answer = poll(client_for(watchers[name]), etag, after=after, group=group.slug)
        assert answer.status_code == 304, name
        # Without the ETag, the same: nothing of it.
        html = poll(client_for(watchers[name]), after=after, group=group.slug).content.decode()
        assert CANARY not in html and "new comment" not in html, name
    after, etag = state["gus"]
    news = poll(client_for(gus), etag, after=after, group=group.slug)
    assert "1 new comment, now in the discussion." in news.content.decode()


def test_a_poll_costs_one_query_then_none_while_the_discussion_stands(
    alice, bob, work, django_assert_num_queries, django_assert_max_num_queries
):
    post(bob, work)
    reader = client_for(alice)
    after, etag = first_poll(reader)
    with read_afresh(django_assert_max_num_queries):  # session, user, the poll itself
        assert poll(reader, etag, after=after).status_code == 304
    with django_assert_num_queries(0):  # the same answer, from the caches
        assert poll(reader, etag, after=after).status_code == 304
    # A comment on another paragraph of the work: read again, nothing new here.
    post(bob, work, "p5")
    with read_afresh(django_assert_max_num_queries):
        assert poll(reader, etag, after=after).status_code == 304
    with django_assert_num_queries(0):
        assert poll(reader, etag, after=after).status_code == 304
    # Another reader sending this reader's ETag is read afresh, and told nothing of it.
    other = client_for(bob)
    with read_afresh(django_assert_max_num_queries, 4):  # and the paragraph, bob's answer
        assert poll(other, etag, after=after).status_code == 200


def test_nothing_is_kept_for_a_made_up_place_or_a_groups_layer(
    alice, bob, work, django_assert_max_num_queries
):
    group, olga, gus = make_seminar(work)
    reader = client_for(alice)
    # A made-up ``after``: answered, never kept (it would be one more entry per value).
    made_up = poll(reader, after=987654)["ETag"]
    for _ in range(2):
        with read_afresh(django_assert_max_num_queries):
            assert poll(reader, made_up, after=987654).status_code == 304
    # A group's layer is read afresh each time.
    member = client_for(gus)
    after, etag = first_poll(member, group=group.slug)
    for _ in range(2):
        with read_afresh(django_assert_max_num_queries):
            assert poll(member, etag, after=after, group=group.slug).status_code == 304
    group_post(olga, work, group)
    news = poll(member, etag, after=after, group=group.slug)
    assert "1 new comment, now in the discussion." in news.content.decode()


def test_a_bad_after_or_version_is_a_400(alice, work):
    assert client_for(alice).get(f"{LIVE}?after=soon").status_code == 400
    assert client_for(alice).get(f"{LIVE}?version=two").status_code == 400


def test_an_unknown_paragraph_is_a_404_then_never_has_news(alice, bob, work):
    reader = client_for(alice)
    unknown = "/works/october-1917/p/p999/discussion/live/"
    assert reader.get(f"{unknown}?standalone=0").status_code == 404
    post(bob, work)
    assert reader.get(f"{unknown}?after=0&standalone=0").status_code == 404  # rendered: no news
