"""Search of the text and the discussion (commentary.search): what each reader finds, the
filters, the snippets' safety, on SQLite's fallback and on PostgreSQL alike."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commentary.models import Comment
from commentary.search.reads import SearchFilters, search
from commentary.services import comment_edit
from tests.commentary.builders import bulk_roots, client_for, post, set_status
from tests.commentary.group_people import group_post, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db

# A word no other text or comment holds: whoever finds it could read the canary.
UNIQUE = "zanzibarian"
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL only"
)


def found(user, query: str, **filters):
    return search(user, query, SearchFilters(**filters))


def api(user, **params):
    return client_for(user).get(reverse("api:search"), params)


def page(user, **params):
    return client_for(user).get(reverse("search:search"), params)


def test_it_finds_a_word_of_the_text_with_a_link_to_its_paragraph(work):
    results = found(None, "denigrate")
    assert results.text_total == 1
    hit = results.hits[0]
    assert hit.kind == "text"
    assert hit.paragraph_key == "p3"
    assert hit.url == f"/works/{work.slug}/v/1/#p3"
    assert "<mark>denigrate</mark>" in hit.snippet


def test_it_finds_a_phrase_of_the_text_and_not_its_words_apart(work):
    assert found(None, '"first socialist project"').text_total == 1
    assert found(None, '"socialist first project"').text_total == 0


def test_it_leaves_out_words_after_a_minus_and_takes_either_side_of_or(work):
    assert found(None, '"the form"').text_total == 2
    assert found(None, '"the form" -planning').text_total == 1
    assert found(None, "denigrate or nostalgic").text_total == 2


def test_it_finds_a_word_of_a_comment_with_a_link_to_the_comment(work, alice):
    comment = post(alice, work, "p3", f"The {UNIQUE} reading of this.")
    results = found(None, UNIQUE)
    assert (results.text_total, results.comment_total) == (0, 1)
    assert results.hits[0].comment == comment
    assert results.hits[0].url == f"/comments/{comment.pk}/#c{comment.pk}"


def test_a_query_of_only_words_to_leave_out_finds_nothing(work, alice):
    post(alice, work, "p3", "Anything.")
    assert found(None, "-anything").total == 0
    assert found(None, "   ").total == 0


def test_snippets_escape_hostile_html_and_mark_only_the_words(work, alice):
    hostile = (
        f'<script>alert("x")</script> {UNIQUE} <img src=x onerror="alert(1)"> '
        f"\ue000{UNIQUE}\ue001 <b>bold</b> 1 < 2 & 3"
    )
    post(alice, work, "p3", hostile)
    for snippet in (
        str(found(None, UNIQUE).hits[0].snippet),
        api(None, q=UNIQUE).json()["results"][0]["snippet"],
    ):
        assert "<script" not in snippet
        assert "<img" not in snippet
        assert "<b>" not in snippet
        # What stays of the text is escaped (PostgreSQL's headline drops tags; the
        # fallback keeps them, escaped).
        assert "1 &lt; 2 &amp; 3" in snippet
        # Only our own marks are HTML: two matches, two marks, balanced.
        assert snippet.count("<mark>") == snippet.count("</mark>") == 2
        assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    body = page(None, q=UNIQUE).content.decode()
    assert "<script>alert" not in body
    assert 'onerror="alert(1)"' not in body


class TestTheCanary:
    """A unique word in a private group comment: found by members only, on every surface."""

    @pytest.fixture
    def seminar(self, work):
        group, olga, gus = make_seminar(work)
        group_post(gus, work, group, body=f"Only the seminar says {UNIQUE}.")
        return group, olga, gus

    def readers(self, alice):
        return {"anonymous": None, "outsider": alice, "site moderator": make_moderator()}

    def test_nobody_outside_the_group_finds_it(self, work, seminar, alice):
        for who, reader in self.readers(alice).items():
            results = found(reader, UNIQUE)
            assert (results.total, results.hits) == (0, []), who
            answer = api(reader, q=UNIQUE).json()
            assert (answer["count"], answer["comment_count"], answer["results"]) == (0, 0, []), who
            listed = page(reader, q=UNIQUE)
            assert UNIQUE not in listed.content.decode().split('class="search-count"', 1)[1], who
            assert "0 results" in listed.content.decode(), who
            # Asking for the group by name changes nothing.
            assert api(reader, q=UNIQUE, group=seminar[0].slug).json()["count"] == 0, who

    def test_a_member_finds_it(self, work, seminar):
        group, olga, gus = seminar
        for member in (olga, gus):
            assert found(member, UNIQUE).comment_total == 1
            assert api(member, q=UNIQUE).json()["count"] == 1
            assert api(member, q=UNIQUE, group=group.slug).json()["count"] == 1
            assert f"<mark>{UNIQUE}</mark>" in page(member, q=UNIQUE).content.decode()

    def test_post_first_hides_it_from_a_member_who_has_not_written_there(self, work):
        group, olga, gus = make_seminar(work, post_first=True)
        group_post(olga, work, group, key="p3", body=f"The leader on {UNIQUE}.")
        assert found(gus, UNIQUE).total == 0
        assert api(gus, q=UNIQUE).json()["count"] == 0
        group_post(gus, work, group, key="p3", body="My own first word here.")
        assert found(gus, UNIQUE).total == 1


@pytest.mark.parametrize("status", ["pending", "hidden", "rejected"])
def test_an_unpublished_comment_is_found_by_its_author_and_nobody_else(work, alice, bob, status):
    comment = post(alice, work, "p3", f"Held words: {UNIQUE}.")
    set_status(comment, status)
    assert found(None, UNIQUE).total == 0
    assert found(bob, UNIQUE).total == 0
    assert api(bob, q=UNIQUE).json()["count"] == 0
    assert found(alice, UNIQUE).total == 1
    assert found(make_moderator(), UNIQUE).total == 1


def test_a_deleted_comment_is_found_by_nobody(work, alice):
    comment = post(alice, work, "p3", f"Soon gone: {UNIQUE}.")
    Comment.objects.filter(pk=comment.pk).update(deleted_at=comment.created_at)
    assert found(alice, UNIQUE).total == 0
    assert found(None, UNIQUE).total == 0


def test_an_earlier_wording_of_an_edited_comment_is_never_found(work, alice, bob):
    comment = post(alice, work, "p3", f"First thoughts: {UNIQUE}.")
    comment_edit(comment=comment, editor=alice, body="Second thoughts, nothing to find.")
    for reader in (None, bob, alice):
        assert found(reader, UNIQUE).total == 0
    assert found(None, "second thoughts").comment_total == 1


def test_filters_narrow_the_comments_and_leave_the_text_out(work, alice, bob):
    post(alice, work, "p3", "Alice on the revolution.")
    post(bob, work, "p6", "Bob on the revolution.")
    everything = found(None, "revolution")
    assert everything.comment_total == 2
    assert everything.text_total >= 1
    by_alice = api(None, q="revolution", author="alice").json()
    assert (by_alice["text_count"], by_alice["comment_count"]) == (0, 1)
    assert by_alice["results"][0]["comment"]["author"]["username"] == "alice"
    assert api(None, q="revolution", kind="text").json()["comment_count"] == 0
    assert api(None, q="revolution", kind="comments").json()["text_count"] == 0
    later = api(None, q="revolution", created_after="2999-01-01").json()
    assert later["count"] == 0
    assert api(None, q="revolution", work=work.slug, version=1).json()["text_count"] >= 1


def test_the_api_refuses_what_it_cannot_read(work):
    assert api(None).status_code == 400
    assert api(None, q="").status_code == 400
    assert api(None, q="x", work="no-such-work").status_code == 400
    assert api(None, q="x", work=work.slug, version=9).status_code == 400
    assert api(None, q="x", version=1).status_code == 400
    assert api(None, q="x", author="nobody-here").status_code == 400
    assert api(None, q="x", kind="pictures").status_code == 400
    assert api(None, q="x", page=0).status_code == 400
    assert api(None, q="x", sort="new").status_code == 400
    assert api(None, q="x" * 201).status_code == 400


def test_results_are_paged(work, alice):
    bulk_roots(alice, work, 25)
    Comment.objects.update(body=f"A note on {UNIQUE}.")
    first = api(None, q=UNIQUE).json()
    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert first["previous"] is None
    second = client_for().get(first["next"]).json()
    assert len(second["results"]) == 5
    seen = {hit["comment"]["id"] for hit in first["results"] + second["results"]}
    assert len(seen) == 25


def test_the_page_says_what_went_wrong_with_a_filter(work):
    response = page(None, q="x", work="no-such-work")
    # The form again, saying which filter names nothing: the asker's mistake, a 400.
    assert response.status_code == 400
    assert "No published work has this slug." in response.content.decode()


@on_postgresql
def test_postgresql_ranks_the_closer_match_first_and_stems_words(work, alice, bob):
    post(alice, work, "p3", "The planning, the planning, the planning of the economy.")
    post(bob, work, "p3", "A word on planning among many other words about things.")
    hits = found(None, "planning", kind="comments").hits
    assert [hit.comment.author.username for hit in hits] == ["alice", "bob"]
    assert hits[0].rank > hits[1].rank
    # "planned" and "planning" share their stem.
    assert found(None, "planned", kind="comments").comment_total == 2


@on_postgresql
def test_postgresql_reads_the_comments_vector_through_its_index(work, alice):
    post(alice, work, "p3", f"The {UNIQUE} note.")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM commentary_comment"
            " WHERE search_vector @@ websearch_to_tsquery('english', %s)",
            [UNIQUE],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "comment_search_vector" in plan


def test_hits_name_their_passage_as_readers_number_it(work, alice):
    post(alice, work, "p6", f"On Lenin, {UNIQUE}.")
    (comment_hit,) = found(None, UNIQUE).hits
    assert comment_hit.label == "¶ 3"
    (text_hit,) = found(None, "denigrate").hits
    assert text_hit.label == "¶ 1"
    assert api(None, q="denigrate").json()["results"][0]["label"] == "¶ 1"


def test_a_tag_narrows_the_search_to_comments_carrying_it(work, alice):
    post(alice, work, "p3", f"Tagged {UNIQUE}.", tags=["question"])
    post(alice, work, "p3", f"Untagged {UNIQUE}.")
    answer = api(None, q=UNIQUE, tag="Question").json()
    assert (answer["count"], answer["text_count"]) == (1, 0)
    assert "Tagged" in answer["results"][0]["snippet"]


def test_past_a_bound_the_newest_comments_are_counted_ranked_and_shown(work, alice, monkeypatch):
    from commentary.search import reads

    bulk_roots(alice, work, 5)
    Comment.objects.update(body=f"A note on {UNIQUE}.")
    newest = set(Comment.objects.order_by("-created_at", "-pk").values_list("pk", flat=True)[:3])
    monkeypatch.setattr(reads, "COUNTED_AT_MOST", 3)
    results = found(None, UNIQUE)
    assert (results.comment_total, results.comments_more, results.exact) == (3, True, False)
    assert results.comments_ranked is False
    assert {hit.comment.pk for hit in results.hits} == newest
    answer = api(None, q=UNIQUE).json()
    assert (answer["count"], answer["comment_count"], answer["count_exact"]) == (3, 3, False)
    assert answer["comments_ranked"] is False
    assert answer["next"] is None
    body = page(None, q=UNIQUE).content.decode()
    assert "More than 3 results" in body
    assert "more than 3 comments" in body
    assert "only 3 of each kind are counted and ranked" in body
    monkeypatch.setattr(reads, "COUNTED_AT_MOST", 5)
    exactly = found(None, UNIQUE)
    assert (exactly.comment_total, exactly.exact, exactly.comments_ranked) == (5, True, True)
    assert api(None, q=UNIQUE).json()["count_exact"] is True
    assert "5 results" in page(None, q=UNIQUE).content.decode()


def test_a_reading_groups_comments_never_fill_an_outsiders_bound(work, alice, monkeypatch):
    """The bound is on what the reader may read: a group's comments, however many and however
    new, are neither counted nor make the count a floor for anyone outside it."""
    from commentary.search import reads

    post(alice, work, "p3", f"A public {UNIQUE}.")
    post(alice, work, "p6", f"Another public {UNIQUE}.")
    group, olga, gus = make_seminar(work)
    for number in range(4):
        group_post(gus, work, group, body=f"Seminar note {number} on {UNIQUE}.")
    monkeypatch.setattr(reads, "COUNTED_AT_MOST", 3)
    for outsider in (None, alice, make_moderator()):
        results = found(outsider, UNIQUE)
        assert (results.comment_total, results.exact) == (2, True)
        assert all(hit.comment.group_id is None for hit in results.hits)
        answer = api(outsider, q=UNIQUE).json()
        assert (answer["count"], answer["count_exact"]) == (2, True)
        assert "2 results" in page(outsider, q=UNIQUE).content.decode()
    member = found(gus, UNIQUE)
    assert (member.comment_total, member.exact) == (3, False)


def test_quotes_backslashes_and_percent_signs_in_a_query_are_only_words(work, alice):
    post(alice, work, "p3", f"Lenin's {UNIQUE} was 100% sure: '); drop table comments; \\'")
    for query in (
        f"lenin's {UNIQUE}",
        f"{UNIQUE} 100%",
        f"{UNIQUE} '); DROP TABLE comments;",
        f"{UNIQUE} \\'",
    ):
        assert found(None, query).comment_total == 1, query
    assert Comment.objects.count() == 1


def test_the_hits_shown_cost_the_same_queries_for_one_or_twenty(
    work, alice, bob, django_assert_max_num_queries
):
    """Each hit shown is read in the queries of its kind, with what the page and the API
    show of it (author, group, work, passage): none reads more of its own."""
    group, olga, gus = make_seminar(work)
    post(alice, work, "p3", f"One {UNIQUE}.")
    for number in range(19):
        if number % 3 == 2:
            group_post(olga, work, group, key="p6", body=f"Seminar {number}: {UNIQUE}.")
        else:
            post(
                (alice, bob)[number % 3],
                work,
                ("p3", "p6")[number % 2],
                f"Note {number}: {UNIQUE}.",
            )
    for reader, shown in ((None, 14), (gus, 20)):
        with CaptureQueriesContext(connection) as one:
            found(reader, f"One {UNIQUE}")
        with django_assert_max_num_queries(len(one)):
            hits = found(reader, UNIQUE).hits
            seen = [
                (
                    hit.comment.author.get_username(),
                    hit.comment.group.name if hit.comment.group_id else "",
                    hit.comment.created_at,
                    hit.work.title,
                    hit.work.slug,
                    hit.label,
                )
                for hit in hits
            ]
        assert len(seen) == shown
    api(gus, q=UNIQUE), page(gus, q=UNIQUE)  # what a first request reads once
    with CaptureQueriesContext(connection) as one:
        api(gus, q=f"One {UNIQUE}")
        page(gus, q=f"One {UNIQUE}")
    with CaptureQueriesContext(connection) as twenty:
        answer = api(gus, q=UNIQUE).json()
        body = page(gus, q=UNIQUE).content.decode()
    assert len(twenty) == len(one)
    assert len(answer["results"]) == 20
    names = {hit["comment"]["author"]["display_name"] for hit in answer["results"]}
    assert "Olga the Leader" in names
    assert body.count('class="search-hit ') == 20
