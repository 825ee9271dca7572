"""Deliveries: made for an event, sent by the background task queue, retried, logged.

- ``event_deliver`` (called by the listeners, after the event's commit) makes one delivery
  per enabled endpoint that wants the event and whose owner may read what it is about, and
  enqueues its sending. Nothing is sent in the request.
- ``delivery_send`` (the task's body) sends one attempt, if its owner may still read what
  it is about (else it is logged as dropped), and decides what follows: success; another
  attempt after ``RETRY_DELAYS`` (with jitter); the endpoint disabled after a 410 Gone or
  ``MAX_FAILURES_IN_ROW`` failed attempts in a row, its owner told.
- ``deliveries_send_due`` sends every attempt whose time has come: what ``manage.py
  send_webhooks`` runs, for backends that cannot enqueue a task to run later.

The one visibility rule decides who is told (``Comment.objects.visible_to``), both when the
delivery is made and when it is sent; a decision only reaches an owner who moderates the
comment (``Comment.objects.moderated_by``).
"""

import json
import random
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from commentary.models import Comment
from commentary.webhooks import sending
from commentary.webhooks.models import TEST_EVENT, EventType, WebhookDelivery, WebhookEndpoint
from commentary.webhooks.signing import signed_headers
from commentary.webhooks.wanted import wanted_events
from config.request_origin import request_origin
from config.site.caching import site_origin
from edition.models import Version

DEVELOPMENT_ORIGIN = "http://127.0.0.1:8000"
# The wait before each further attempt: 8 attempts in all, over about 42 hours. Each wait
# is lengthened by up to a fifth at random (jitter), so that receivers coming back after an
# outage are not hit by every retry at once; never beyond a day.
RETRY_DELAYS = [
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=24),
]
MAX_DELAY = timedelta(hours=24)
MAX_FAILURES_IN_ROW = 20
COMMENT_EVENTS = {
    EventType.COMMENT_CREATED,
    EventType.COMMENT_UPDATED,
    EventType.COMMENT_DELETED,
    EventType.DECISION_MADE,
}

Status = WebhookDelivery.Status


def retry_delay(attempt: int) -> timedelta | None:
    """The wait after failed attempt ``attempt`` (1 for the first), with jitter; None when
    it was the last."""
    if attempt > len(RETRY_DELAYS):
        return None
    base = RETRY_DELAYS[attempt - 1]
    return min(base * (1 + random.random() / 5), MAX_DELAY)


def _origin() -> str:
    return site_origin() or request_origin() or DEVELOPMENT_ORIGIN


def _payload(event_type: str, data: dict) -> str:
    body = {"type": event_type, "timestamp": timezone.now().isoformat(), "data": data}
    return json.dumps(body, separators=(",", ":"), sort_keys=True)


def _comment_data(comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "work": comment.work.slug,
        "group": comment.group.slug if comment.group_id else None,
        "url": _origin() + reverse("api:comment-detail", kwargs={"id": comment.pk}),
    }


def _version_data(version: Version) -> dict:
    return {
        "id": version.pk,
        "work": version.work.slug,
        "number": version.number,
        "url": _origin()
        + reverse(
            "api:version-detail", kwargs={"slug": version.work.slug, "number": version.number}
        ),
    }


def may_read(owner, event_type: str, *, comment_id: int | None, version_id: int | None) -> bool:
    """Whether ``owner`` may be told of this event now: an active member who may read the
    comment (``visible_to``: groups, "post first" and all), and moderates it for a
    decision; published versions are everybody's."""
    if owner is None or not owner.is_active:
        return False
    if event_type in COMMENT_EVENTS:
        comments = Comment.objects.visible_to(owner)
        if event_type == EventType.DECISION_MADE:
            comments = comments.moderated_by(owner)
        return comments.filter(pk=comment_id).exists()
    if event_type == EventType.VERSION_PUBLISHED:
        return Version.objects.filter(pk=version_id, status=Version.Status.PUBLISHED).exists()
    return event_type == TEST_EVENT


def _enqueue(delivery: WebhookDelivery) -> None:
    """Send ``delivery`` from the task queue once it is due: now, or later if the backend
    can wait (otherwise ``send_webhooks`` sends it when due)."""
    from commentary.webhooks.tasks import webhook_send

    if delivery.next_attempt_at <= timezone.now():
        webhook_send.enqueue(delivery.pk)
    elif webhook_send.get_backend().supports_defer:
        webhook_send.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)


def _on_commit_enqueue(deliveries: list[WebhookDelivery]) -> None:
    for delivery in deliveries:
        transaction.on_commit(lambda delivery=delivery: _enqueue(delivery))


