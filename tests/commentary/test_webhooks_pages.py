"""The webhooks settings page, without JavaScript: register (the secret shown once), see
the log, send a test event, disable and enable again, rotate, delete; another member's
endpoint is a 404."""

import pytest
from standardwebhooks import Webhook

from commentary.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.commentary.builders import client_for
from tests.commentary.webhook_receiver import start_receiver

pytestmark = pytest.mark.django_db

LIST = "/settings/webhooks/"


@pytest.fixture
def receiver():
    running = start_receiver()
    yield running
    running.close()


def register(client, url: str, events=("comment.created",)):
    return client.post(LIST, {"target_url": url, "events": list(events), "description": "mine"})


def test_registering_shows_the_secret_once(alice, receiver):
    client = client_for(alice)
    response = register(client, receiver.url)
    assert response.status_code == 302 and response["Location"] == "/settings/webhooks/secret/"
    endpoint = WebhookEndpoint.objects.get()
    shown = client.get("/settings/webhooks/secret/")
    assert endpoint.secret in shown.content.decode()
    again = client.get("/settings/webhooks/secret/")
    assert again.status_code == 302
    listed = client.get(LIST).content.decode()
    assert receiver.url in listed and endpoint.secret not in listed


def test_a_bad_url_is_refused_on_the_form(alice, settings):
    settings.SCHOLIA_WEBHOOKS_ALLOWED_NETWORKS = []
    response = register(client_for(alice), "http://192.168.0.1/hook")
    assert response.status_code == 200
    assert "only to public addresses" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_decision_made_is_offered_only_to_moderators(alice):
    assert "decision.made" not in client_for(alice).get(LIST).content.decode()


def test_the_test_event_and_the_log(alice, receiver, django_capture_on_commit_callbacks):
    client = client_for(alice)
    register(client, receiver.url)
    endpoint = WebhookEndpoint.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/settings/webhooks/{endpoint.pk}/test/")
    assert response.status_code == 302
    Webhook(endpoint.secret).verify(receiver.received[0].body, receiver.received[0].headers)
    page = client.get(f"/settings/webhooks/{endpoint.pk}/").content.decode()
    delivery = WebhookDelivery.objects.get()
    assert "webhook.test" in page and delivery.message_id in page
    assert "Answered with 2xx (200)" in page
    assert f"{delivery.latency_ms} ms" in page


def test_disable_enable_rotate_edit_and_delete(alice):
    client = client_for(alice)
    register(client, "https://hooks.example.org/in")
    endpoint = WebhookEndpoint.objects.get()
    detail = f"/settings/webhooks/{endpoint.pk}/"

    client.post(f"{detail}enable/", {"enabled": "0"})
    endpoint.refresh_from_db()
    assert endpoint.disabled_reason == "owner"
    assert "Enable again" in client.get(detail).content.decode()
    client.post(f"{detail}enable/", {"enabled": "1"})
    endpoint.refresh_from_db()
    assert endpoint.is_enabled

    old = endpoint.secret
    assert client.post(f"{detail}rotate-secret/")["Location"] == "/settings/webhooks/secret/"
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.old_secret == old
    shown = client.get("/settings/webhooks/secret/").content.decode()
    assert endpoint.secret in shown and old not in shown
    assert "each delivery is signed with the old secret too" in shown
    assert "still signs each delivery, beside the new one" in client.get(detail).content.decode()
    client.post(f"{detail}rotate-secret/", {"rotate-revoke_old": "on"})
    endpoint.refresh_from_db()
    assert endpoint.old_secret == ""
    shown = client.get("/settings/webhooks/secret/").content.decode()
    assert "the old one no longer signs" in shown

    edited = client.post(
        detail,
        {"target_url": "https://hooks.example.org/other", "events": ["comment.deleted"]},
    )
    assert edited.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.target_url.endswith("/other") and endpoint.event_list == ["comment.deleted"]

    refused = client.post(f"{detail}delete/")
    assert refused.status_code == 400
    assert "Tick the box to confirm that the webhook should go." in refused.content.decode()
    assert WebhookEndpoint.objects.exists()
    deleted = client.post(f"{detail}delete/", {"delete-confirm": "on"})
    assert deleted["Location"] == LIST
    assert not WebhookEndpoint.objects.exists()


def test_a_disabled_endpoint_says_why(alice):
    client = client_for(alice)
    register(client, "https://hooks.example.org/in")
    WebhookEndpoint.objects.update(disabled_reason="failing", disabled_at="2026-01-01T00:00Z")
    page = client.get(f"/settings/webhooks/{WebhookEndpoint.objects.get().pk}/").content.decode()
    assert "Too many failed deliveries in a row" in page


def test_another_members_endpoint_is_a_404(alice, bob):
    register(client_for(alice), "https://hooks.example.org/in")
    pk = WebhookEndpoint.objects.get().pk
    bob_client = client_for(bob)
    assert bob_client.get(f"/settings/webhooks/{pk}/").status_code == 404
    for action in ("test", "enable", "rotate-secret", "delete"):
        assert bob_client.post(f"/settings/webhooks/{pk}/{action}/").status_code == 404
    assert WebhookEndpoint.objects.exists()


def test_anonymous_readers_are_sent_to_sign_in():
    response = client_for().get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
