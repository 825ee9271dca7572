import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from edition.api.serializers import (
    ComparisonRowSerializer,
    VersionDetailSerializer,
    VersionParagraphSerializer,
)
from tests.api.conftest import V1, V2, build_work

BASE = "http://testserver"
WORK = f"{BASE}/api/v1/works/october-1917/"


def test_it_links_to_the_collections_from_the_root(client):
    response = client.get("/api/v1/")

    assert response.status_code == 200
    assert (
        response.json().items()
        >= {
            "works": f"{BASE}/api/v1/works/",
            "schema": f"{BASE}/api/v1/schema/",
            "docs": f"{BASE}/api/v1/docs/",
        }.items()
    )


def test_it_lists_the_works(client, october):
    response = client.get("/api/v1/works/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert [work["slug"] for work in response.json()] == ["october-1917"]


def test_it_describes_a_work(client, october):
    response = client.get("/api/v1/works/october-1917/")

    assert response.status_code == 200
    assert response.json() == {
        "slug": "october-1917",
        "title": "October 1917 Revolution",
        "subtitle": "A Century Later",
        "author": "Samir Amin",
        "publisher": "Daraja Press",
        "year": 2017,
        "language": "en",
        "description": "Chapter One.",
        "moderation_policy": "open",
        "current_version": 2,
        "url": WORK,
        "versions_url": f"{WORK}versions/",
        "html_url": f"{BASE}/works/october-1917/",
    }


def test_it_hides_a_work_still_in_draft_from_readers(client, reader_client, db):
    build_work(slug="unpublished", versions=[V1], published=0)

    assert client.get("/api/v1/works/").json() == []
    assert reader_client.get("/api/v1/works/unpublished/").status_code == 404


def test_it_shows_a_work_still_in_draft_to_staff(editor_client, db):
    build_work(slug="unpublished", versions=[V1], published=0)

    response = editor_client.get("/api/v1/works/unpublished/")

    assert response.status_code == 200
    assert response.json()["current_version"] is None
    assert [work["slug"] for work in editor_client.get("/api/v1/works/").json()] == ["unpublished"]


def test_it_lists_only_published_versions_to_readers(reader_client, october):
    response = reader_client.get("/api/v1/works/october-1917/versions/")

    assert response.status_code == 200
    versions = response.json()
    assert [version["number"] for version in versions] == [1, 2]
    first, second = versions
    assert first["status"] == "published"
    assert first["published_at"].endswith("Z")
    assert first["note"] == "Version 1."
    assert first["paragraph_count"] == 6
    assert first["is_current"] is False
    assert first["url"] == f"{WORK}versions/1/"
    assert first["html_url"] == f"{BASE}/works/october-1917/v/1/"
    assert second["paragraph_count"] == 5
    assert second["is_current"] is True


def test_it_lists_drafts_to_staff(editor_client, october):
    versions = editor_client.get("/api/v1/works/october-1917/versions/").json()

    assert [(version["number"], version["status"]) for version in versions] == [
        (1, "published"),
        (2, "published"),
        (3, "draft"),
    ]
    assert versions[2]["published_at"] is None


def test_it_reads_a_version_in_order(client, october):
    response = client.get("/api/v1/works/october-1917/versions/2/")

    assert response.status_code == 200
    version = response.json()
    assert version["work"] == "october-1917"
    assert version["number"] == 2
    assert version["status"] == "published"
    assert version["published_at"].endswith("Z")
    assert version["note"] == "Version 2."
    assert version["is_current"] is True
    assert version["paragraph_count"] == 5
    assert version["url"] == f"{WORK}versions/2/"
    assert version["html_url"] == f"{BASE}/works/october-1917/v/2/"
    assert version["paragraphs"][:2] == [
        {
            "key": "p1",
            "position": 1,
            "kind": "heading",
            "level": 1,
            "text": "The October 1917 Revolution started off the transformation",
            "markup": "",
            "comment_count": 0,
            "chapter": None,  # a work of one part has no chapters
        },
        {
            "key": "p7",
            "position": 2,
            "kind": "heading",
            "level": 2,
            "text": "1. The weak link",
            "markup": "",
            "comment_count": 0,
            "chapter": None,
        },
    ]
    assert version["chapters"] == []
    assert [(p["key"], p["position"], p["kind"]) for p in version["paragraphs"]] == [
        ("p1", 1, "heading"),
        ("p7", 2, "heading"),
        ("p2", 3, "paragraph"),
        ("p3", 4, "paragraph"),
        ("p6", 5, "quote"),
    ]


def test_it_reads_an_earlier_version(client, october):
    version = client.get("/api/v1/works/october-1917/versions/1/").json()

    assert version["is_current"] is False
    assert [p["key"] for p in version["paragraphs"]] == [key for key, *_ in V1]
    assert version["paragraphs"][4]["kind"] == "list_item"


def test_the_version_rows_match_their_documented_shape(client, october):
    version = client.get("/api/v1/works/october-1917/versions/2/").json()

    assert set(version) == set(VersionDetailSerializer().fields)
    assert set(version["paragraphs"][0]) == set(VersionParagraphSerializer().fields)


def test_it_counts_the_comments_the_reader_may_see(reader_client, reader, october, comment_counter):
    version = reader_client.get("/api/v1/works/october-1917/versions/2/").json()

    counts = {p["key"]: p["comment_count"] for p in version["paragraphs"]}
    assert counts == {"p1": 0, "p7": 0, "p2": 2, "p3": 1, "p6": 0}
    [(user, paragraph_ids)] = comment_counter
    assert user == reader
    assert len(paragraph_ids) == 5


def test_it_hides_a_draft_version_from_readers(client, reader_client, october):
    missing = client.get("/api/v1/works/october-1917/versions/9/")

    for anyone in (client, reader_client):
        draft = anyone.get("/api/v1/works/october-1917/versions/3/")
        assert draft.status_code == 404
        assert draft.json() == missing.json()


def test_it_shows_a_draft_version_to_staff(editor_client, october):
    response = editor_client.get("/api/v1/works/october-1917/versions/3/")

    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    assert response.json()["published_at"] is None
    assert [p["key"] for p in response.json()["paragraphs"]] == ["p1", "p2", "p8"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/works/nowhere/",
        "/api/v1/works/nowhere/versions/",
        "/api/v1/works/nowhere/versions/1/",
        "/api/v1/works/october-1917/versions/0/",
        "/api/v1/works/october-1917/versions/99999999999999999999/",
        "/api/v1/works/october-1917/paragraphs/p999/",
        "/api/v1/works/nowhere/paragraphs/p1/",
        "/api/v1/works/october-1917/compare/1/7/",
        "/api/v1/works/october-1917/compare/99999999999999999999/1/",
    ],
)
def test_it_answers_404_for_what_does_not_exist(client, october, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response.json() == {"status": 404, "code": "not_found", "detail": "Not found."}


def test_it_tells_a_paragraphs_history(client, october):
    response = client.get("/api/v1/works/october-1917/paragraphs/p2/")

    assert response.status_code == 200
    paragraph = response.json()
    assert paragraph["key"] == "p2"
    assert paragraph["work"] == "october-1917"
    assert paragraph["merged_into"] is None
    assert paragraph["url"] == f"{WORK}paragraphs/p2/"
    assert paragraph["html_url"] == f"{BASE}/works/october-1917/p/p2/"
    assert paragraph["comment_count"] == 0
    assert paragraph["current"] == {
        "version": 2,
        "position": 3,
        "kind": "paragraph",
        "level": None,
        "text": V2[2][3],
        "checksum": paragraph["revisions"][1]["checksum"],
    }
    assert [(r["versions"], r["text"]) for r in paragraph["revisions"]] == [
        ([1], V1[1][3]),
        ([2], V2[2][3]),
    ]
    assert len(paragraph["revisions"][0]["checksum"]) == 64


def test_it_lists_a_shared_wording_once_with_all_its_versions(client, october):
    paragraph = client.get("/api/v1/works/october-1917/paragraphs/p1/").json()

    assert [r["versions"] for r in paragraph["revisions"]] == [[1, 2]]
    assert paragraph["revisions"][0]["kind"] == "heading"
    assert paragraph["revisions"][0]["level"] == 1


def test_it_keeps_a_merged_paragraph_and_points_to_its_successor(client, october):
    paragraph = client.get("/api/v1/works/october-1917/paragraphs/p4/").json()

    assert paragraph["merged_into"] == "p3"
    assert paragraph["current"] is None
    assert [r["versions"] for r in paragraph["revisions"]] == [[1]]


def test_it_leaves_out_draft_wordings_from_a_paragraphs_history(editor_client, october):
    paragraph = editor_client.get("/api/v1/works/october-1917/paragraphs/p2/").json()

    assert [r["versions"] for r in paragraph["revisions"]] == [[1], [2]]


def test_it_hides_a_paragraph_only_drafts_hold_from_readers(reader_client, october):
    assert reader_client.get("/api/v1/works/october-1917/paragraphs/p8/").status_code == 404


def test_it_shows_a_paragraph_only_drafts_hold_to_staff(editor_client, october):
    response = editor_client.get("/api/v1/works/october-1917/paragraphs/p8/")

    assert response.status_code == 200
    assert response.json()["current"] is None
    assert response.json()["revisions"] == []


def test_it_counts_the_comments_on_a_paragraph(client, october, comment_counter):
    assert client.get("/api/v1/works/october-1917/paragraphs/p2/").json()["comment_count"] == 2


def test_it_compares_two_versions_paragraph_by_paragraph(client, october):
    response = client.get("/api/v1/works/october-1917/compare/1/2/")

    assert response.status_code == 200
    comparison = response.json()
    assert comparison["work"] == "october-1917"
    assert comparison["a"] == {"number": 1, "url": f"{WORK}versions/1/"}
    assert comparison["b"] == {"number": 2, "url": f"{WORK}versions/2/"}
    assert comparison["summary"] == {
        "unchanged": 2,
        "edited": 2,
        "moved": 0,
        "split": 0,
        "new": 1,
        "removed": 2,
    }
    rows = [
        (row["key"], row["status"], row["position_a"], row["position_b"], row["merged_into"])
        for row in comparison["paragraphs"]
    ]
    assert rows == [
        ("p1", "unchanged", 1, 1, None),
        ("p7", "new", None, 2, None),
        ("p2", "edited", 2, 3, None),
        ("p3", "edited", 3, 4, None),
        ("p4", "removed", 4, None, "p3"),
        ("p5", "removed", 5, None, None),
        ("p6", "unchanged", 6, 5, None),
    ]
    for row in comparison["paragraphs"]:
        assert set(row) == set(ComparisonRowSerializer().fields)


def test_it_diffs_an_edited_paragraph_word_by_word(client, october):
    comparison = client.get("/api/v1/works/october-1917/compare/1/2/").json()
    edited = next(row for row in comparison["paragraphs"] if row["key"] == "p2")

    assert edited["old_text"] == V1[1][3]
    assert edited["new_text"] == V2[2][3]
    assert [part["text"].strip() for part in edited["diff"] if part["op"] == "insert"] == ["long"]
    old = "".join(part["text"] for part in edited["diff"] if part["op"] != "insert")
    new = "".join(part["text"] for part in edited["diff"] if part["op"] != "delete")
    assert (old, new) == (V1[1][3], V2[2][3])


def test_it_gives_no_diff_where_nothing_was_edited(client, october):
    comparison = client.get("/api/v1/works/october-1917/compare/1/2/").json()
    rows = {row["key"]: row for row in comparison["paragraphs"]}

    assert rows["p1"]["diff"] is None
    assert rows["p1"]["old_text"] == rows["p1"]["new_text"]
    assert rows["p7"]["old_text"] is None
    assert rows["p5"]["new_text"] is None
    assert rows["p5"]["kind"] == "list_item"


def test_it_compares_backwards_too(client, october):
    comparison = client.get("/api/v1/works/october-1917/compare/2/1/").json()

    assert comparison["summary"] == {
        "unchanged": 2,
        "edited": 2,
        "moved": 0,
        "split": 0,
        "new": 2,
        "removed": 1,
    }
    assert [row["key"] for row in comparison["paragraphs"]] == [
        "p1",
        "p7",
        "p2",
        "p3",
        "p4",
        "p5",
        "p6",
    ]


def test_it_compares_a_version_with_itself(client, october):
    comparison = client.get("/api/v1/works/october-1917/compare/2/2/").json()

    assert comparison["summary"] == {
        "unchanged": 5,
        "edited": 0,
        "moved": 0,
        "split": 0,
        "new": 0,
        "removed": 0,
    }


def test_it_refuses_to_compare_with_a_draft_for_readers(reader_client, october):
    assert reader_client.get("/api/v1/works/october-1917/compare/2/3/").status_code == 404


def test_it_compares_with_a_draft_for_staff(editor_client, october):
    comparison = editor_client.get("/api/v1/works/october-1917/compare/2/3/").json()

    assert comparison["summary"] == {
        "unchanged": 1,
        "edited": 1,
        "moved": 0,
        "split": 0,
        "new": 1,
        "removed": 3,
    }


def test_it_serves_the_browsable_api_to_a_browser(client, october):
    response = client.get("/api/v1/works/october-1917/versions/2/", HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"The weak link" in response.content


def test_it_indents_json_on_request(client, october):
    response = client.get("/api/v1/works/", HTTP_ACCEPT="application/json; indent=4")

    assert response.status_code == 200
    assert response.content.startswith(b"[\n  {")


# Every view costs the same queries for a text of 10 or 1,000 paragraphs, with a comment
# counter registered (it costs one query, as commentary's will).
ROUTES = {
    "/api/v1/works/": 1,
    "/api/v1/works/{slug}/": 1,
    "/api/v1/works/{slug}/versions/": 2,
    "/api/v1/works/{slug}/versions/1/": 3,
    "/api/v1/works/{slug}/paragraphs/p3/": 3,
    "/api/v1/works/{slug}/compare/1/2/": 3,
}


@pytest.mark.parametrize(("route", "budget"), ROUTES.items())
def test_it_spends_a_fixed_number_of_queries(
    client, make_long_work, comment_counter, django_assert_max_num_queries, route, budget
):
    counted = []
    for size in (10, 1000):
        work = make_long_work(size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(route.format(slug=work.slug))
        assert response.status_code == 200
        counted.append(len(queries))
    assert counted[0] == counted[1]
    with django_assert_max_num_queries(budget):
        client.get(route.format(slug=work.slug))


def test_it_serves_a_long_version_whole(client, make_long_work):
    work = make_long_work(1000)

    version = client.get(f"/api/v1/works/{work.slug}/versions/1/").json()

    assert version["paragraph_count"] == 1000
    assert [p["position"] for p in version["paragraphs"]] == list(range(1, 1001))
