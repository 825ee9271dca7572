"""Webhook endpoints through the API: each member's own (404 for others, 401 anonymous),
``read`` to read and ``write`` to change, the secret shown on creation and rotation only,
clear 400s for bad URLs, a test event, and the delivery log.

alice owns endpoints; bob is another member; gus belongs to olga's seminar.
"""

import pytest
from rest_framework.test import APIClient
from standardwebhooks import Webhook

from commentary.accounts.tokens import token_create
from commentary.webhooks.models import WebhookEndpoint
from tests.api.comment_fixtures import client_for, make_people
from tests.commentary.group_people import make_seminar
from tests.commentary.webhook_receiver import start_receiver

pytestmark = pytest.mark.django_db

WEBHOOKS = "/api/v1/webhooks/"
EVENTS = ["comment.created", "comment.deleted"]


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def receiver():
    running = start_receiver()
    yield running
    running.close()


def with_key(user, *scopes, **options) -> APIClient:
    key = token_create(user=user, name="script", scopes=list(scopes), **options)[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def register(client, url="https://hooks.example.org/in", **fields):
    return client.post(WEBHOOKS, {"target_url": url, "events": EVENTS, **fields}, format="json")


def test_it_registers_an_endpoint_showing_its_secret_once(people):
    client = client_for(people.alice)
    response = register(client, description="mirror")

    assert response.status_code == 201
    body = response.json()
    assert body["secret"].startswith("whsec_")
    assert len(Webhook(body["secret"])._whsecret) >= 24
    assert body["events"] == EVENTS
    assert body["enabled"] is True
    assert response["Location"] == body["url"]
    again = client.get(body["url"]).json()
    assert "secret" not in again
    assert "secret" not in client.get(WEBHOOKS).json()[0]


@pytest.mark.parametrize(
    "url, message",
    [
        ("ftp://example.org/x", "Use an http:// or https:// URL."),
        ("not a url", "Use an http:// or https:// URL."),
        ("http://10.0.0.1/hook", "public addresses"),
        ("http://169.254.169.254/", "metadata"),
    ],
)
def test_bad_urls_are_a_clear_400(people, settings, url, message):
    settings.SCHOLIA_WEBHOOKS_ALLOWED_NETWORKS = []
    response = register(client_for(people.alice), url)
    assert response.status_code == 400
    assert message in response.json()["errors"]["target_url"][0]


def test_unknown_events_and_no_events_are_a_400(people):
    client = client_for(people.alice)
    assert register(client, events=[]).status_code == 400
    assert register(client, events=["comment.eaten"]).status_code == 400
    response = register(client, events=["decision.made"])
    assert response.status_code == 400
    assert "moderators" in response.json()["errors"]["events"][0]


def test_a_group_limit_needs_membership(people, october):
    group, olga, gus = make_seminar(october)
    assert register(client_for(gus), group=group.slug).status_code == 201
    refused = register(client_for(people.alice), group=group.slug)
    missing = register(client_for(people.alice), group="no-such-group")
    assert refused.status_code == missing.status_code == 400
    assert refused.json()["errors"] == missing.json()["errors"]


def test_a_token_limited_to_groups_registers_only_in_them(october):
    group, olga, gus = make_seminar(october)
    client = with_key(gus, "read", "write", group_slugs=[group.slug])
    assert register(client).status_code == 400
    assert register(client, group=group.slug).status_code == 201


def test_another_members_endpoint_is_a_404(people):
    endpoint = register(client_for(people.alice)).json()
    bob = client_for(people.bob)
    pk = endpoint["id"]
    assert bob.get(endpoint["url"]).status_code == 404
    assert bob.patch(endpoint["url"], {"description": "x"}, format="json").status_code == 404
    assert bob.delete(endpoint["url"]).status_code == 404
    assert bob.post(f"{WEBHOOKS}{pk}/rotate-secret/").status_code == 404
    assert bob.post(f"{WEBHOOKS}{pk}/test/").status_code == 404
    assert bob.get(f"{WEBHOOKS}{pk}/deliveries/").status_code == 404
    assert bob.get(WEBHOOKS).json() == []


def test_anonymous_clients_get_401(people):
    assert APIClient().get(WEBHOOKS).status_code == 401
    assert register(APIClient()).status_code == 401


def test_scopes_read_to_list_write_to_change(people):
    reader = with_key(people.alice, "read")
    assert reader.get(WEBHOOKS).status_code == 200
    refused = register(reader)
    assert refused.status_code == 403
    assert 'scope="write"' in refused["WWW-Authenticate"]
    assert register(with_key(people.alice, "write")).status_code == 201


def test_update_enable_disable_and_delete(people):
    client = client_for(people.alice)
    url = register(client).json()["url"]
    changed = client.patch(url, {"events": ["comment.updated"], "enabled": False}, format="json")
    assert changed.status_code == 200
    assert changed.json()["events"] == ["comment.updated"]
    assert changed.json()["enabled"] is False
    assert changed.json()["disabled_reason"] == "owner"
    WebhookEndpoint.objects.update(failures_in_row=20)
    enabled = client.patch(url, {"enabled": True}, format="json").json()
    assert enabled["enabled"] is True and enabled["failures_in_row"] == 0
    assert client.patch(url, {"target_url": "gopher://x"}, format="json").status_code == 400
    assert client.put(url, {}, format="json").status_code == 405
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404


def test_rotating_gives_a_new_secret_once(people):
    client = client_for(people.alice)
    created = register(client).json()
    rotated = client.post(f"{WEBHOOKS}{created['id']}/rotate-secret/")
    assert rotated.status_code == 200
    assert rotated.json()["secret"].startswith("whsec_")
    assert rotated.json()["secret"] != created["secret"]
    assert WebhookEndpoint.objects.get().secret == rotated.json()["secret"]
    assert rotated.json()["old_secret_signs_until"] is not None
    assert WebhookEndpoint.objects.get().old_secret == created["secret"]
    shown = client.get(f"{WEBHOOKS}{created['id']}/").json()
    assert "secret" not in shown and "old_secret" not in shown
    assert shown["old_secret_signs_until"] == rotated.json()["old_secret_signs_until"]


def test_rotating_with_revoke_old_stops_the_old_secret_at_once(people):
    client = client_for(people.alice)
    created = register(client).json()
    url = f"{WEBHOOKS}{created['id']}/rotate-secret/"
    rotated = client.post(url, {"revoke_old": True}, format="json")
    assert rotated.status_code == 200
    assert rotated.json()["old_secret_signs_until"] is None
    assert WebhookEndpoint.objects.get().old_secret == ""
    refused = client.post(url, {"revoke_old": "perhaps"}, format="json")
    assert refused.status_code == 400
    assert "revoke_old" in refused.content.decode()


def test_the_test_event_is_sent_and_logged(people, receiver, django_capture_on_commit_callbacks):
    client = client_for(people.alice)
    created = register(client, receiver.url).json()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{WEBHOOKS}{created['id']}/test/")
    assert response.status_code == 202
    assert response.json()["event_type"] == "webhook.test"
    received = receiver.received[0]
    assert Webhook(created["secret"]).verify(received.body, received.headers)["type"] == (
        "webhook.test"
    )
    log = client.get(f"{WEBHOOKS}{created['id']}/deliveries/").json()
    assert log["results"][0]["status"] == "succeeded"
    assert log["results"][0]["status_code"] == 200
    assert log["results"][0]["latency_ms"] is not None
    assert log["results"][0]["payload"]["type"] == "webhook.test"


def test_the_delivery_log_is_paginated(people):
    client = client_for(people.alice)
    created = register(client).json()
    endpoint = WebhookEndpoint.objects.get()
    for _number in range(3):
        endpoint.deliveries.create(event_type="webhook.test", payload="{}")
    answer = client.get(f"{WEBHOOKS}{created['id']}/deliveries/?page_size=2")
    page = answer.json()
    assert len(page["results"]) == 2 and page["next"]
    assert len(client.get(page["next"]).json()["results"]) == 1
    assert client.get(f"{WEBHOOKS}{created['id']}/deliveries/?page_size=0").status_code == 400


def test_the_root_lists_webhooks(people):
    assert APIClient().get("/api/v1/").json()["webhooks"].endswith("/api/v1/webhooks/")
