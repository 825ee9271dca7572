"""The comment list's ``ordering`` and ``modified_after``: documented, strict, paged by cursor.

alice writes on the October work's paragraphs out of text order; bob edits nothing; the
moderator hides one comment, which changes it.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from commentary.models import Comment
from commentary.moderation.decisions import comment_moderate
from commentary.services import comment_delete, comment_edit
from tests.api.comment_fixtures import COMMENTS, client_for, post
from tests.commentary.builders import make_user
from tests.commentary.group_people import CANARY, group_post, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(october):
    """Comments on p3, p2, p7 and p2 again, in that order of writing, a minute apart."""
    alice = make_user("alice")
    comments = [post(alice, october, key, f"On {key}.") for key in ("p3", "p2", "p7", "p2")]
    start = timezone.now() - timedelta(hours=1)
    for minutes, comment in enumerate(comments):
        at = start + timedelta(minutes=minutes)
        Comment.objects.filter(pk=comment.pk).update(created_at=at, modified_at=at)
    return alice, comments


def ids(client, **query) -> list[int]:
    found, url, params = [], COMMENTS, {**query, "page_size": 2}
    while url:
        page = client.get(url, params).json()
        found += [comment["id"] for comment in page["results"]]
        url, params = page["next"], None
    return found


def test_it_orders_by_creation_either_way(written):
    _alice, comments = written
    pks = [comment.pk for comment in comments]
    client = client_for()
    assert ids(client) == ids(client, ordering="-created") == pks[::-1]
    assert ids(client, ordering="created") == pks


def test_it_orders_by_last_change_and_filters_by_it(written):
    alice, comments = written
    first, second, third, fourth = comments
    cutoff = timezone.now() - timedelta(seconds=1)
    comment_edit(comment=first, editor=alice, body="On p3, edited.")
    comment_moderate(comment=third, moderator=make_moderator(), action="hide", reason="x")
    comment_delete(comment=fourth, by=alice)
    client = client_for(alice)

    assert ids(client, ordering="modified") == [second.pk, first.pk, third.pk]
    assert ids(client, ordering="-modified") == [third.pk, first.pk, second.pk]
    assert ids(client, modified_after=cutoff.isoformat()) == [third.pk, first.pk]
    assert ids(client_for(), modified_after=cutoff.isoformat()) == [first.pk]


def test_it_orders_by_the_text_of_a_version(written, october):
    _alice, comments = written
    on_p3, on_p2, on_p7, on_p2_again = comments
    client = client_for()

    # Version 2: p1, p7, p2, p3 (p4 merged into p3), p6.
    assert ids(client, ordering="reading", work="october-1917") == [
        on_p7.pk,
        on_p2.pk,
        on_p2_again.pk,
        on_p3.pk,
    ]
    # Version 1 has no p7: its comment is left out of that order.
    assert ids(client, ordering="reading", work="october-1917", version=1) == [
        on_p2.pk,
        on_p2_again.pk,
        on_p3.pk,
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"ordering": "newest"}, "ordering"),
        ({"ordering": ""}, "ordering"),
        ({"ordering": "reading"}, "ordering"),
        ({"modified_after": "yesterday"}, "modified_after"),
        ({"modified_after": ""}, "modified_after"),
    ],
)
def test_it_refuses_an_unknown_order_or_date_with_a_400(written, query, field):
    response = client_for().get(COMMENTS, query)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_the_orders_keep_the_group_canary_from_outsiders(october):
    group, _olga, gus = make_seminar(october)
    group_post(gus, october, group)
    nina = client_for(make_user("nina"))
    for ordering in ("created", "-modified", "modified", "reading"):
        response = nina.get(COMMENTS, {"ordering": ordering, "work": "october-1917"})
        assert response.status_code == 200
        assert CANARY not in response.content.decode()
    assert CANARY in client_for(gus).get(COMMENTS, {"ordering": "modified"}).content.decode()


def test_an_ordered_page_costs_what_the_newest_first_one_costs(
    written, django_assert_max_num_queries
):
    client = client_for()
    for ordering in ("-created", "modified", "reading"):
        with django_assert_max_num_queries(2):
            response = client.get(COMMENTS, {"ordering": ordering, "work": "october-1917"})
        assert response.status_code == 200
