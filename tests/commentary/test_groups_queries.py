"""Query budgets of reading with groups: the signed-in reading page, and the reads a group
layer adds to it, cost as many queries with one small group as with many large ones; the
reader's own non-public comments are counted without reading their public ones."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commentary.access import group_comment_counts, paragraph_comment_counts
from commentary.group_models import Membership, ReadingGroup
from commentary.models import Comment
from commentary.services import comment_create
from edition.models import VersionParagraph
from tests.commentary.builders import bulk_roots, client_for, make_user, paragraph_of, post
from tests.commentary.group_people import group_post, join, make_group, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db

READING = "/works/october-1917/"


def reading_with_layer(user, work) -> int:
    """Queries of the signed-in reading page plus what a layer adds: the reader's groups
    (for the switch) and the chosen group's counts in the margin."""
    cache.clear()
    paragraph_ids = list(
        VersionParagraph.objects.filter(version=work.current_version).values_list(
            "paragraph_id", flat=True
        )
    )
    with CaptureQueriesContext(connection) as captured:
        assert client_for(user).get(READING).status_code == 200
        groups = list(ReadingGroup.objects.for_member(user))
        counts = group_comment_counts(user, groups[0], paragraph_ids)
    assert counts is not None
    return len(captured)


def test_a_member_reads_with_a_layer_in_as_many_queries_with_many_groups_and_comments(work):
    group, olga, gus = make_seminar(work)
    small = reading_with_layer(gus, work)

    for number in range(20):
        other = make_group(olga, work)
        Membership.objects.create(group=other, user=gus)
        group_post(olga, work, other, body=f"In group {number}.")
    members = [make_user(f"member{number}") for number in range(200)]
    Membership.objects.bulk_create(Membership(group=group, user=member) for member in members)
    for key in ("p3", "p4", "p6"):
        Comment.objects.filter(
            pk__in=[c.pk for c in bulk_roots(members[0], work, 2_000, key=key)]
        ).update(group=group)
        Comment.objects.filter(pk__in=[c.pk for c in bulk_roots(gus, work, 500, key=key)]).update(
            group=group
        )
    large = reading_with_layer(gus, work)

    assert large == small
    print(f"\nsigned-in reading page with a group layer: {large} queries")


def test_the_public_count_of_extras_is_what_the_rule_gives_each_reader(work):
    group, olga, gus = make_seminar(work, moderation_policy="premoderated")
    mona = make_moderator()
    paragraph = paragraph_of(work)
    held_public = post(gus, work, body="Held in public.")
    Comment.objects.filter(pk=held_public.pk).update(status=Comment.Status.PENDING)
    group_post(gus, work, group, body="Held in the group.")
    post(olga, work, body="Published in public.")
    comment_create(author=mona, body="A moderator's.", paragraph=paragraph)

    for reader in (gus, olga, mona, make_user("nina")):
        visible = Comment.objects.visible_to(reader).in_layer(None).live()
        expected = visible.filter(paragraph=paragraph).count()
        assert paragraph_comment_counts(reader, [paragraph.pk]).get(paragraph.pk, 0) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's plans")
def test_the_readers_extras_are_counted_from_the_index_of_non_public_comments(work):
    gus = make_user("gus")
    bulk_roots(gus, work, 3_000)
    held = post(gus, work, body="Held.")
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    paragraph = paragraph_of(work)

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE commentary_comment")
        with CaptureQueriesContext(connection) as captured:
            paragraph_comment_counts(gus, [paragraph.pk])
        count_sql = next(
            q["sql"]
            for q in captured.captured_queries
            if "COUNT(" in q["sql"] and '"author_id" =' in q["sql"]
        )
        cursor.execute(f"EXPLAIN {count_sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    # The reader's own rows are found by author in the index of non-public comments: their
    # 3,000 published comments are never read.
    lines = plan.splitlines()
    scan = next(n for n, line in enumerate(lines) if "comment_author_beyond_public" in line)
    assert "author_id" in lines[scan + 1] and "Index Cond" in lines[scan + 1], plan


def test_joining_adds_no_query_to_the_reading_page(work):
    group, _olga, gus = make_seminar(work)
    nina = make_user("nina")
    cache.clear()
    with CaptureQueriesContext(connection) as before:
        client_for(nina).get(READING)

    join(group, nina)
    cache.clear()
    with CaptureQueriesContext(connection) as after:
        client_for(nina).get(READING)

    assert len(after) == len(before)
