"""Concurrent writes on PostgreSQL, with real threads and one connection each."""

import threading

import pytest
from django.db import connection

from commentary.models import Comment
from commentary.services import CommentError, comment_create, comment_delete
from tests.api.comment_fixtures import COMMENTS, client_for, comment_url, make_user, post

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite takes one writer at a time, so there is no race to test; "
        "run with DATABASE_URL=postgres://… to test row locking",
    ),
    pytest.mark.django_db(transaction=True),
]

REPLIES = 20


def run_together(work, count: int) -> list:
    """Runs ``work(index)`` in ``count`` threads released at once; returns their results.

    Each thread has its own database connection and closes it, so the test database can
    be flushed afterwards.
    """
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            results[index] = work(index, barrier)
        except BaseException as error:  # reported by the assertions of the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_twenty_concurrent_replies_to_one_comment_all_persist_in_order(october):
    root = post(make_user("alice"), october)
    readers = [make_user(f"reader{index}") for index in range(REPLIES)]

    def reply(index: int, barrier: threading.Barrier):
        client = client_for(readers[index])
        barrier.wait()
        response = client.post(
            COMMENTS, {"parent": root.pk, "body": f"Reply {index}."}, format="json"
        )
        return response.status_code, response.json()

    results = run_together(reply, REPLIES)

    assert [status for status, _ in results] == [201] * REPLIES, results
    replies = list(Comment.objects.filter(parent=root).order_by("pk"))
    assert len(replies) == REPLIES
    assert {(reply.depth, reply.root_id) for reply in replies} == {(1, root.pk)}
    assert {body["id"] for _, body in results} == {reply.pk for reply in replies}
    created = [reply.created_at for reply in replies]
    assert created == sorted(created)
    tree = client_for().get(comment_url(root.pk, "thread/")).json()
    assert [node["id"] for node in tree["replies"]] == [reply.pk for reply in replies]
    assert tree["reply_count"] == REPLIES
    assert {node["depth"] for node in tree["replies"]} == {1}


def test_replies_racing_a_delete_of_their_parent_land_before_it_or_not_at_all(october):
    alice = make_user("alice")
    root = post(alice, october)
    readers = [make_user(f"reader{index}") for index in range(REPLIES)]

    def reply_or_delete(index: int, barrier: threading.Barrier):
        barrier.wait()
        if index == REPLIES // 2:
            return comment_delete(comment=root, by=alice)
        try:
            return comment_create(author=readers[index], body="Racing.", parent=root)
        except CommentError as error:
            return error

    results = run_together(reply_or_delete, REPLIES)

    assert not [r for r in results if not isinstance(r, Comment | CommentError)], results
    root.refresh_from_db()
    replies = Comment.objects.filter(parent=root)
    refused = [r for r in results if isinstance(r, CommentError)]
    assert replies.count() + len(refused) == REPLIES - 1
    assert not replies.filter(created_at__gt=root.deleted_at).exists()
    for error in refused:
        assert error.message_dict == {"parent": ["That comment was deleted; it takes no replies."]}
