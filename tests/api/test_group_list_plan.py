"""A reading group's comments through the API (``?group=``) are read newest first from the
group's own index, however many comments the rest of the site has (PostgreSQL's plans)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commentary.models import Comment
from tests.api.comment_fixtures import COMMENTS, client_for
from tests.commentary.builders import bulk_roots, make_user
from tests.commentary.group_people import make_seminar

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="reads PostgreSQL's plans"
)


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "the view's own"])
def test_a_groups_newest_comments_are_read_from_the_groups_index(october, settings, merged):
    # Merged: the public part and the member's own (commentary.api.merged_list); else the
    # view's one query.
    settings.SCHOLIA_PAGE_CACHE = merged
    group, _olga, gus = make_seminar(october)
    in_group = [comment.pk for comment in bulk_roots(gus, october, 60, key="p2")]
    Comment.objects.filter(pk__in=in_group).update(group=group)
    bulk_roots(make_user("nina"), october, 3_000, key="p2")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE commentary_comment")

    with CaptureQueriesContext(connection) as captured:
        response = client_for(gus).get(COMMENTS, {"work": october.slug, "group": group.slug})
    assert response.status_code == 200
    assert {comment["id"] for comment in response.json()["results"]} <= set(in_group)
    assert len(response.json()["results"]) == 50
    plans = []
    for query in captured.captured_queries:
        if "reply_count" in query["sql"]:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {query['sql']}")
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    plan = "\n\n".join(plans)

    # The group's id is known before the comments are read, and finds them by index.
    assert "Index Cond: (group_id = $" in plan, plan
    assert "Backward using commentary_comment_pkey" not in plan, plan
