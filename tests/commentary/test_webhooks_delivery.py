"""Sending webhooks: Standard Webhooks signatures checked by PyPI's ``standardwebhooks``
at a real receiver on 127.0.0.1; retries and their schedule; 410 and 20 failures in a row
disabling an endpoint and telling its owner; no redirects; the timeout.

alice registers endpoints; bob writes the comments that are told of.
"""

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
import standardwebhooks.webhooks
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from commentary.services import comment_delete, comment_edit
from commentary.webhooks import deliveries, sending
from commentary.webhooks.deliveries import RETRY_DELAYS, deliveries_send_due, retry_delay
from commentary.webhooks.models import OLD_SECRET_OVERLAP, WebhookDelivery, WebhookEndpoint
from commentary.webhooks.services import endpoint_create, endpoint_rotate_secret
from tests.commentary.builders import post
from tests.commentary.webhook_receiver import start_receiver

pytestmark = pytest.mark.django_db

Status = WebhookDelivery.Status
ALL_COMMENT_EVENTS = ["comment.created", "comment.updated", "comment.deleted"]


@pytest.fixture
def receiver():
    running = start_receiver()
    yield running
    running.close()


@pytest.fixture
def hook(alice, receiver):
    endpoint = endpoint_create(owner=alice, target_url=receiver.url, events=ALL_COMMENT_EVENTS)
    receiver.secret = endpoint.secret
    return endpoint


