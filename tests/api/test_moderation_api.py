"""The moderation API: flags for members; decisions, the queue, the log and sanctions for
moderators only (everybody else: 404); what it costs; what it never leaks."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commentary.models import Comment
from commentary.moderation.decisions import comment_moderate, flag_create
from commentary.moderation.models import Flag, ModerationEvent
from tests.api.comment_fixtures import (
    COMMENTS,
    client_for,
    comment_url,
    make_people,
    post,
    set_status,
)
from tests.commentary.moderation_people import make_flaggers, make_moderator

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/moderation/queue/"
EVENTS = "/api/v1/moderation/events/"
SECRET = "Words only the author and moderators may read."
Status = Comment.Status


@pytest.fixture(autouse=True)
def _uncached(settings):
    settings.SCHOLIA_PAGE_CACHE = False


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def mona(db):
    return make_moderator()


def moderate(client, comment, **body):
    return client.post(comment_url(comment.pk, "moderate/"), body, format="json")


# Moderators only


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "moderate"),
        ("get", QUEUE),
        ("get", EVENTS),
        ("post", "/api/v1/users/alice/suspend/"),
        ("post", "/api/v1/users/alice/ban/"),
        ("post", "/api/v1/users/alice/reinstate/"),
    ],
)
@pytest.mark.parametrize(
    ("viewer", "expected"), [("anonymous", (401, "not_authenticated")), ("bob", (404, "not_found"))]
)
def test_anonymous_callers_get_401_and_other_members_404_on_the_moderation_endpoints(
    october, people, method, url, viewer, expected
):
    comment = set_status(post(people.alice, october), Status.PENDING)
    if url == "moderate":
        url = comment_url(comment.pk, "moderate/")
    client = client_for(people.bob if viewer == "bob" else None)
    body = {"action": "approve", "reason": "x", "until": "2999-01-01T00:00:00Z"}

    response = (
        getattr(client, method)(url, body, format="json") if method == "post" else client.get(url)
    )

    assert (response.status_code, response.json()["code"]) == expected
    if viewer == "anonymous":
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert Comment.objects.get(pk=comment.pk).status == Status.PENDING
    assert not ModerationEvent.objects.exists()


# Decisions


def test_a_moderator_approves_a_held_comment_with_one_event(october, people, mona):
    comment = set_status(post(people.alice, october, body=SECRET), Status.PENDING)

    response = moderate(client_for(mona), comment, action="approve", reason="Fine.")

    assert response.status_code == 200
    assert response.json()["status"] == "published"
    event = ModerationEvent.objects.get()
    assert (event.actor, event.action, event.reason) == (mona, "approve", "Fine.")
    assert client_for().get(comment_url(comment.pk)).json()["body"] == SECRET


def test_a_decision_another_moderator_took_first_answers_409(october, people, mona):
    otto = make_moderator("otto")
    comment = set_status(post(people.alice, october), Status.PENDING)
    assert (
        moderate(client_for(mona), comment, action="approve", expected_status="pending").status_code
        == 200
    )

    late = moderate(client_for(otto), comment, action="reject", expected_status="pending")

    assert late.status_code == 409
    assert "Already decided" in late.json()["detail"]
    assert Comment.objects.get(pk=comment.pk).status == Status.PUBLISHED
    assert ModerationEvent.objects.count() == 1


def test_a_decision_with_an_unknown_action_or_field_is_refused(october, people, mona):
    comment = set_status(post(people.alice, october), Status.PENDING)
    client = client_for(mona)

    assert moderate(client, comment, action="delete").status_code == 400
    assert moderate(client, comment, action="approve", status="published").status_code == 400
    assert not ModerationEvent.objects.exists()


# Flags


def test_a_member_flags_a_comment_once(october, people):
    comment = post(people.alice, october)
    client = client_for(people.bob)
    url = comment_url(comment.pk, "flags/")

    first = client.post(url, {"reason": "other", "note": "Rude."}, format="json")
    again = client.post(url, {"reason": "spam"}, format="json")

    assert first.status_code == 201
    assert first.json()["reason"] == "other"
    assert again.status_code == 400
    assert Flag.objects.count() == 1


def test_flagging_needs_a_sign_in_a_visible_comment_and_a_note_for_other(october, people):
    comment = post(people.alice, october)
    held = set_status(post(people.alice, october), Status.PENDING)

    assert (
        client_for()
        .post(comment_url(comment.pk, "flags/"), {"reason": "spam"}, format="json")
        .status_code
        == 401
    )
    bob = client_for(people.bob)
    assert (
        bob.post(comment_url(held.pk, "flags/"), {"reason": "spam"}, format="json").status_code
        == 404
    )
    assert (
        bob.post(comment_url(comment.pk, "flags/"), {"reason": "other"}, format="json").status_code
        == 400
    )
    own = client_for(people.alice).post(
        comment_url(comment.pk, "flags/"), {"reason": "spam"}, format="json"
    )
    assert own.status_code == 400
    assert not Flag.objects.exists()


def test_flagging_too_fast_answers_429_with_retry_after(october, people, settings):
    first, second = post(people.alice, october), post(people.alice, october, "p3")
    settings.SCHOLIA_FLAG_RATE = "1/60"
    client = client_for(people.bob)

    assert (
        client.post(comment_url(first.pk, "flags/"), {"reason": "spam"}, format="json").status_code
        == 201
    )
    response = client.post(comment_url(second.pk, "flags/"), {"reason": "spam"}, format="json")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


# The queue


def test_the_queue_lists_held_and_flagged_comments_oldest_first_with_context(october, people, mona):
    root = post(people.bob, october, body="The question.")
    flagged = post(people.alice, october, parent=root, body="A rude answer.")
    held = set_status(post(people.alice, october, "p3", body=SECRET), Status.PENDING)
    post(people.alice, october, body="Nothing wrong here.")
    flag_create(comment=flagged, user=people.charlie, reason="offensive")

    items = client_for(mona).get(QUEUE).json()["results"]

    assert [item["comment"]["id"] for item in items] == [flagged.pk, held.pk]
    first, second = items
    assert first["kind"] == "flagged"
    assert [flag["reason"] for flag in first["flags"]] == ["offensive"]
    assert first["replies_to"]["body"] == "The question."
    assert first["replies_to"]["html_url"] == f"http://testserver/comments/{root.pk}/"
    assert first["author_record"] == {"approved": 2, "rejected": 0, "flags_received": 1}
    assert second["kind"] == "held"
    assert second["comment"]["body"] == SECRET
    assert "weak link" in second["paragraph_text"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [({"kind": "held"}, ["held"]), ({"kind": "flagged"}, ["flagged"]), ({"reason": "spam"}, [])],
)
def test_the_queue_filters_by_kind_and_reason(october, people, mona, query, expected):
    flagged = post(people.alice, october)
    held = set_status(post(people.alice, october), Status.PENDING)
    flag_create(comment=flagged, user=people.bob, reason="offensive")
    names = {flagged.pk: "flagged", held.pk: "held"}

    items = client_for(mona).get(QUEUE, query).json()["results"]

    assert [names[item["comment"]["id"]] for item in items] == expected


def test_the_queue_filters_by_work(october, people, mona):
    set_status(post(people.alice, october), Status.PENDING)
    client = client_for(mona)

    assert len(client.get(QUEUE, {"work": "october-1917"}).json()["results"]) == 1
    assert client.get(QUEUE, {"work": "another-work"}).json()["results"] == []
    assert client.get(QUEUE, {"kind": "everything"}).status_code == 400


def queries_for(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_queue_and_the_log_cost_the_same_whatever_their_length(october, people, mona, settings):
    settings.SCHOLIA_COMMENT_RATE = "100/60"
    client = client_for(mona)
    flaggers = make_flaggers(2)

    def grow(count: int) -> None:
        for number in range(count):
            comment = post(people.alice, october, body=f"Comment {number}.")
            flag_create(comment=comment, user=flaggers[number % 2], reason="spam")
            comment_moderate(
                action="hide", comment=post(people.bob, october, parent=comment), moderator=mona
            )
            set_status(post(people.charlie, october), Status.PENDING)

    grow(2)
    short_queue, short_log = queries_for(client, QUEUE), queries_for(client, EVENTS)
    grow(20)
    long_queue, long_log = queries_for(client, QUEUE), queries_for(client, EVENTS)

    assert len(client.get(QUEUE).json()["results"]) == 44
    assert long_queue == short_queue
    assert long_log == short_log
    # Session, user, the moderator's permissions (two), then the page (and its flags).
    assert long_queue <= 6
    assert long_log <= 5


# The log


def test_the_log_lists_every_event_newest_first_and_filters(october, people, mona, settings):
    settings.SCHOLIA_FLAGS_TO_HIDE = 1
    comment = post(people.alice, october)
    flag_create(comment=comment, user=people.bob, reason="spam")
    client = client_for(mona)
    moderate(client, comment, action="restore", reason="A fair point.")
    client.post("/api/v1/users/bob/ban/", {"reason": "Flag abuse."}, format="json")

    events = client.get(EVENTS).json()["results"]

    assert [(e["actor"], e["action"], e["user"]) for e in events] == [
        ("mona", "ban", "bob"),
        ("mona", "restore", "alice"),
        (None, "hide", "alice"),
    ]
    assert [e["action"] for e in client.get(EVENTS, {"moderator": "mona"}).json()["results"]] == [
        "ban",
        "restore",
    ]
    assert [e["action"] for e in client.get(EVENTS, {"action": "hide"}).json()["results"]] == [
        "hide"
    ]
    assert [e["action"] for e in client.get(EVENTS, {"user": "bob"}).json()["results"]] == ["ban"]
    later = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert client.get(EVENTS, {"created_after": later}).json()["results"] == []


# Sanctions


def test_a_suspended_member_is_refused_on_every_api_write_and_told_until_when(
    october, people, mona
):
    theirs = post(people.alice, october)
    mine = post(people.bob, october, body="Mine.")
    until = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    response = client_for(mona).post(
        "/api/v1/users/bob/suspend/",
        {"until": until.isoformat(), "reason": "Cool off."},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "suspend"
    bob = client_for(people.bob)

    for refused in (
        bob.post(
            COMMENTS, {"work": "october-1917", "paragraph": "p2", "body": "Hi."}, format="json"
        ),
        bob.post(COMMENTS, {"parent": theirs.pk, "body": "Hi."}, format="json"),
        bob.patch(comment_url(mine.pk), {"body": "Changed."}, format="json"),
        bob.post(comment_url(theirs.pk, "flags/"), {"reason": "spam"}, format="json"),
    ):
        assert refused.status_code == 403
        assert "suspended until" in refused.json()["detail"]
        assert "Cool off." in refused.json()["detail"]
    assert Comment.objects.get(pk=mine.pk).body == "Mine."
    assert Comment.objects.filter(author=people.bob).count() == 1
    assert not Flag.objects.exists()


def test_a_moderator_bans_and_reinstates_a_member(october, people, mona):
    client = client_for(mona)

    assert (
        client.post("/api/v1/users/bob/ban/", {"reason": "Spam."}, format="json").status_code == 201
    )
    reinstated = client.post("/api/v1/users/bob/reinstate/", {}, format="json")
    again = client.post("/api/v1/users/bob/reinstate/", {}, format="json")

    assert reinstated.status_code == 200
    assert reinstated.json()["lifted"] is not None
    assert again.status_code == 409
    assert (
        client.post("/api/v1/users/nobody/ban/", {"reason": "x"}, format="json").status_code == 404
    )
    past = client.post(
        "/api/v1/users/bob/suspend/",
        {"until": "2000-01-01T00:00:00Z", "reason": "x"},
        format="json",
    )
    assert past.status_code == 400
    assert list(ModerationEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "ban",
        "reinstate",
    ]


# The status filter and what never leaks


def test_only_moderators_filter_the_comment_list_by_status(october, people, mona):
    held = set_status(post(people.alice, october, body=SECRET), Status.PENDING)
    post(people.bob, october)

    mine = client_for(mona).get(COMMENTS, {"status": "pending"}).json()["results"]

    assert [c["id"] for c in mine] == [held.pk]
    for client in (client_for(people.bob), client_for(people.alice), client_for()):
        response = client.get(COMMENTS, {"status": "pending"})
        assert response.status_code == 400
        assert SECRET not in response.content.decode()


@pytest.mark.parametrize("status", ["pending", "rejected", "hidden"])
def test_unpublished_text_reaches_only_its_author_and_moderators_in_the_api(
    october, people, mona, status
):
    root = post(people.charlie, october, body="The root.")
    comment = set_status(post(people.alice, october, parent=root, body=SECRET), status)
    post(people.charlie, october, parent=comment, body="An answer to it.")

    for viewer, sees in ((people.alice, True), (mona, True), (people.bob, False), (None, False)):
        client = client_for(viewer)
        surfaces = [
            client.get(COMMENTS).content.decode(),
            client.get(comment_url(root.pk, "thread/")).content.decode(),
            client.get(comment_url(comment.pk)).content.decode(),
        ]
        for body in surfaces:
            assert (SECRET in body) is sees, (viewer, body[:200])
        if not sees:
            thread = client.get(comment_url(root.pk, "thread/")).json()
            placeholder = thread["replies"][0]
            assert placeholder == {
                "id": comment.pk,
                "placeholder": True,
                "depth": 1,
                "replies": placeholder["replies"],
            }
            assert placeholder["replies"][0]["body"] == "An answer to it."


MODERATION_OPERATIONS = {
    ("/api/v1/comments/{id}/flags/", "post"): {"201", "400", "401", "403", "404", "429"},
    ("/api/v1/comments/{id}/moderate/", "post"): {"200", "400", "404", "409"},
    ("/api/v1/moderation/queue/", "get"): {"200", "400", "404"},
    ("/api/v1/moderation/events/", "get"): {"200", "400", "404"},
    ("/api/v1/users/{username}/suspend/", "post"): {"201", "400", "404", "409"},
    ("/api/v1/users/{username}/ban/", "post"): {"201", "400", "404", "409"},
    ("/api/v1/users/{username}/reinstate/", "post"): {"200", "400", "404", "409"},
}


def test_the_schema_documents_every_moderation_operation_and_its_answers(client):
    schema = client.get("/api/v1/schema/?format=json").json()

    for (path, method), statuses in MODERATION_OPERATIONS.items():
        operation = schema["paths"][path][method]
        assert statuses <= set(operation["responses"]), path
    queue_filters = {
        p["name"] for p in schema["paths"]["/api/v1/moderation/queue/"]["get"]["parameters"]
    }
    assert {"work", "kind", "reason", "cursor"} <= queue_filters
    list_filters = {p["name"] for p in schema["paths"]["/api/v1/comments/"]["get"]["parameters"]}
    assert "status" in list_filters
