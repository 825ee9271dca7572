"""The comments API as its clients see it: /api/v1/comments/…"""

from datetime import timedelta

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS

from commentary.accounts.tokens import token_create
from commentary.models import Comment, CommentRevision
from commentary.services import comment_delete, comment_edit
from edition.models import ModerationPolicy
from tests.api.comment_fixtures import (
    COMMENTS,
    bulk_comments,
    client_for,
    comment_url,
    make_people,
    post,
    set_status,
)

COMMENT_FIELDS = {
    "id",
    "url",
    "work",
    "paragraph",
    "version",
    "anchor",
    "parent",
    "depth",
    "author",
    "body",
    "body_html",
    "quote",
    "status",
    "group",
    "created",
    "edited",
    "reply_count",
    "deleted",
    "html_url",
    "tags",
}
NOT_FOUND = {"status": 404, "code": "not_found", "detail": "Not found."}


@pytest.fixture
def people(db):
    return make_people()


def ids(response) -> list[int]:
    return [comment["id"] for comment in response.json()["results"]]


# Creating ---------------------------------------------------------------------------------


def test_it_creates_a_comment_on_a_paragraph_of_the_current_version(october, people):
    response = client_for(people.alice).post(
        COMMENTS,
        {"work": "october-1917", "paragraph": "p2", "body": "A **long** century."},
        format="json",
    )

    assert response.status_code == 201
    data = response.json()
    assert set(data) == COMMENT_FIELDS
    comment = Comment.objects.get()
    assert data == {
        "id": comment.pk,
        "url": f"http://testserver/api/v1/comments/{comment.pk}/",
        "html_url": f"http://testserver/comments/{comment.pk}/",
        "work": "october-1917",
        "paragraph": "p2",
        "version": 2,
        "parent": None,
        "depth": 0,
        "author": {"username": "alice", "display_name": "Alice Liddell"},
        "body": "A **long** century.",
        "body_html": "<p>A <strong>long</strong> century.</p>",
        "quote": None,
        "status": "published",
        "group": None,
        "created": data["created"],
        "edited": None,
        "reply_count": 0,
        "deleted": False,
        "anchor": None,
        "tags": [],
    }
    assert data["created"].endswith("Z")
    assert response["Location"] == data["url"]
    assert comment.author == people.alice
    assert comment.revision.text.startswith("The revolution opened a long century")