def write(author, work, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return post(author, work, **kwargs)


def test_it_signs_deliveries_that_standardwebhooks_verifies(
    hook, receiver, bob, work, django_capture_on_commit_callbacks
):
    comment = write(bob, work, django_capture_on_commit_callbacks)

    assert len(receiver.received) == 1
    received = receiver.received[0]
    assert received.verified is True
    payload = Webhook(hook.secret).verify(received.body, received.headers)
    assert payload["type"] == "comment.created"
    assert payload["data"]["id"] == comment.pk
    assert payload["data"]["url"].endswith(f"/api/v1/comments/{comment.pk}/")
    assert "body" not in payload["data"]  # thin: ids and where to fetch
    datetime.fromisoformat(payload["timestamp"])
    assert received.headers["webhook-id"].startswith("msg_")
    assert received.headers["webhook-signature"].startswith("v1,")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.SUCCEEDED
    assert delivery.status_code == 200
    assert delivery.latency_ms is not None


def test_a_replayed_delivery_is_rejected_by_standardwebhooks(
    hook, receiver, bob, work, django_capture_on_commit_callbacks, monkeypatch
):
    write(bob, work, django_capture_on_commit_callbacks)
    captured = receiver.received[0]

    class TenMinutesLater(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz=tz) + timedelta(minutes=10)

    monkeypatch.setattr(standardwebhooks.webhooks, "datetime", TenMinutesLater)
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(hook.secret).verify(captured.body, captured.headers)
    # Sent again to the receiver as it was: refused there too.
    headers = {k: v for k, v in captured.headers.items() if k.lower().startswith("webhook-")}
    answer = sending.post(receiver.url, body=captured.body, headers=headers)
    assert answer.status_code == 400
    assert receiver.received[-1].verified is False


def test_a_tampered_delivery_is_rejected_by_standardwebhooks(
    hook, receiver, bob, work, django_capture_on_commit_callbacks
):
    write(bob, work, django_capture_on_commit_callbacks)
    captured = receiver.received[0]
    tampered = captured.body.replace(b'"comment.created"', b'"comment.deleted"')
    assert tampered != captured.body

    with pytest.raises(WebhookVerificationError, match="signature"):
        Webhook(hook.secret).verify(tampered, captured.headers)
    headers = {k: v for k, v in captured.headers.items() if k.lower().startswith("webhook-")}
    assert sending.post(receiver.url, body=tampered, headers=headers).status_code == 400


def test_a_rotated_secret_signs_from_then_on_and_the_old_one_beside_it_for_a_day(
    hook, receiver, bob, work, django_capture_on_commit_callbacks
):
    old = hook.secret
    endpoint_rotate_secret(endpoint=hook)
    assert hook.secret != old
    write(bob, work, django_capture_on_commit_callbacks)
    received = receiver.received[0]
    assert len(received.headers["webhook-signature"].split(" ")) == 2
    # A receiver that still holds the old secret, and one that took the new one, both accept.
    Webhook(hook.secret).verify(received.body, received.headers)
    Webhook(old).verify(received.body, received.headers)
    assert hook.old_secret_signs_until - hook.secret_rotated_at == OLD_SECRET_OVERLAP


def test_a_rotated_secret_stops_signing_when_its_day_is_over(
    hook, receiver, bob, work, django_capture_on_commit_callbacks
):
    old = hook.secret
    endpoint_rotate_secret(endpoint=hook)
    WebhookEndpoint.objects.filter(pk=hook.pk).update(
        old_secret_signs_until=timezone.now() - timedelta(seconds=1)
    )
    write(bob, work, django_capture_on_commit_callbacks)
    received = receiver.received[0]
    assert " " not in received.headers["webhook-signature"]
    Webhook(hook.secret).verify(received.body, received.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(received.body, received.headers)


def test_a_leaked_secret_revoked_at_rotation_never_signs_again(
    hook, receiver, bob, work, django_capture_on_commit_callbacks
):
    first = hook.secret
    endpoint_rotate_secret(endpoint=hook)
    second = hook.secret
    # Revoking at the next rotation drops the overlapping one as well as the one replaced.
    endpoint_rotate_secret(endpoint=hook, revoke_old=True)
    assert hook.old_secret == "" and hook.old_secret_signs_until is None
    write(bob, work, django_capture_on_commit_callbacks)
    received = receiver.received[0]
    Webhook(hook.secret).verify(received.body, received.headers)
    for gone in (first, second):
        with pytest.raises(WebhookVerificationError):
            Webhook(gone).verify(received.body, received.headers)


def test_only_the_secret_just_replaced_overlaps(
    hook, receiver, bob, work, django_capture_on_commit_callbacks
):
    first = hook.secret
    endpoint_rotate_secret(endpoint=hook)
    second = hook.secret
    endpoint_rotate_secret(endpoint=hook)
    write(bob, work, django_capture_on_commit_callbacks)
    received = receiver.received[0]
    Webhook(second).verify(received.body, received.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(first).verify(received.body, received.headers)


def test_edits_and_deletions_are_told(
    hook, receiver, bob, work, django_capture_on_commit_callbacks
):
    comment = write(bob, work, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        comment_edit(comment=comment, editor=bob, body="Changed.")
    with django_capture_on_commit_callbacks(execute=True):
        comment_delete(comment=comment, by=bob)

    types = [json.loads(r.body)["type"] for r in receiver.received]
    assert types == ["comment.created", "comment.updated", "comment.deleted"]


def test_retries_follow_the_schedule_with_jitter(monkeypatch):
    monkeypatch.setattr(deliveries.random, "random", lambda: 0.0)
    assert [retry_delay(n) for n in range(1, 8)] == RETRY_DELAYS
    assert retry_delay(8) is None
    monkeypatch.setattr(deliveries.random, "random", lambda: 0.999)
    assert retry_delay(1) > timedelta(seconds=5.9)
    assert retry_delay(7) == timedelta(hours=24)  # never beyond a day
    assert RETRY_DELAYS[0] == timedelta(seconds=5)


def test_a_failed_delivery_is_retried_when_due_with_the_same_message(
    hook, receiver, bob, work, django_capture_on_commit_callbacks
):
    receiver.statuses = [500, 503]
    write(bob, work, django_capture_on_commit_callbacks)

    first, retry = WebhookDelivery.objects.order_by("pk")
    assert (first.status, first.status_code, first.attempt) == (Status.FAILED, 500, 1)
    assert retry.status == Status.PENDING and retry.attempt == 2
    wait = retry.next_attempt_at - first.created_at
    assert timedelta(seconds=4) < wait < timedelta(seconds=7)
    assert deliveries_send_due() == 0  # not due yet
    assert len(receiver.received) == 1

    output = io.StringIO()
    call_command("send_webhooks", stdout=output)
    assert output.getvalue().strip() == "0 deliveries tried."
    assert deliveries_send_due(now=timezone.now() + timedelta(seconds=7)) == 1
    third = WebhookDelivery.objects.order_by("pk").last()
    assert third.attempt == 3
    assert third.next_attempt_at - timezone.now() > timedelta(minutes=4)
    assert deliveries_send_due(now=timezone.now() + timedelta(minutes=7)) == 1

    assert [r.headers["webhook-id"] for r in receiver.received] == [first.message_id] * 3
    assert len({r.headers["webhook-timestamp"] for r in receiver.received}) >= 1
    assert WebhookDelivery.objects.order_by("pk").last().status == Status.SUCCEEDED
    hook.refresh_from_db()
    assert hook.failures_in_row == 0


def test_a_delivery_is_claimed_so_it_is_never_sent_twice(
    hook, receiver, bob, work, django_capture_on_commit_callbacks
):
    receiver.statuses = [500]
    write(bob, work, django_capture_on_commit_callbacks)
    retry = WebhookDelivery.objects.get(status=Status.PENDING)
    assert deliveries.delivery_send(retry.pk) is not None
    assert deliveries.delivery_send(retry.pk) is None
    assert len(receiver.received) == 2


def test_410_gone_disables_the_endpoint_and_tells_its_owner(
    alice, hook, receiver, bob, work, django_capture_on_commit_callbacks
):
    EmailAddress.objects.create(user=alice, email="alice@example.org", primary=True, verified=True)
    receiver.statuses = [410]
    write(bob, work, django_capture_on_commit_callbacks)

    hook.refresh_from_db()
    assert not hook.is_enabled
    assert hook.disabled_reason == WebhookEndpoint.DisabledReason.GONE
    assert not WebhookDelivery.objects.filter(status=Status.PENDING).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]
    assert receiver.url in mail.outbox[0].body

    write(bob, work, django_capture_on_commit_callbacks)
    assert len(receiver.received) == 1


def test_twenty_failures_in_a_row_disable_the_endpoint_and_tell_its_owner(
    alice, hook, receiver, bob, work, django_capture_on_commit_callbacks
):
    EmailAddress.objects.create(user=alice, email="alice@example.org", primary=True, verified=True)
    receiver.statuses = [500] * 30
    for number in range(19):
        write(bob, work, django_capture_on_commit_callbacks, body=f"Comment {number}.")
    hook.refresh_from_db()
    assert hook.is_enabled and hook.failures_in_row == 19
    assert mail.outbox == []

    write(bob, work, django_capture_on_commit_callbacks, body="The twentieth.")
    hook.refresh_from_db()
    assert not hook.is_enabled
    assert hook.disabled_reason == WebhookEndpoint.DisabledReason.FAILING
    assert len(mail.outbox) == 1
    # What was waiting is not sent to a disabled endpoint.
    assert deliveries_send_due(now=timezone.now() + timedelta(days=3)) == 19
    assert len(receiver.received) == 20
    assert WebhookDelivery.objects.filter(status=Status.DROPPED).count() == 19


def test_a_success_resets_the_failures_in_a_row(
    hook, receiver, bob, work, django_capture_on_commit_callbacks
):
    receiver.statuses = [500, 500, 200]
    for number in range(3):
        write(bob, work, django_capture_on_commit_callbacks, body=f"Comment {number}.")
    hook.refresh_from_db()
    assert hook.failures_in_row == 0


def test_a_redirect_is_not_followed_and_is_a_failure(
    hook, receiver, bob, work, django_capture_on_commit_callbacks
):
    other = start_receiver()
    try:
        receiver.statuses = [302]
        receiver.redirect_to = other.url
        write(bob, work, django_capture_on_commit_callbacks)
        assert other.received == []
    finally:
        other.close()
    first = WebhookDelivery.objects.order_by("pk").first()
    assert first.status == Status.FAILED and first.status_code == 302
    assert "redirect" in first.error.lower()


def test_a_receiver_slower_than_the_timeout_fails(
    hook, receiver, bob, work, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(sending, "TIMEOUT", 0.3)
    receiver.delay = 1.0
    write(bob, work, django_capture_on_commit_callbacks)
    first = WebhookDelivery.objects.order_by("pk").first()
    assert first.status == Status.FAILED
    assert first.status_code is None
    assert "timed out" in first.error
    assert first.latency_ms < 1000


def test_the_test_event_reaches_even_a_disabled_endpoint(
    hook, receiver, django_capture_on_commit_callbacks
):
    from commentary.webhooks.deliveries import test_deliver
    from commentary.webhooks.services import endpoint_update

    endpoint_update(endpoint=hook, by=hook.owner, enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        test_deliver(hook)
    payload = Webhook(hook.secret).verify(receiver.received[0].body, receiver.received[0].headers)
    assert payload["type"] == "webhook.test"
    assert payload["data"]["endpoint"] == hook.pk


def test_timestamps_are_unix_seconds(hook, receiver, bob, work, django_capture_on_commit_callbacks):
    write(bob, work, django_capture_on_commit_callbacks)
    sent = int(receiver.received[0].headers["webhook-timestamp"])
    assert abs(sent - datetime.now(UTC).timestamp()) < 60
