"""A creating request sent again with the same Idempotency-Key gets the first answer and
creates nothing: a client that lost the answer to a POST may retry it without duplicating
what it wrote."""

from datetime import timedelta

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone

from commentary.groups.models import ReadingGroup
from commentary.groups.services import group_create
from commentary.models import Comment
from commentary.moderation.models import Flag, Sanction
from config.api.models import IdempotencyKey
from tests.api.comment_fixtures import COMMENTS, client_for, comment_url, make_people, post
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db

REPLAYED = "Idempotent-Replayed"


@pytest.fixture
def people(db):
    return make_people()


def on_p2(body: str = "Once only.") -> dict:
    return {"work": "october-1917", "paragraph": "p2", "body": body}


def send(client, url: str, body: dict, key: str | None = "retry-1"):
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return client.post(url, body, format="json", **headers)


def sent_twice(client, url: str, body: dict) -> tuple:
    """The answers to a request and to its retry under the same key."""
    return send(client, url, body), send(client, url, body)


def assert_replayed(first, again, status: int) -> None:
    assert first.status_code == again.status_code == status, first.content
    assert again.content == first.content
    assert again[REPLAYED] == "true"


def test_a_retry_with_the_same_key_gets_the_first_answer_and_creates_nothing(october, people):
    client = client_for(people.alice)

    first, again = sent_twice(client, COMMENTS, on_p2())

    assert_replayed(first, again, 201)
    assert again["Location"] == first["Location"]
    assert again[REPLAYED] == "true"
    assert REPLAYED not in first
    assert Comment.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(october, people):
    client = client_for(people.alice)
    send(client, COMMENTS, on_p2())

    response = send(client, COMMENTS, on_p2("Something else."))

    assert response.status_code == 422
    data = response.json()
    assert (data["status"], data["code"]) == (422, "idempotency_key_reused")
    assert "Idempotency-Key" in data["detail"]
    assert Comment.objects.count() == 1


def test_the_same_key_on_another_endpoint_is_refused(october, people):
    client = client_for(people.alice)
    comment = post(people.bob, october, "p2")
    send(client, COMMENTS, on_p2())

    response = send(client, comment_url(comment.pk, "flags/"), {"reason": "spam"})

    assert response.status_code == 422
    assert not Flag.objects.exists()


def test_keys_are_each_members_own(october, people):
    send(client_for(people.alice), COMMENTS, on_p2())

    response = send(client_for(people.bob), COMMENTS, on_p2())

    assert response.status_code == 201
    assert REPLAYED not in response
    assert Comment.objects.count() == 2


def test_without_a_key_each_request_creates(october, people):
    client = client_for(people.alice)

    send(client, COMMENTS, on_p2(), key=None)
    send(client, COMMENTS, on_p2(), key=None)

    assert Comment.objects.count() == 2


def test_a_refused_request_keeps_no_key_so_its_corrected_retry_runs(october, people):
    client = client_for(people.alice)

    refused = send(client, COMMENTS, {**on_p2(), "paragraph": "p99"})
    assert refused.status_code == 400
    corrected = send(client, COMMENTS, {**on_p2(), "paragraph": "p99"})

    assert corrected.status_code == 400
    assert REPLAYED not in corrected
    assert not IdempotencyKey.objects.exists()
    assert send(client, COMMENTS, on_p2()).status_code == 201


@pytest.mark.parametrize("key", ["", "a" * 256, "two words", "caf\u00e9"])
def test_a_malformed_key_is_refused(october, people, key):
    response = send(client_for(people.alice), COMMENTS, on_p2(), key=key)

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"Idempotency-Key"}
    assert not Comment.objects.exists()


def test_a_key_expires_after_a_day(october, people):
    client = client_for(people.alice)
    send(client, COMMENTS, on_p2())
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=24, seconds=1))

    response = send(client, COMMENTS, on_p2("A day later, another comment."))

    assert response.status_code == 201
    assert REPLAYED not in response
    assert Comment.objects.count() == 2


def test_the_prune_command_deletes_expired_keys(october, people):
    client = client_for(people.alice)
    send(client, COMMENTS, on_p2(), key="old")
    send(client, COMMENTS, on_p2("Newer."), key="new")
    IdempotencyKey.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))

    call_command("prune_idempotency_keys", verbosity=0)

    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


# Every creating endpoint ------------------------------------------------------------------


def test_a_flag_is_not_repeated(october, people):
    comment = post(people.bob, october, "p2")
    client = client_for(people.alice)

    first, again = sent_twice(client, comment_url(comment.pk, "flags/"), {"reason": "spam"})

    assert_replayed(first, again, 201)
    assert Flag.objects.count() == 1


def test_a_reading_group_is_not_founded_twice(october, people):
    client = client_for(people.alice)
    body = {"name": "Tuesday readers", "works": ["october-1917"]}

    first, again = sent_twice(client, "/api/v1/groups/", body)

    assert_replayed(first, again, 201)
    assert ReadingGroup.objects.count() == 1


def test_a_group_copy_is_not_made_twice(october, people):
    group = group_create(owner=people.alice, name="Autumn", works=["october-1917"])
    client = client_for(people.alice)
    body = {"name": "Winter"}

    first, again = sent_twice(client, f"/api/v1/groups/{group.slug}/copy/", body)

    assert_replayed(first, again, 201)
    assert ReadingGroup.objects.count() == 2


def test_a_rotated_invitation_is_not_rotated_again(october, people):
    group = group_create(owner=people.alice, name="Autumn", works=["october-1917"])
    client = client_for(people.alice)
    url = f"/api/v1/groups/{group.slug}/invitation/rotate/"

    first = send(client, url, {})
    code = ReadingGroup.objects.get().invite_code
    again = send(client, url, {})

    assert_replayed(first, again, 200)
    assert ReadingGroup.objects.get().invite_code == code


@pytest.mark.parametrize("action", ["suspend", "ban"])
def test_a_sanction_is_not_given_twice(october, people, action):
    client = client_for(make_moderator())
    body = {"reason": "Spam, again."}
    if action == "suspend":
        body["until"] = (timezone.now() + timedelta(days=7)).isoformat()

    first, again = sent_twice(client, f"/api/v1/users/bob/{action}/", body)

    assert_replayed(first, again, 201)
    assert Sanction.objects.count() == 1


def test_a_decision_retried_gets_its_answer_not_a_conflict(october, people):
    comment = post(people.bob, october, "p2")
    client = client_for(make_moderator())
    url = comment_url(comment.pk, "moderate/")

    first, again = sent_twice(client, url, {"action": "hide", "reason": "Off topic."})

    assert_replayed(first, again, 200)


def test_every_creating_operation_documents_the_header_and_its_refusal(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    posts = {path: ops["post"] for path, ops in schema["paths"].items() if "post" in ops}

    assert len(posts) >= 11
    for path, operation in posts.items():
        headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
        assert "Idempotency-Key" in headers, path
        assert headers["Idempotency-Key"]["schema"]["maxLength"] == 255
        assert "422" in operation["responses"], path
