"""A token's user and roles are kept a few seconds per token
(``commentary.accounts.token_users``): a burst of requests asks the database nothing about
who is calling, and revoking the token, deactivating its user or removing them from a
group takes effect at the next request.

alice writes scripts with a token; gus is in the Tuesday seminar led by olga and reads it
with a token; the canary is olga's comment in the group.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commentary.accounts.tokens import token_create, token_revoke
from commentary.groups.services import member_remove
from config.site.caching import counters
from tests.api.comment_fixtures import COMMENTS, client_for, make_people
from tests.commentary.group_people import CANARY, group_post, make_seminar

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return make_people()


def token_client(user):
    _token, key = token_create(user=user, name="script")
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def queries(client, url: str = COMMENTS, **params) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    return len(captured), response


def test_a_burst_of_requests_with_one_token_asks_nothing_about_the_caller(october, people):
    client = token_client(people.alice)

    first, _response = queries(client)
    then, response = queries(client)

    assert response.status_code == 200
    # The token with its user, the user's roles, noting its use, the page's public part
    # and alice's own (commentary.api.merged_list); then nothing.
    assert (first, then) == (5, 0)


def test_a_token_list_page_reads_the_counters_twice(october, people, monkeypatch):
    # Who calls and what the list shows, in one read; when the reader's state became
    # current (Last-Modified), once the reader is known.
    client = token_client(people.alice)
    assert client.get(COMMENTS).status_code == 200
    reads: list[list[str]] = []
    read_many = counters().get_many
    monkeypatch.setattr(
        counters(), "get_many", lambda keys, *a, **k: reads.append(keys) or read_many(keys)
    )

    response = client.get(COMMENTS)

    assert response.status_code == 200 and "Last-Modified" in response
    generations, since = reads
    # The token's, the text's and the discussion's, and the webhook endpoints' (read with
    # a request's first read, for a post's event).
    assert sorted(generations) == [
        "generation:discussion:any",
        "generation:text:any",
        "generation:token-users:any",
        "generation:webhook-endpoints:any",
    ]
    assert len(since) == 1 and since[0].startswith("conditional-since:")


def test_a_revoked_token_is_refused_at_the_next_request(october, people):
    _token, key = token_create(user=people.alice, name="script")
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get(COMMENTS).status_code == 200

    token_revoke(token=_token, by=people.alice)

    assert client.get(COMMENTS).status_code == 401


def test_a_deactivated_users_token_is_refused_at_the_next_request(october, people):
    client = token_client(people.alice)
    assert client.get(COMMENTS).status_code == 200

    people.alice.is_active = False
    people.alice.save()

    assert client.get(COMMENTS).status_code == 401


def test_a_member_removed_from_a_group_loses_its_comments_at_the_next_request(october):
    group, olga, gus = make_seminar(october)
    group_post(olga, october, group)
    client = token_client(gus)
    seen = client.get(COMMENTS, {"work": "october-1917", "group": group.slug}).json()
    assert [comment["body"] for comment in seen["results"]] == [CANARY]

    member_remove(group=group, user=gus, by=olga)

    after = client.get(COMMENTS, {"work": "october-1917", "group": group.slug})
    assert after.status_code == 404 or CANARY not in after.content.decode()
    assert CANARY not in client.get(COMMENTS).content.decode()


def test_an_unknown_key_is_refused_every_time(october, people):
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION="Bearer sch_no-such-key")

    assert [client.get(COMMENTS).status_code for _ in range(2)] == [401, 401]
