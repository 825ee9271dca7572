"""Search reads each work in its own language: a French work's comments and text are
stemmed as French ("national" finds "nationales", which English stems apart), an English
work's as English, both in one search; a work whose language changes is read in the new
one. PostgreSQL only, where the vectors are; the mapping of languages to configurations is
tested everywhere."""

import pytest
from django.db import connection

from commentary.search.reads import SearchFilters, search
from commentary.search.vectors import search_config_for
from edition.models import Work
from tests.commentary.builders import make_work, post
from tests.commentary.group_people import group_post, make_seminar

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL only"
)


def found(user, query: str, **filters):
    return search(user, query, SearchFilters(**filters))


def configs(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT search_config::text FROM {table}")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize(
    "language, config",
    [("en", "english"), ("fr", "french"), ("fr-CA", "french"), ("DE", "german"), ("la", "simple")],
)
def test_a_language_names_its_configuration(language, config):
    assert search_config_for(language) == config


@pytest.fixture
def french(db):
    return make_work(slug="une-oeuvre", title="Une œuvre", language="fr")


@on_postgresql
@pytest.mark.django_db
def test_a_french_works_comments_are_stemmed_as_french(french, alice):
    post(alice, french, body="Les politiques nationales, après la lecture.")
    assert found(None, "national", kind="comments").comment_total == 1
    assert found(None, "national", kind="comments", work=french).comment_total == 1
    # Its text too: the wordings of a French work are read as French.
    assert configs("commentary_comment") == {"french"}
    assert "french" in configs("edition_paragraphrevision")


@on_postgresql
@pytest.mark.django_db
def test_one_search_reads_each_work_in_its_language(work, french, alice, bob):
    post(alice, french, body="Les politiques nationales.")
    post(bob, work, body="The plans were planned in planning meetings.")
    assert found(None, "national", kind="comments").comment_total == 1
    hits = found(None, "planning", kind="comments").hits
    assert [hit.comment.author.username for hit in hits] == ["bob"]
    assert hits[0].rank > 0
    assert "<mark>" in hits[0].snippet
    # English stemming stays with the English work: "nationales" is not "national" there.
    post(alice, work, body="Les politiques nationales, in English.")
    assert found(None, "national", kind="comments", work=work).comment_total == 0


@on_postgresql
@pytest.mark.django_db
def test_a_work_whose_language_changes_is_read_in_the_new_one(work, alice):
    post(alice, work, body="Les politiques nationales.")
    assert found(None, "national", kind="comments").comment_total == 0
    Work.objects.filter(pk=work.pk).update(language="fr")
    assert configs("commentary_comment") == {"french"}
    assert found(None, "national", kind="comments").comment_total == 1


@on_postgresql
@pytest.mark.django_db
def test_across_languages_a_group_comment_stays_the_groups(work, french, alice):
    group, olga, gus = make_seminar(french)
    group_post(olga, french, group, body="Les politiques nationales, en secret.")
    post(alice, work, body="Something public in English.")
    for outsider in (None, alice):
        results = found(outsider, "national")
        assert (results.comment_total, results.hits) == (0, [])
    assert found(gus, "national").comment_total == 1


@on_postgresql
@pytest.mark.django_db
def test_across_languages_the_comments_are_still_found_through_their_index(work, french, alice):
    post(alice, french, body="Les politiques nationales.")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM commentary_comment WHERE"
            " (search_config::text = 'english'"
            "  AND search_vector @@ websearch_to_tsquery('english', %s))"
            " OR (search_config::text = 'french'"
            "  AND search_vector @@ websearch_to_tsquery('french', %s))",
            ["national", "national"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "comment_search_vector" in plan
