"""Query budgets: what an endpoint costs does not grow with the number of comments."""

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from commentary.models import Comment
from tests.api.comment_fixtures import (
    COMMENTS,
    bulk_comments,
    bulk_thread,
    client_for,
    comment_url,
    make_people,
    post,
    set_status,
)

# Anonymous: the comment asked for, then its thread. Signed in: the session and the user first
# (the session comes from the cache instead when REDIS_URL makes sessions cached_db); the
# user's row brings the reader's roles with it (config.site.auth_backends), which spare every
# later query the subqueries deciding whether the reader moderates and which groups they
# are in.
THREAD_QUERIES = {"anonymous": 2, "signed in": 4}
# Anonymous: one query for the page, replies counted inside it. Signed in: plus the session
# and the user (with the reader's roles).
LIST_QUERIES = {"anonymous": 1, "signed in": 3}


@pytest.fixture(autouse=True)
def _uncached(settings):
    """Budgets are about the database: measure the path that reaches it."""
    settings.SCHOLIA_PAGE_CACHE = False


@pytest.fixture
def people(db):
    return make_people()


def queries_for(client, url: str, **params) -> tuple[int, dict | list]:
    client.get(url, params)  # a signed-in session is now in the cache, when there is one
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response.json()


def count_nodes(node: dict) -> int:
    return 1 + sum(count_nodes(reply) for reply in node["replies"])


@pytest.mark.parametrize("viewer", ["anonymous", "signed in"])
def test_a_thread_of_a_thousand_comments_costs_what_a_thread_of_ten_does(october, people, viewer):
    authors = [people.alice, people.bob, people.charlie]
    small = bulk_thread(post(people.alice, october, "p2"), authors, 10)
    large = bulk_thread(post(people.alice, october, "p3"), authors, 1000)
    set_status(large[1], Comment.Status.PENDING)  # a placeholder for all but alice
    client = client_for(people.bob if viewer == "signed in" else None)

    small_cost, small_tree = queries_for(client, comment_url(small[-1].pk, "thread/"))
    large_cost, large_tree = queries_for(client, comment_url(large[-1].pk, "thread/"))

    assert count_nodes(small_tree) == 10
    assert count_nodes(large_tree) == 1000
    assert max(comment.depth for comment in large) == 8
    assert small_cost == large_cost <= THREAD_QUERIES[viewer]


@pytest.mark.parametrize("viewer", ["anonymous", "signed in"])
def test_each_list_page_costs_the_same_for_5_or_200_comments(october, people, viewer):
    client = client_for(people.bob if viewer == "signed in" else None)
    few = bulk_comments(people.alice, october, 5)
    for comment in few:
        post(people.charlie, october, parent=comment)

    few_cost, few_page = queries_for(client, COMMENTS, page_size=200)
    bulk_comments(people.alice, october, 195, key="p3")
    many_cost, many_page = queries_for(client, COMMENTS, page_size=200)
    first_cost, first_page = queries_for(client, COMMENTS, work="october-1917")
    next_cost, next_page = queries_for(client, first_page["next"])

    assert len(few_page["results"]) == 10
    assert len(many_page["results"]) == 200
    assert (len(first_page["results"]), len(next_page["results"])) == (50, 50)
    assert sum(comment["reply_count"] for comment in few_page["results"]) == 5
    assert few_cost == many_cost == first_cost == next_cost <= LIST_QUERIES[viewer]


def test_a_comment_costs_a_fixed_number_of_queries(october, people):
    root = post(people.alice, october)
    bulk_thread(root, [people.bob], 60)

    cost, data = queries_for(client_for(), comment_url(root.pk))

    assert data["reply_count"] == 2
    assert cost == 2  # the comment with what it links to, then its visible replies


# A post with a token kept from the request before, on the current text whose paragraph and
# wording are kept too (under the text's generation, since the first post), with what
# follows its commit run too:
#  1. the author: the sanctions in force where they write, a moderator's decision on their
#     trust (with their profile, whose name the answer shows), their threshold-th approved
#     comment;
#  2. the insert, its own transaction (no BEGIN and COMMIT around it, see below);
# after the commit:
#  3. the author follows their thread (unless their settings say no), one statement;
#  4. who follows the paragraph or the work, to be told;
#  5. the change log's row (on PostgreSQL with its lock, one statement);
# and nothing about webhooks while no endpoint wants a new comment, nor about the chapters
# the passage shows in (kept under the text's generation since the first post).
POST_QUERIES = 5


