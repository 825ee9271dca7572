"""Retries of one request racing each other on PostgreSQL, with real threads and one
connection each: however many arrive at once with the same Idempotency-Key, one creates."""

import threading

from commentary.groups.models import ReadingGroup
from commentary.models import Comment
from tests.api.comment_fixtures import COMMENTS, client_for, make_user

# PostgreSQL only, transactional, threads released at once: as the other concurrency tests.
from tests.api.test_comments_concurrency import pytestmark, run_together  # noqa: F401

RETRIES = 8


def retried_at_once(url: str, body: dict, user) -> list:
    def send(index: int, barrier: threading.Barrier):
        client = client_for(user)
        barrier.wait()
        response = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="same-key")
        return response.status_code, response.content, response.get("Idempotent-Replayed")

    return run_together(send, RETRIES)


def test_retries_of_a_comment_racing_each_other_create_it_once(october):
    alice = make_user("alice")
    body = {"work": "october-1917", "paragraph": "p2", "body": "Sent on a bad line."}

    results = retried_at_once(COMMENTS, body, alice)

    assert [status for status, _, _ in results] == [201] * RETRIES, results
    assert Comment.objects.count() == 1
    assert len({content for _, content, _ in results}) == 1
    assert sorted(replayed or "" for _, _, replayed in results) == [""] + ["true"] * (RETRIES - 1)


def test_retries_of_a_new_group_racing_each_other_found_it_once(october):
    alice = make_user("alice")

    results = retried_at_once(
        "/api/v1/groups/", {"name": "Seminar", "works": ["october-1917"]}, alice
    )

    assert [status for status, _, _ in results] == [201] * RETRIES, results
    assert ReadingGroup.objects.count() == 1