def test_it_creates_a_comment_on_the_wording_of_an_earlier_version(october, people):
    response = client_for(people.alice).post(
        COMMENTS,
        {"work": "october-1917", "paragraph": "p5", "version": 1, "body": "Gone in v2."},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["version"] == 1
    assert Comment.objects.get().revision.text == "- the peasant question"


def test_it_creates_a_reply_from_the_parent_alone(october, people):
    root = post(people.alice, october, "p3")

    response = client_for(people.bob).post(
        COMMENTS, {"parent": root.pk, "body": "I disagree."}, format="json"
    )

    assert response.status_code == 201
    data = response.json()
    assert (data["parent"], data["depth"], data["paragraph"], data["work"]) == (
        root.pk,
        1,
        "p3",
        "october-1917",
    )
    reply = Comment.objects.get(pk=data["id"])
    assert (reply.root_id, reply.author) == (root.pk, people.bob)


def test_it_records_a_quote_with_its_context(october, people):
    response = client_for(people.alice).post(
        COMMENTS,
        {
            "work": "october-1917",
            "paragraph": "p2",
            "body": "Why long?",
            "quote": {"exact": "long century"},
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["quote"] == {
        "exact": "long century",
        "prefix": "The revolution opened a ",
        "suffix": " of attempts to go beyond it.",
        "start": 24,
        "end": 36,
    }


def test_it_holds_a_comment_on_a_premoderated_work_for_its_author_only(october, people):
    october.moderation_policy = ModerationPolicy.PREMODERATED
    october.save()

    response = client_for(people.alice).post(
        COMMENTS, {"work": "october-1917", "paragraph": "p2", "body": "Held."}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert ids(client_for(people.alice).get(COMMENTS)) == [response.json()["id"]]
    assert ids(client_for(people.bob).get(COMMENTS)) == []


def test_it_lets_a_client_write_with_a_personal_token_and_no_csrf(october, people):
    _, key = token_create(user=people.alice, name="my script", scopes=["read", "write"])
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    response = client.post(
        COMMENTS, {"work": "october-1917", "paragraph": "p2", "body": "Scripted."}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["author"]["username"] == "alice"


def test_it_refuses_a_session_write_without_the_csrf_token(october, people):
    client = client_for(people.alice)
    client.handler.enforce_csrf_checks = True

    response = client.post(
        COMMENTS, {"work": "october-1917", "paragraph": "p2", "body": "Forged?"}, format="json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Comment.objects.exists()


# Reading one ------------------------------------------------------------------------------


def test_it_shows_a_comment_with_the_replies_the_reader_may_see(october, people):
    root = post(people.alice, october)
    post(people.bob, october, parent=root)
    pending = post(people.alice, october, parent=root)
    set_status(pending, Comment.Status.PENDING)
    comment_delete(comment=post(people.charlie, october, parent=root), by=people.charlie)

    as_bob = client_for(people.bob).get(comment_url(root.pk))
    as_alice = client_for(people.alice).get(comment_url(root.pk))

    assert as_bob.status_code == 200
    assert as_bob.json()["reply_count"] == 1
    assert as_alice.json()["reply_count"] == 2
    assert as_bob.json()["body"] == "A comment."


def test_it_shows_a_deleted_comment_as_a_tombstone(october, people):
    comment = post(people.alice, october, body="Regret.", quote={"exact": "long century"})
    comment_delete(comment=comment, by=people.alice)

    data = client_for().get(comment_url(comment.pk)).json()

    assert data["deleted"] is True
    assert (data["body"], data["body_html"], data["author"], data["quote"]) == ("", "", None, None)
    assert (data["paragraph"], data["depth"]) == ("p2", 0)


# Listing ----------------------------------------------------------------------------------


def test_it_lists_comments_newest_first_without_the_deleted_ones(october, people):
    first = post(people.alice, october)
    second = post(people.bob, october, "p3")
    third = post(people.charlie, october, parent=first)
    comment_delete(comment=post(people.bob, october), by=people.bob)

    response = client_for().get(COMMENTS)

    assert response.status_code == 200
    assert ids(response) == [third.pk, second.pk, first.pk]
    assert response.json()["results"][2]["reply_count"] == 1
    assert response.json()["previous"] is None
    assert response.json()["next"] is None


def test_it_filters_by_work_version_paragraph_and_author(october, people, make_long_work):
    other_work = make_long_work(3)
    on_p2 = post(people.alice, october, "p2")
    on_p3 = post(people.bob, october, "p3")
    on_v1 = post(people.bob, october, "p5", version=october.versions.get(number=1))
    elsewhere = post(people.alice, other_work, "p2")
    client = client_for()

    assert ids(client.get(COMMENTS, {"work": "october-1917"})) == [on_v1.pk, on_p3.pk, on_p2.pk]
    assert ids(client.get(COMMENTS, {"work": other_work.slug})) == [elsewhere.pk]
    assert ids(client.get(COMMENTS, {"work": "october-1917", "written_on": 1})) == [on_v1.pk]
    # As shown on version 1: every comment is carried there, whichever version it was on.
    assert ids(client.get(COMMENTS, {"work": "october-1917", "version": 1})) == [
        on_v1.pk,
        on_p3.pk,
        on_p2.pk,
    ]
    assert ids(client.get(COMMENTS, {"work": "october-1917", "paragraph": "p3"})) == [on_p3.pk]
    assert ids(client.get(COMMENTS, {"author": "alice"})) == [elsewhere.pk, on_p2.pk]
    assert client.get(COMMENTS, {"work": "nothing"}).status_code == 400


def test_it_filters_by_creation_time(october, people):
    comments = bulk_comments(people.alice, october, 5)
    middle = comments[2].created_at
    client = client_for()

    after = client.get(COMMENTS, {"created_after": middle.isoformat()})
    before = client.get(COMMENTS, {"created_before": middle.isoformat()})
    window = client.get(
        COMMENTS,
        {
            "created_after": (middle - timedelta(minutes=1)).isoformat(),
            "created_before": (middle + timedelta(minutes=1)).isoformat(),
        },
    )

    assert ids(after) == [comments[4].pk, comments[3].pk, comments[2].pk]
    assert ids(before) == [comments[1].pk, comments[0].pk]
    assert ids(window) == [comments[2].pk, comments[1].pk]


def test_it_pages_with_a_cursor_both_ways(october, people):
    comments = bulk_comments(people.alice, october, 7)
    client = client_for()

    pages = [client.get(COMMENTS, {"page_size": 3})]
    while pages[-1].json()["next"]:
        pages.append(client.get(pages[-1].json()["next"]))
    back = client.get(pages[-1].json()["previous"])

    assert [len(page.json()["results"]) for page in pages] == [3, 3, 1]
    assert sum((ids(page) for page in pages), []) == [c.pk for c in reversed(comments)]
    assert ids(back) == ids(pages[1])


def test_it_pages_by_fifty_unless_asked(october, people):
    bulk_comments(people.alice, october, 55)
    client = client_for()

    default = client.get(COMMENTS)
    largest = client.get(COMMENTS, {"page_size": 200})

    assert len(default.json()["results"]) == 50
    assert default.json()["next"]
    assert len(largest.json()["results"]) == 55


def test_it_takes_the_page_size_and_its_bound_from_settings(october, people, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "PAGE_SIZE": 2}
    settings.SCHOLIA_API_MAX_PAGE_SIZE = 3
    bulk_comments(people.alice, october, 5)
    client = client_for()

    default = client.get(COMMENTS)
    largest = client.get(COMMENTS, {"page_size": 3})
    too_large = client.get(COMMENTS, {"page_size": 4})

    assert len(default.json()["results"]) == 2
    assert len(largest.json()["results"]) == 3
    assert too_large.status_code == 400
    assert too_large.json()["errors"] == {"page_size": ["A whole number from 1 to 3."]}


# Threads ----------------------------------------------------------------------------------


def test_it_returns_the_whole_thread_from_any_of_its_comments(october, people):
    root = post(people.alice, october)
    bob_reply = post(people.bob, october, parent=root)
    charlie_reply = post(people.charlie, october, parent=root)
    deep = post(people.alice, october, parent=bob_reply)
    post(people.alice, october, "p3")  # another thread

    response = client_for().get(comment_url(deep.pk, "thread/"))

    assert response.status_code == 200
    tree = response.json()
    assert (tree["id"], tree["placeholder"], tree["reply_count"]) == (root.pk, False, 2)
    assert set(tree) == COMMENT_FIELDS | {"placeholder", "replies"}
    assert [reply["id"] for reply in tree["replies"]] == [bob_reply.pk, charlie_reply.pk]
    assert [reply["id"] for reply in tree["replies"][0]["replies"]] == [deep.pk]
    assert tree["replies"][0]["replies"][0]["depth"] == 2
    assert tree["replies"][0]["replies"][0]["replies"] == []
    assert tree["replies"][1]["author"]["username"] == "charlie"


def test_it_keeps_a_deleted_comment_in_the_thread_as_a_tombstone(october, people):
    root = post(people.alice, october)
    reply = post(people.bob, october, parent=root)
    answer = post(people.charlie, october, parent=reply)
    comment_delete(comment=reply, by=people.bob)

    tree = client_for().get(comment_url(root.pk, "thread/")).json()

    tombstone = tree["replies"][0]
    assert (tombstone["id"], tombstone["deleted"], tombstone["body"]) == (reply.pk, True, "")
    assert tombstone["author"] is None
    assert [node["id"] for node in tombstone["replies"]] == [answer.pk]
    assert tree["reply_count"] == 0


def test_it_shows_a_placeholder_for_a_hidden_comment_that_has_visible_replies(october, people):
    root = post(people.alice, october)
    hidden = post(people.bob, october, parent=root)
    answer = post(people.charlie, october, parent=hidden)
    set_status(hidden, Comment.Status.HIDDEN)

    as_alice = client_for(people.alice).get(comment_url(root.pk, "thread/")).json()
    as_bob = client_for(people.bob).get(comment_url(root.pk, "thread/")).json()

    assert as_alice["replies"] == [
        {
            "id": hidden.pk,
            "placeholder": True,
            "depth": 1,
            "replies": as_alice["replies"][0]["replies"],
        }
    ]
    assert as_alice["replies"][0]["replies"][0]["id"] == answer.pk
    assert as_bob["replies"][0]["placeholder"] is False
    assert as_bob["replies"][0]["body"] == "A comment."


def test_it_roots_the_thread_in_a_placeholder_when_the_first_comment_is_hidden(october, people):
    root = post(people.alice, october)
    reply = post(people.bob, october, parent=root)
    set_status(root, Comment.Status.HIDDEN)

    response = client_for(people.charlie).get(comment_url(reply.pk, "thread/"))

    tree = response.json()
    assert (tree["id"], tree["placeholder"], tree["depth"]) == (root.pk, True, 0)
    assert set(tree) == {"id", "placeholder", "depth", "replies"}
    assert [node["id"] for node in tree["replies"]] == [reply.pk]


def test_it_hangs_replies_under_hidden_ancestors_from_the_root(october, people):
    root = post(people.alice, october)
    first = post(people.bob, october, parent=root)
    second = post(people.bob, october, parent=first)
    answer = post(people.charlie, october, parent=second)
    set_status(first, Comment.Status.HIDDEN)
    set_status(second, Comment.Status.HIDDEN)

    tree = client_for(people.charlie).get(comment_url(answer.pk, "thread/")).json()

    assert tree["id"] == root.pk
    assert [(node["id"], node["placeholder"]) for node in tree["replies"]] == [(second.pk, True)]
    assert tree["replies"][0]["depth"] == 2
    assert tree["replies"][0]["replies"][0]["id"] == answer.pk


# Revisions --------------------------------------------------------------------------------


def test_it_lists_the_bodies_a_comment_has_had_oldest_first(october, people):
    comment = post(people.alice, october, body="First.")
    comment_edit(comment=comment, editor=people.alice, body="Second.")
    comment_edit(comment=comment, editor=people.alice, body="Third.")

    response = client_for(people.bob).get(comment_url(comment.pk, "revisions/"))

    assert response.status_code == 200
    rows = response.json()
    assert [row["body"] for row in rows] == ["First.", "Second.", "Third."]
    assert [row["current"] for row in rows] == [False, False, True]
    assert rows[-1]["replaced"] is None
    assert rows[0]["replaced"] == rows[1]["written"]
    assert rows[2]["body_html"] == "<p>Third.</p>"


def test_it_shows_no_bodies_of_a_deleted_comment_even_to_its_author(october, people):
    comment = post(people.alice, october, body="First.")
    comment_edit(comment=comment, editor=people.alice, body="Second.")
    comment_delete(comment=comment, by=people.alice)

    response = client_for(people.alice).get(comment_url(comment.pk, "revisions/"))

    assert response.status_code == 200
    assert response.json() == []


# Editing and deleting ---------------------------------------------------------------------


def test_it_lets_the_author_edit_and_keeps_the_earlier_body(october, people):
    comment = post(people.alice, october, body="Frist.")

    response = client_for(people.alice).patch(
        comment_url(comment.pk), {"body": "First."}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["body"] == "First."
    assert response.json()["edited"] is not None
    assert list(CommentRevision.objects.values_list("body", flat=True)) == ["Frist."]


def test_it_changes_nothing_on_an_empty_patch(october, people):
    comment = post(people.alice, october, body="As is.")

    response = client_for(people.alice).patch(comment_url(comment.pk), {}, format="json")

    assert response.status_code == 200
    assert (response.json()["body"], response.json()["edited"]) == ("As is.", None)
    assert not CommentRevision.objects.exists()


def test_it_lets_the_author_delete_and_leaves_a_tombstone(october, people):
    comment = post(people.alice, october)
    reply = post(people.bob, october, parent=comment)

    response = client_for(people.alice).delete(comment_url(comment.pk))

    assert response.status_code == 204
    assert response.content == b""
    comment.refresh_from_db()
    assert comment.is_deleted
    assert client_for().get(comment_url(comment.pk)).json()["deleted"] is True
    assert ids(client_for().get(COMMENTS)) == [reply.pk]


# Privacy ----------------------------------------------------------------------------------


def test_a_pending_comment_reaches_nobody_but_its_author(october, people):
    parent = post(people.charlie, october)
    pending = post(people.alice, october, body="Secret thoughts.", parent=parent)
    set_status(pending, Comment.Status.PENDING)
    comment_edit(comment=pending, editor=people.alice, body="Secret thoughts, edited.")
    alice, bob, anonymous = client_for(people.alice), client_for(people.bob), client_for()
    missing = Comment.objects.order_by("pk").last().pk + 100

    for outsider in (bob, anonymous):
        assert pending.pk not in ids(outsider.get(COMMENTS))
        assert pending.pk not in ids(outsider.get(COMMENTS, {"author": "alice"}))
        assert outsider.get(comment_url(parent.pk)).json()["reply_count"] == 0
        assert outsider.get(comment_url(parent.pk, "thread/")).json()["replies"] == []
        for suffix in ("", "thread/", "revisions/"):
            hidden = outsider.get(comment_url(pending.pk, suffix))
            absent = outsider.get(comment_url(missing, suffix))
            assert (hidden.status_code, hidden.json()) == (404, NOT_FOUND)
            assert (absent.status_code, absent.json()) == (404, NOT_FOUND)
        counts = outsider.get("/api/v1/works/october-1917/versions/2/").json()["paragraphs"]
        assert {row["key"]: row["comment_count"] for row in counts}["p2"] == 1
        assert b"Secret" not in outsider.get(COMMENTS).content

    assert pending.pk in ids(alice.get(COMMENTS))
    assert alice.get(comment_url(pending.pk)).json()["status"] == "pending"
    assert alice.get(comment_url(parent.pk)).json()["reply_count"] == 1
    assert alice.get(comment_url(parent.pk, "thread/")).json()["replies"][0]["id"] == pending.pk
    assert len(alice.get(comment_url(pending.pk, "revisions/")).json()) == 2
    counts = alice.get("/api/v1/works/october-1917/versions/2/").json()["paragraphs"]
    assert {row["key"]: row["comment_count"] for row in counts}["p2"] == 2


# The API around the comments -------------------------------------------------------------


def test_the_api_root_links_to_the_comments(db):
    response = client_for().get("/api/v1/")

    assert response.json()["comments"] == "http://testserver/api/v1/comments/"


def test_it_documents_the_comment_endpoints_in_a_schema_without_warnings(tmp_path):
    GENERATOR_STATS.reset()

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )

    schema = yaml.safe_load((tmp_path / "schema.yaml").read_text())
    paths = schema["paths"]
    assert {
        "/api/v1/comments/",
        "/api/v1/comments/{id}/",
        "/api/v1/comments/{id}/thread/",
        "/api/v1/comments/{id}/revisions/",
    } <= set(paths)
    assert set(paths["/api/v1/comments/{id}/"]) == {"get", "patch", "delete"}
    create = paths["/api/v1/comments/"]["post"]["responses"]
    assert {"201", "400", "401", "413", "415"} <= set(create)
    assert create["413"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    assert set(schema["components"]["schemas"]["Comment"]["properties"]) == COMMENT_FIELDS


# Links to the pages -----------------------------------------------------------------------


def test_every_comment_payload_links_to_its_page(october, people):
    root = post(people.alice, october)
    reply = post(people.bob, october, parent=root, body="A reply.")
    page = f"http://testserver/comments/{root.pk}/"
    client = client_for(people.alice)

    created = client.post(
        "/api/v1/comments/",
        {"work": october.slug, "paragraph": "p2", "body": "Fresh."},
        format="json",
    ).json()
    assert created["html_url"] == f"http://testserver/comments/{created['id']}/"
    listed = client.get(f"/api/v1/comments/?work={october.slug}").json()["results"]
    assert {item["id"]: item["html_url"] for item in listed}[root.pk] == page
    assert client.get(comment_url(root.pk)).json()["html_url"] == page
    tree = client.get(comment_url(root.pk, "thread/")).json()
    assert tree["html_url"] == page
    assert tree["replies"][0]["html_url"] == f"http://testserver/comments/{reply.pk}/"
    edited = client.patch(comment_url(root.pk), {"body": "Changed."}, format="json").json()
    assert edited["html_url"] == page
    # The address is the page itself, which opens the comment in its thread.
    assert client.get(page).status_code == 200


def test_the_schema_documents_html_url(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    html_url = schema["components"]["schemas"]["Comment"]["properties"]["html_url"]
    assert html_url["format"] == "uri"
    assert "page" in html_url["description"]