def event_deliver(event_type: str, *, comment: Comment | None = None, version=None) -> int:
    """Make a delivery of ``event_type`` for every endpoint that wants it and whose owner
    may read it, and enqueue their sending after the commit. Returns how many. An event
    no enabled endpoint is subscribed to asks the database nothing (``wanted``)."""
    if event_type not in wanted_events():
        return 0
    endpoints = WebhookEndpoint.objects.enabled().wanting(event_type).select_related("owner")
    work_id = comment.work_id if comment is not None else version.work_id
    endpoints = endpoints.filter(Q(work__isnull=True) | Q(work_id=work_id))
    if comment is not None:
        # A group's comment reaches the endpoints limited to it or to no group; a comment
        # of the public discussion only those limited to no group.
        in_layer = Q(group_id=comment.group_id) if comment.group_id else Q(pk__in=[])
        endpoints = endpoints.filter(Q(group__isnull=True) | in_layer)
    else:
        # A version reaches an endpoint limited to a group only if the group reads the work.
        endpoints = endpoints.filter(group__isnull=True) | endpoints.filter(
            group__works=version.work_id
        )
    endpoints = list(endpoints.distinct())
    if not endpoints:
        return 0
    subject = {
        "comment_id": comment.pk if comment is not None else None,
        "version_id": version.pk if version is not None else None,
    }
    data = _comment_data(comment) if comment is not None else _version_data(version)
    payload = _payload(event_type, data)
    # Asked once per owner, however many of their endpoints want the event.
    readable: dict[int, bool] = {}
    for endpoint in endpoints:
        if endpoint.owner_id not in readable:
            readable[endpoint.owner_id] = may_read(endpoint.owner, event_type, **subject)
    deliveries = [
        WebhookDelivery(endpoint=endpoint, event_type=event_type, payload=payload, **subject)
        for endpoint in endpoints
        if readable[endpoint.owner_id]
    ]
    WebhookDelivery.objects.bulk_create(deliveries)
    _on_commit_enqueue(deliveries)
    return len(deliveries)


def test_deliver(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A ``webhook.test`` event for ``endpoint``, enabled or not, sent by the task queue."""
    data = {
        "endpoint": endpoint.pk,
        "url": _origin() + reverse("api:webhook-detail", kwargs={"id": endpoint.pk}),
    }
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event_type=TEST_EVENT, payload=_payload(TEST_EVENT, data)
    )
    _on_commit_enqueue([delivery])
    return delivery


def _claim(delivery_id: int) -> WebhookDelivery | None:
    """The pending delivery ``delivery_id``, now marked as being sent; None if another
    worker has it, or it is not pending. Never sent twice."""
    claimed = WebhookDelivery.objects.filter(pk=delivery_id, status=Status.PENDING).update(
        status=Status.SENDING, attempted_at=timezone.now()
    )
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("endpoint__owner").get(pk=delivery_id)


def _finish(delivery: WebhookDelivery, status: str, **fields) -> None:
    fields["status"] = status
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
    for name, value in fields.items():
        setattr(delivery, name, value)


def delivery_send(delivery_id: int) -> WebhookDelivery | None:
    """Send pending delivery ``delivery_id`` (see the module's docstring); returns it."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    if not endpoint.is_enabled and delivery.event_type != TEST_EVENT:
        _finish(delivery, Status.DROPPED, error="The endpoint is disabled.")
        return delivery
    if not may_read(
        endpoint.owner,
        delivery.event_type,
        comment_id=delivery.comment_id,
        version_id=delivery.version_id,
    ):
        _finish(delivery, Status.DROPPED, error="Its owner may no longer read what it is about.")
        return delivery
    body = delivery.payload.encode()
    moment = timezone.now()
    headers = signed_headers(
        secrets=endpoint.signing_secrets(moment),
        message_id=delivery.message_id,
        timestamp=int(moment.timestamp()),
        body=body,
    )
    answer = sending.post(endpoint.target_url, body=body, headers=headers)
    code = answer.status_code
    if code is not None and 200 <= code < 300:
        _finish(delivery, Status.SUCCEEDED, status_code=code, latency_ms=answer.latency_ms)
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failures_in_row=0)
        return delivery
    error = answer.error
    if code is not None and 300 <= code < 400:
        error = "A redirect is not followed: give the final URL."
    elif code is not None:
        error = f"The receiver answered {code}."
    _finish(delivery, Status.FAILED, status_code=code, latency_ms=answer.latency_ms, error=error)
    if delivery.event_type == TEST_EVENT:
        return delivery  # a test tells its sender; it is neither retried nor counted
    _after_failure(delivery, gone=code == 410)
    return delivery


def _after_failure(delivery: WebhookDelivery, *, gone: bool) -> None:
    from commentary.webhooks.services import endpoint_disable

    endpoint = delivery.endpoint
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failures_in_row=F("failures_in_row") + 1)
    endpoint.refresh_from_db(fields=["failures_in_row"])
    if gone:
        endpoint_disable(endpoint=endpoint, reason=WebhookEndpoint.DisabledReason.GONE)
        return
    if endpoint.failures_in_row >= MAX_FAILURES_IN_ROW:
        endpoint_disable(endpoint=endpoint, reason=WebhookEndpoint.DisabledReason.FAILING)
        return
    delay = retry_delay(delivery.attempt)
    if delay is None:
        return
    retry = WebhookDelivery.objects.create(
        endpoint=endpoint,
        message_id=delivery.message_id,
        event_type=delivery.event_type,
        payload=delivery.payload,
        comment_id=delivery.comment_id,
        version_id=delivery.version_id,
        attempt=delivery.attempt + 1,
        next_attempt_at=timezone.now() + delay,
    )
    _enqueue(retry)


def deliveries_send_due(now: datetime | None = None) -> int:
    """Send every pending delivery whose time has come, oldest first; returns how many
    were tried. What ``manage.py send_webhooks`` runs."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
    tried = 0
    for delivery_id in due.order_by("next_attempt_at", "pk").values_list("pk", flat=True):
        if delivery_send(delivery_id) is not None:
            tried += 1
    return tried
