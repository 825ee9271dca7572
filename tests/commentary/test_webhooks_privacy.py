"""Who webhooks tell: the one visibility rule, when a delivery is made and again when it
is sent. The group canary (a comment gus writes in olga's seminar) reaches the endpoints
of its members only: never an outsider's (alice), a site moderator's outside the group
(mona), nor a member's once removed. "Post first" holds, and decisions reach only those
who moderate the comment."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commentary.groups.services import member_remove
from commentary.moderation.decisions import comment_moderate
from commentary.webhooks.deliveries import deliveries_send_due
from commentary.webhooks.models import WebhookDelivery
from commentary.webhooks.services import endpoint_create
from tests.commentary.builders import make_user, post
from tests.commentary.group_people import CANARY, group_post, join, make_seminar
from tests.commentary.moderation_people import make_moderator
from tests.commentary.webhook_receiver import start_receiver

pytestmark = pytest.mark.django_db

COMMENT_EVENTS = ["comment.created", "comment.updated", "comment.deleted"]


@pytest.fixture
def receivers():
    started = []

    def start():
        receiver = start_receiver()
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.close()


def hooked(owner, receivers, events=COMMENT_EVENTS, **limits):
    receiver = receivers()
    endpoint = endpoint_create(owner=owner, target_url=receiver.url, events=events, **limits)
    receiver.secret = endpoint.secret
    return receiver


def bodies(receiver) -> list[dict]:
    return [json.loads(received.body) for received in receiver.received]


def told_of(receiver) -> set[int]:
    return {body["data"]["id"] for body in bodies(receiver)}


def in_commit(callbacks, write):
    with callbacks(execute=True):
        return write()


@pytest.fixture
def seminar(work):
    return make_seminar(work)


def test_the_group_canary_reaches_members_only(
    seminar, work, alice, receivers, django_capture_on_commit_callbacks
):
    group, olga, gus = seminar
    mona = make_moderator()
    outsider = hooked(alice, receivers)
    moderator = hooked(mona, receivers, events=[*COMMENT_EVENTS, "decision.made"])
    inactive_owner = make_user("ivy")
    join(group, inactive_owner)
    inactive = hooked(inactive_owner, receivers)
    inactive_owner.is_active = False
    inactive_owner.save()
    member = hooked(gus, receivers)
    owner = hooked(olga, receivers, group=group)

    canary = in_commit(django_capture_on_commit_callbacks, lambda: group_post(gus, work, group))

    assert CANARY not in str([r.body for r in member.received])  # thin payloads
    assert told_of(member) == {canary.pk}
    assert told_of(owner) == {canary.pk}
    assert bodies(owner)[0]["data"]["group"] == group.slug
    for nobody in (outsider, moderator, inactive):
        assert nobody.received == []
    assert set(WebhookDelivery.objects.values_list("endpoint__owner__username", flat=True)) == {
        "gus",
        "olga",
    }


def test_a_public_comment_reaches_everybody_but_not_group_limited_endpoints(
    seminar, work, alice, bob, receivers, django_capture_on_commit_callbacks
):
    group, olga, gus = seminar
    everybody = hooked(alice, receivers)
    group_only = hooked(gus, receivers, group=group)
    comment = in_commit(django_capture_on_commit_callbacks, lambda: post(bob, work))
    assert told_of(everybody) == {comment.pk}
    assert group_only.received == []


def test_a_member_removed_from_the_group_is_told_nothing_further(
    seminar, work, receivers, django_capture_on_commit_callbacks
):
    group, olga, gus = seminar
    hal = make_user("hal")
    join(group, hal)
    removed = hooked(hal, receivers)
    first = in_commit(django_capture_on_commit_callbacks, lambda: group_post(gus, work, group))
    assert told_of(removed) == {first.pk}

    in_commit(
        django_capture_on_commit_callbacks,
        lambda: member_remove(group=group, by=olga, user=hal),
    )
    in_commit(django_capture_on_commit_callbacks, lambda: group_post(gus, work, group, body="2"))
    assert told_of(removed) == {first.pk}


def test_a_delivery_waiting_when_access_is_lost_is_dropped_not_sent(
    seminar, work, receivers, django_capture_on_commit_callbacks
):
    group, olga, gus = seminar
    hal = make_user("hal")
    join(group, hal)
    removed = hooked(hal, receivers)
    removed.statuses = [500]
    in_commit(django_capture_on_commit_callbacks, lambda: group_post(gus, work, group))
    assert len(removed.received) == 1
    waiting = WebhookDelivery.objects.get(status=WebhookDelivery.Status.PENDING)

    member_remove(group=group, by=olga, user=hal)
    deliveries_send_due(now=timezone.now() + timedelta(minutes=1))

    waiting.refresh_from_db()
    assert waiting.status == WebhookDelivery.Status.DROPPED
    assert "no longer read" in waiting.error
    assert len(removed.received) == 1


def test_post_first_is_respected(work, receivers, django_capture_on_commit_callbacks):
    group, olga, gus = make_seminar(work, post_first=True)
    pia = make_user("pia")
    join(group, pia)
    newcomer = hooked(pia, receivers)

    before = in_commit(django_capture_on_commit_callbacks, lambda: group_post(gus, work, group))
    assert newcomer.received == []

    own = in_commit(
        django_capture_on_commit_callbacks, lambda: group_post(pia, work, group, body="Mine.")
    )
    after = in_commit(
        django_capture_on_commit_callbacks, lambda: group_post(gus, work, group, body="Later.")
    )
    assert told_of(newcomer) == {own.pk, after.pk}
    assert before.pk not in told_of(newcomer)


def test_decisions_reach_only_those_who_moderate_the_comment(
    seminar, work, alice, bob, receivers, django_capture_on_commit_callbacks
):
    group, olga, gus = seminar
    mona = make_moderator()
    site_moderator = hooked(mona, receivers, events=["decision.made"])
    leader = hooked(olga, receivers, events=["decision.made"])
    reader = hooked(alice, receivers, events=["comment.updated"])

    public = in_commit(django_capture_on_commit_callbacks, lambda: post(bob, work))
    in_commit(
        django_capture_on_commit_callbacks,
        lambda: comment_moderate(comment=public, moderator=mona, action="hide"),
    )
    canary = in_commit(django_capture_on_commit_callbacks, lambda: group_post(gus, work, group))
    in_commit(
        django_capture_on_commit_callbacks,
        lambda: comment_moderate(comment=canary, moderator=olga, action="hide"),
    )

    assert told_of(site_moderator) == {public.pk}
    assert told_of(leader) == {canary.pk}
    assert {body["type"] for body in bodies(leader)} == {"decision.made"}
    # A reader is not told of a comment hidden from them.
    assert reader.received == []


def test_decision_made_is_refused_to_those_who_moderate_nothing(alice):
    with pytest.raises(ValidationError) as refused:
        endpoint_create(owner=alice, target_url="https://example.org/h", events=["decision.made"])
    assert "events" in refused.value.message_dict


def test_an_endpoint_is_limited_only_to_a_group_its_owner_belongs_to(seminar, alice):
    group, olga, gus = seminar
    with pytest.raises(ValidationError) as refused:
        endpoint_create(
            owner=alice, target_url="https://example.org/h", events=COMMENT_EVENTS, group=group
        )
    assert refused.value.message_dict["group"] == ["You are not a member of this reading group."]


def test_whether_an_owner_may_read_is_asked_once_however_many_endpoints_they_have(
    seminar, work, bob, receivers, django_capture_on_commit_callbacks, monkeypatch
):
    from commentary.webhooks import deliveries

    group, olga, gus = seminar
    asked = []
    real_may_read = deliveries.may_read

    def counting(owner, *arguments, **options):
        asked.append(owner.pk)
        return real_may_read(owner, *arguments, **options)

    monkeypatch.setattr(deliveries, "may_read", counting)
    first, second = hooked(gus, receivers), hooked(gus, receivers)
    outsider = hooked(bob, receivers)
    comment = in_commit(django_capture_on_commit_callbacks, lambda: group_post(gus, work, group))
    # Once per owner when the event is made, then once per delivery when it is sent.
    assert sorted(asked) == sorted([gus.pk, bob.pk, gus.pk, gus.pk])
    assert told_of(first) == told_of(second) == {comment.pk}
    assert outsider.received == []
