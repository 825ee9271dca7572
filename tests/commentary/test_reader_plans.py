"""What the reader's own counts read: with thousands of comments of theirs in reading
groups, counting their held public comments reads those and nothing else (PostgreSQL's
plans)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commentary.access import paragraph_comment_counts
from commentary.models import Comment
from tests.commentary.builders import bulk_roots, paragraph_of, post
from tests.commentary.group_people import make_seminar

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's plans"),
]


def analyzed_plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


# Committed rows and a VACUUM: the rows earlier tests rolled back leave dead tuples in the
# table's indexes, and with enough of them the planner's choice depends on the order the
# tests ran in (as it did under pytest-xdist).
@pytest.mark.django_db(transaction=True)
def test_the_readers_held_count_never_reads_what_they_wrote_in_groups(work):
    group, _olga, gus = make_seminar(work)
    in_group = [comment.pk for comment in bulk_roots(gus, work, 2_000)]
    Comment.objects.filter(pk__in=in_group).update(group=group)
    held = post(gus, work, body="Held.")
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    paragraph = paragraph_of(work)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE commentary_comment")

    with CaptureQueriesContext(connection) as captured:
        counts = paragraph_comment_counts(gus, [paragraph.pk])
    count_sql = next(
        q["sql"]
        for q in captured.captured_queries
        if "COUNT(" in q["sql"] and '"author_id" =' in q["sql"]
    )
    plan = analyzed_plan(count_sql)

    assert counts[paragraph.pk] == 1
    assert "comment_author_beyond_public" in plan, plan
    assert "group_id IS NULL" in plan.split("Index Cond:")[1].splitlines()[0], plan
    assert "Rows Removed by Filter" not in plan, plan
