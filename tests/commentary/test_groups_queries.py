"""Query budgets of reading with groups: the signed-in reading page, and the reads a group
layer adds to it, cost as many queries with one small group as with many large ones; the
reader's own non-public comments are counted without reading their public ones."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commentary.access import paragraph_comment_counts
from commentary.groups.models import Membership, ReadingGroup
from commentary.groups.services import group_create
from commentary.models import Comment
from commentary.services import comment_create
from tests.commentary.builders import bulk_roots, client_for, make_user, paragraph_of, post
from tests.commentary.group_people import group_post, join, make_group, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db

READING = "/works/october-1917/"


def reading_with_layer(user, work, url: str = READING) -> int:
    """Queries of the signed-in reading page read in the layer of the reader's first group
    (``?group=``): the switch, the margin's two counts, and, with ``?discussion=``, the
    panel with the group's threads and the public ones."""
    cache.clear()
    group = ReadingGroup.objects.for_member(user).order_by("name", "pk").first()
    separator = "&" if "?" in url else "?"
    client = client_for(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{url}{separator}group={group.slug}")
    assert response.status_code == 200
    assert b'data-layer-count="' in response.content
    return len(captured)


def grow(work, group, olga, gus) -> None:
    """Twenty more groups for gus, 200 more members, 7,500 more comments in the group."""
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


@pytest.mark.parametrize(
    "url", [READING, f"{READING}?discussion=p3", f"{READING}v/1/"], ids=["page", "panel", "version"]
)
def test_a_member_reads_with_a_layer_in_as_many_queries_with_many_groups_and_comments(work, url):
    group, olga, gus = make_seminar(work)
    small = reading_with_layer(gus, work, url)

    grow(work, group, olga, gus)
    large = reading_with_layer(gus, work, url)

    assert large == small
    print(f"\nsigned-in reading page with a group layer ({url}): {large} queries")


def test_a_layer_costs_the_reading_page_one_query_at_most(work):
    """The switch comes with the query that tells the navigation whether the reader
    moderates; the group's counts are the one query a layer adds."""
    group, _olga, gus = make_seminar(work)
    client = client_for(gus)
    cache.clear()
    with CaptureQueriesContext(connection) as public:
        client.get(READING)
    cache.clear()
    with CaptureQueriesContext(connection) as in_group:
        client.get(f"{READING}?group={group.slug}")

    assert len(in_group) == len(public) + 1


def test_in_a_post_first_group_the_panel_counts_what_waits_in_one_query(work):
    group, olga, gus = make_seminar(work, post_first=True)
    none_waiting = reading_with_layer(gus, work, f"{READING}?discussion=p3")

    grow(work, group, olga, gus)
    Comment.objects.filter(group=group, author=gus).delete()
    many_waiting = reading_with_layer(gus, work, f"{READING}?discussion=p3")

    assert many_waiting == none_waiting


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


def test_joining_another_group_adds_no_query_to_the_reading_page(work):
    """A reader in no group pays nothing for groups; a member pays one query for their
    groups reading the work, however many they are in."""
    group, olga, _gus = make_seminar(work)
    other = group_create(owner=olga, name="Thursday seminar", works=[work.slug])
    nina = make_user("nina")
    cache.clear()
    with CaptureQueriesContext(connection) as outsider:
        client_for(nina).get(READING)

    join(group, nina)
    cache.clear()
    with CaptureQueriesContext(connection) as in_one:
        client_for(nina).get(READING)

    join(other, nina)
    cache.clear()
    with CaptureQueriesContext(connection) as in_two:
        client_for(nina).get(READING)

    assert len(in_one) == len(outsider) + 1
    assert len(in_two) == len(in_one)