def posting_queries(client) -> tuple[int, list[str]]:
    """What one post costs, with what follows its commit run (BEGIN and COMMIT left out)."""
    with (
        CaptureQueriesContext(connection) as captured,
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        response = client.post(
            COMMENTS,
            {"work": "october-1917", "paragraph": "p2", "body": "Noted."},
            format="json",
        )
    assert response.status_code == 201, response.content
    sql = [query["sql"] for query in captured.captured_queries]
    # The test's own transaction makes the writes' transactions savepoints: not counted.
    sql = [query for query in sql if query not in ("BEGIN", "COMMIT") and "SAVEPOINT" not in query]
    return len(sql), sql


def test_posting_costs_the_same_for_an_author_of_three_comments_or_of_two_hundred(
    october, people, settings
):
    from commentary.accounts.models import Profile
    from commentary.accounts.tokens import token_create

    settings.SCHOLIA_COMMENT_RATE = "1000/60"
    settings.SCHOLIA_NEW_MEMBER_HELD = 3
    Profile.objects.filter(user=people.alice).update(trusted=None)  # trust by her record
    _token, key = token_create(user=people.alice, name="bench", scopes=("read", "write"))
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    posting_queries(client)  # the token's first use: kept for the next requests
    # Her comments are held, as a new member's: nobody is told of one, and its thread is
    # not followed, before a moderator approves it.
    assert posting_queries(client)[0] == POST_QUERIES - 2
    Comment.objects.filter(author=people.alice).update(status=Comment.Status.PUBLISHED)
    bulk_comments(people.alice, october, 1)  # three approved: trusted by her record

    few, few_sql = posting_queries(client)
    bulk_comments(people.alice, october, 200)
    many, sql = posting_queries(client)

    assert few == many == POST_QUERIES, "\n".join(few_sql + ["---"] + sql)
    # "Is she still new?" reads no further than her threshold-th approved comment.
    held = settings.SCHOLIA_NEW_MEMBER_HELD
    bounded = [query for query in sql if f"LIMIT 1 OFFSET {held - 1}" in query]
    assert len(bounded) == 1
    assert not [query for query in sql if "COUNT(" in query.upper()]


def _transactions_opened(client, **fields) -> int:
    """How many transactions one post opens (savepoints, inside the test's own)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.post(COMMENTS, {"body": "Noted.", **fields}, format="json")
    assert response.status_code == 201, response.content
    return sum(query["sql"].startswith("SAVEPOINT") for query in captured.captured_queries)


def test_a_plain_post_is_its_one_insert_and_a_reply_or_tags_one_transaction(october, people):
    # A new comment without tags is one row, written by one statement: no BEGIN and COMMIT
    # (here, no savepoint) around it; a reply locks its parent, tags are rows besides it.
    client = client_for(people.alice)
    place = {"work": "october-1917", "paragraph": "p2"}
    assert _transactions_opened(client, **place) == 0
    assert _transactions_opened(client, **place, tags=["economics"]) == 1
    parent = Comment.objects.latest("pk")
    assert _transactions_opened(client, parent=parent.pk) == 1
    assert Comment.objects.filter(author=people.alice).count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_post_reads_the_pages_cache_twice(october, people, monkeypatch):
    """Who calls (with which events webhooks want), then the paragraph's current wording
    with the chapters its passage shows in, which the post's event needs once it is
    written: two reads of the pages' cache, not three. (Committed as in production, so
    that what follows the commit runs within the request.)"""
    from django.core.cache import caches

    from commentary.accounts.tokens import token_create

    _token, key = token_create(user=people.alice, name="bench", scopes=("read", "write"))
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    body = {"work": "october-1917", "paragraph": "p2", "body": "Noted."}
    assert client.post(COMMENTS, body, format="json").status_code == 201  # kept from here on
    reads: list[list[str]] = []
    read_many = caches["default"].get_many
    monkeypatch.setattr(
        caches["default"], "get_many", lambda keys, *a, **k: reads.append(keys) or read_many(keys)
    )

    assert client.post(COMMENTS, body, format="json").status_code == 201

    assert len(reads) == 2, "\n".join(map(str, reads))
    token_read, wording_read = reads
    assert any(key.startswith("token-user:") for key in token_read)
    assert any(key.startswith("current-wording:") for key in wording_read)
    assert "passage-parts:october-1917:p2" in wording_read
