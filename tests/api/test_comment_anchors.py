"""The comments API across versions: ``version=N`` reads every comment as shown on N, with
its anchor; ``written_on=N`` gives those written on N."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commentary.models import Comment
from tests.api.comment_fixtures import COMMENTS, client_for, comment_url, make_people
from tests.commentary.builders import bulk_roots, bulk_thread, post
from tests.commentary.revised_chapter import revised_chapter

pytestmark = pytest.mark.django_db

WORK = "october-1917"


@pytest.fixture(autouse=True)
def _uncached(settings):
    settings.SCHOLIA_PAGE_CACHE = False


@pytest.fixture
def people():
    return make_people()


def by_body(response) -> dict[str, dict]:
    assert response.status_code == 200, response.content
    return {comment["body"]: comment for comment in response.json()["results"]}


def test_the_list_as_shown_on_a_version_carries_every_comment_with_its_anchor(people):
    revised = revised_chapter(people.alice, versions=3)

    on_v2 = by_body(client_for().get(COMMENTS, {"work": WORK, "version": 2}))
    on_v3 = by_body(client_for().get(COMMENTS, {"work": WORK, "version": 3}))

    assert len(on_v2) == len(on_v3) == len(revised.comments)
    assert on_v2["On nostalgia."]["anchor"] == {
        "state": "current",
        "written_on": 1,
        "shown_under": "p4",
        "same_wording": True,
        "quote_state": None,
        "score": None,
        "start": None,
        "end": None,
        "quote_now": None,
    }
    assert on_v2["On learning."]["anchor"] == {
        "state": "merged",
        "written_on": 1,
        "shown_under": "p6",
        "same_wording": False,
        "quote_state": "exact",
        "score": 1.0,
        "start": 20,
        "end": 35,
        "quote_now": {"start": 20, "end": 35},
    }
    typo = on_v2["On the aim."]["anchor"]
    assert (typo["state"], typo["quote_state"]) == ("earlier_wording", "fuzzy")
    assert 0.9 < typo["score"] < 1
    assert typo["quote_now"] == {"start": 11, "end": 26}  # "this chapter is"
    assert on_v2["On Thermidor."]["anchor"]["state"] == "paragraph_removed"
    assert on_v3["On nostalgia."]["anchor"]["state"] == "paragraph_removed"
    assert on_v3["On denigrating."]["anchor"]["quote_state"] == "lost"
    assert on_v3["On denigrating."]["anchor"]["quote_now"] is None
    assert on_v3["On autocracy."]["anchor"]["state"] == "current"
    # What each was written on is unchanged: the anchor says where it stands.
    assert {comment["version"] for comment in on_v3.values()} == {1}


def test_written_on_gives_the_comments_written_on_that_version(people):
    revised = revised_chapter(people.alice)
    on_v2 = post(people.bob, revised.work, "p9", "On the new sentence.")

    written_on_1 = by_body(client_for().get(COMMENTS, {"work": WORK, "written_on": 1}))
    written_on_2 = by_body(client_for().get(COMMENTS, {"work": WORK, "written_on": 2}))

    assert len(written_on_1) == len(revised.comments)
    assert list(written_on_2) == [on_v2.body]
    assert written_on_2[on_v2.body]["anchor"] is None


def test_a_paragraph_as_shown_on_a_version_gathers_what_was_merged_into_it(people):
    revised_chapter(people.alice, versions=3)
    client = client_for()

    on_v2 = by_body(client.get(COMMENTS, {"work": WORK, "version": 2, "paragraph": "p6"}))
    on_v3 = by_body(client.get(COMMENTS, {"work": WORK, "version": 3, "paragraph": "p3"}))
    written = by_body(client.get(COMMENTS, {"work": WORK, "paragraph": "p6"}))

    assert set(on_v2) == {"On learning.", "On the lesson."}
    assert set(on_v3) == {"On Lenin.", "On Stalin.", "On learning.", "On the lesson."}
    assert set(written) == {"On the lesson."}


def test_a_versions_paragraph_counts_what_it_carries(people):
    revised_chapter(people.alice, versions=3)

    def counts(number: int) -> dict[str, int]:
        version = client_for().get(f"/api/v1/works/{WORK}/versions/{number}/").json()
        return {row["key"]: row["comment_count"] for row in version["paragraphs"]}

    assert counts(1)["p5"] == counts(1)["p6"] == 1
    assert counts(2)["p6"] == 2
    assert counts(3)["p3"] == 4


def test_a_version_that_is_not_published_is_refused(people):
    revised_chapter(people.alice)

    response = client_for().get(COMMENTS, {"work": WORK, "version": 9})

    assert response.status_code == 400
    assert response.json()["errors"] == {"version": ["This work has no published version 9."]}


def test_the_version_filters_need_the_work(people):
    revised_chapter(people.alice)

    for name in ("version", "written_on"):
        response = client_for().get(COMMENTS, {name: 1})
        assert response.status_code == 400
        assert name in response.json()["errors"]


def test_a_comment_read_for_a_version_carries_its_anchor(people):
    revised = revised_chapter(people.alice)
    merged = revised.comments["merged"]

    plain = client_for().get(comment_url(merged.pk)).json()
    on_v2 = client_for().get(comment_url(merged.pk), {"version": 2}).json()
    on_v1 = client_for().get(comment_url(merged.pk), {"version": 1}).json()

    assert plain["anchor"] is None
    assert on_v2["anchor"]["state"] == "merged"
    assert on_v2["anchor"]["shown_under"] == "p6"
    assert on_v2["anchor"]["quote_now"] == {"start": 20, "end": 35}
    assert on_v1["anchor"] == {
        "state": "current",
        "written_on": 1,
        "shown_under": "p5",
        "same_wording": True,
        "quote_state": "exact",
        "score": 1.0,
        "start": merged.quote_start,
        "end": merged.quote_end,
        "quote_now": {"start": merged.quote_start, "end": merged.quote_end},
    }


@pytest.mark.parametrize("version", ["9", "0", "two"])
def test_a_version_the_work_does_not_have_published_answers_400(people, version):
    revised = revised_chapter(people.alice)
    comment = revised.comments["moved"]

    for url in (comment_url(comment.pk), comment_url(comment.pk, "thread/")):
        response = client_for().get(url, {"version": version})
        assert response.status_code == 400
        assert "version" in response.json()["errors"]


def test_a_thread_read_for_a_version_anchors_every_comment(people):
    revised = revised_chapter(people.alice, versions=3)
    parent = revised.comments["kept"]
    reply = post(people.bob, revised.work, parent=parent, body="Now reworded.")

    thread = client_for().get(comment_url(reply.pk, "thread/"), {"version": 3}).json()

    assert thread["anchor"]["state"] == "earlier_wording"
    assert thread["anchor"]["quote_state"] == "lost"
    assert thread["replies"][0]["anchor"] == {
        "state": "current",
        "written_on": 3,
        "shown_under": "p2",
        "same_wording": True,
        "quote_state": None,
        "score": None,
        "start": None,
        "end": None,
        "quote_now": None,
    }


def test_the_schema_documents_the_anchor(client):
    schema = client.get("/api/v1/schema/?format=json").json()

    anchor = schema["components"]["schemas"]["Anchor"]["properties"]
    assert set(anchor) == {
        "state",
        "written_on",
        "shown_under",
        "same_wording",
        "quote_state",
        "score",
        "start",
        "end",
        "quote_now",
    }
    comments = schema["paths"]["/api/v1/comments/"]["get"]["parameters"]
    written_on = next(parameter for parameter in comments if parameter["name"] == "written_on")
    assert "written on" in written_on["description"]


# Query budgets


def cost(client, url: str, params: dict) -> int:
    cache.clear()  # a version's wordings are cached: count the queries that read them
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def test_the_list_as_shown_on_a_version_costs_the_same_for_few_or_many_comments(people):
    revised = revised_chapter(people.alice, versions=3)
    client = client_for()
    params = {"work": WORK, "version": 3, "page_size": 200}
    few = cost(client, COMMENTS, params)

    revised.work.current_version = revised.v1
    for key in ("p2", "p5", "p7"):
        bulk_roots(people.alice, revised.work, 60, key=key)

    assert cost(client, COMMENTS, params) == few


def test_a_thread_read_for_a_version_costs_the_same_for_ten_or_a_thousand(people):
    revised = revised_chapter(people.alice, versions=3)
    authors = [people.alice, people.bob, people.charlie]
    small = bulk_thread(revised.comments["kept"], authors, 10)
    large = bulk_thread(revised.comments["merged"], authors, 1000)
    client = client_for()

    few = cost(client, comment_url(small[-1].pk, "thread/"), {"version": 3})
    many = cost(client, comment_url(large[-1].pk, "thread/"), {"version": 3})

    assert few == many
    assert Comment.objects.count() > 1000


def test_cached_answers_are_kept_apart_by_the_version_asked_for(people, settings):
    settings.SCHOLIA_PAGE_CACHE = True
    revised = revised_chapter(people.alice)
    merged = revised.comments["merged"]
    client = client_for()

    for url in (comment_url(merged.pk), comment_url(merged.pk, "thread/")):
        for _ in range(2):  # the second time from the cache
            plain = client.get(url).json()
            on_v1 = client.get(url, {"version": 1}).json()
            on_v2 = client.get(url, {"version": 2}).json()
            assert plain["anchor"] is None
            assert on_v1["anchor"]["state"] == "current"
            assert on_v2["anchor"]["state"] == "merged"


def test_a_reply_records_the_wording_its_author_was_shown(people):
    revised = revised_chapter(people.alice)
    parent = revised.comments["split"]
    client = client_for(people.bob)

    today = client.post(COMMENTS, {"parent": parent.pk, "body": "On v2."}, format="json")
    first = client.post(
        COMMENTS, {"parent": parent.pk, "body": "On v1.", "version": 1}, format="json"
    )

    assert (today.status_code, first.status_code) == (201, 201)
    assert today.json()["version"] == 2
    assert first.json()["version"] == 1
    replies = {reply.body: reply for reply in Comment.objects.filter(parent=parent)}
    assert (
        replies["On v2."].revision.text == revised.v2.entries.get(paragraph__key="p3").revision.text
    )
    assert replies["On v1."].revision_id == parent.revision_id
