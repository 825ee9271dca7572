"""The seams between the core and its wings: the write policy the core asks, the events it
sends after commit, and the moderation queue offering exactly the decisions the service
takes."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from commentary import events, policy
from commentary.accounts.deletion import account_delete
from commentary.accounts.events import account_deleted, member_renamed
from commentary.accounts.profiles import profile_update
from commentary.errors import ModerationConflict
from commentary.groups.events import group_copied, member_joined, member_left, reach_changed
from commentary.groups.services import (
    group_copy,
    group_leave,
    group_update,
    member_remove,
    ownership_transfer,
)
from commentary.models import Comment
from commentary.moderation import trust
from commentary.moderation.decisions import (
    DECISIONS,
    comment_moderate,
    decisions_open,
    flag_create,
)
from commentary.moderation.models import Flag
from commentary.services import comment_create, comment_delete, comment_edit
from edition.events import version_published
from edition.services import version_publish
from tests.commentary.builders import make_user, paragraph_of, post, set_status
from tests.commentary.group_people import join, make_seminar
from tests.commentary.moderation_people import make_flaggers, make_moderator
from tests.edition.builders import build_version, heading, para

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """What each event was sent with, in order."""
    log = []

    def listener(signal_name):
        def receive(sender, **payload):
            log.append((signal_name, payload))

        return receive

    receivers = {
        "comment_created": listener("comment_created"),
        "comment_edited": listener("comment_edited"),
        "comment_deleted": listener("comment_deleted"),
        "comment_decided": listener("comment_decided"),
        "member_joined": listener("member_joined"),
        "member_left": listener("member_left"),
        "version_published": listener("version_published"),
        "comment_flagged": listener("comment_flagged"),
        "reach_changed": listener("reach_changed"),
        "group_copied": listener("group_copied"),
        "account_deleted": listener("account_deleted"),
        "member_renamed": listener("member_renamed"),
    }
    signals = {
        "comment_created": events.comment_created,
        "comment_edited": events.comment_edited,
        "comment_deleted": events.comment_deleted,
        "comment_decided": events.comment_decided,
        "member_joined": member_joined,
        "member_left": member_left,
        "version_published": version_published,
        "comment_flagged": events.comment_flagged,
        "reach_changed": reach_changed,
        "group_copied": group_copied,
        "account_deleted": account_deleted,
        "member_renamed": member_renamed,
    }
    for name, signal in signals.items():
        signal.connect(receivers[name], weak=False)
    yield log
    for name, signal in signals.items():
        signal.disconnect(receivers[name])


# The write policy ---------------------------------------------------------------------------


class HeldPoster:
    def __init__(self, asked):
        self.asked = asked

    def ensure_may_write(self, *, group_id=None):
        self.asked.append("ensure_may_write")

    def admit(self, *, work, group):
        self.asked.append("admit")
        return policy.Admission(status=Comment.Status.PENDING, wait=0)


class HoldEverything:
    """A policy of a site that reads every comment before it is shown."""

    def __init__(self):
        self.asked = []

    def ensure_may_write(self, user, *, group_id=None):
        self.asked.append("ensure_may_write")

    def poster(self, author, *, group_id=None):
        self.asked.append("poster")
        return HeldPoster(self.asked)

    def status_after_edit(self, comment, editor):
        return comment.status

    def edit_requeued(self, comment, before):
        pass

    def edit_wait(self, user):
        return 0

    def held_as_new(self, user):
        return True

    def refusal(self, user, *, group_id=None):
        return ""


@pytest.fixture
def site_policy():
    registered = policy.write_policy()
    yield registered
    policy.register_write_policy(registered)


def test_the_services_ask_the_registered_policy(site_policy, alice, work):
    holding = HoldEverything()
    policy.register_write_policy(holding)

    comment = comment_create(author=alice, body="Held.", paragraph=paragraph_of(work))

    assert comment.status == Comment.Status.PENDING
    assert holding.asked == ["poster", "ensure_may_write", "admit"]


def test_with_no_policy_nothing_is_written(site_policy, alice, work):
    policy.register_write_policy(None)

    with pytest.raises(ImproperlyConfigured):
        comment_create(author=alice, body="Refused.", paragraph=paragraph_of(work))
    assert not Comment.objects.exists()


def test_a_post_asks_whether_its_author_is_new_once(alice, work, monkeypatch):
    asked = []
    real = trust.new_member_read
    monkeypatch.setattr(
        trust, "new_member_read", lambda user, **read: asked.append(user) or real(user, **read)
    )
    monkeypatch.setattr(trust, "is_new_member", lambda user: pytest.fail("asked again"))

    post(alice, work)

    assert asked == [alice]


# Events -------------------------------------------------------------------------------------


def test_comment_events_are_sent_after_commit_with_the_comment(
    heard, alice, work, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        comment = post(alice, work)
    assert heard == []  # not before the commit
    for callback in pending:
        callback()
    with django_capture_on_commit_callbacks(execute=True):
        comment_edit(comment=comment, editor=alice, body="Reworded.")
        comment_delete(comment=comment, by=alice)

    assert [(name, payload["comment"].pk) for name, payload in heard] == [
        ("comment_created", comment.pk),
        ("comment_edited", comment.pk),
        ("comment_deleted", comment.pk),
    ]
    assert heard[1][1]["status_changed"] is False


def test_a_rolled_back_write_sends_nothing(heard, alice, work, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        post(alice, work)
        raise RuntimeError("rolled back")
    assert heard == []


def test_decisions_and_flags_that_hide_send_one_event_each(
    heard, alice, work, django_capture_on_commit_callbacks, settings
):
    mona = make_moderator()
    held = set_status(post(alice, work), Comment.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(action="approve", comment=held, moderator=mona)
    settings.SCHOLIA_FLAGS_TO_HIDE = 2
    flagged = post(alice, work, body="Flag me.")
    with django_capture_on_commit_callbacks(execute=True):
        for flagger in make_flaggers(2):
            flag_create(comment=flagged, user=flagger, reason="spam")

    decided = [payload for name, payload in heard if name == "comment_decided"]
    assert [(p["comment"].pk, p["decision"].action, p["status_changed"]) for p in decided] == [
        (held.pk, "approve", True),
        (flagged.pk, "hide", True),
    ]


def test_members_joining_and_leaving_are_events(heard, work, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        group, olga, gus = make_seminar(work)
        ida = make_user("ida")
        join(group, ida)
        group_leave(group=group, user=gus)
        member_remove(group=group, by=olga, user=ida, reason="Asked to.")

    membership = [(name, p.get("user", None) or p.get("user_id")) for name, p in heard]
    assert membership == [
        ("member_joined", olga),  # its founder, as owner
        ("member_joined", gus),
        ("member_joined", ida),
        ("member_left", gus.pk),
        ("member_left", ida.pk),
    ]
    assert heard[-1][1]["removed_by"] == olga


def test_what_changes_a_members_reach_into_a_group_is_an_event(
    heard, work, django_capture_on_commit_callbacks
):
    group, olga, gus = make_seminar(work)
    ida = make_user("ida")
    join(group, ida)
    with django_capture_on_commit_callbacks(execute=True):
        group_update(group=group, by=olga, name="Renamed, nothing else")
        group_update(group=group, by=olga, post_first=True)
        ownership_transfer(group=group, by=olga, to=gus)
        ownership_transfer(group=group, by=gus, to=olga)  # olga was a moderator: no change

    assert [(name, p["group"].pk, p["user_ids"]) for name, p in heard] == [
        ("reach_changed", group.pk, sorted([gus.pk, ida.pk])),
        ("reach_changed", group.pk, [gus.pk]),
    ]


def test_a_copy_a_flag_a_new_name_and_a_deleted_account_are_events(
    heard, work, django_capture_on_commit_callbacks
):
    group, olga, gus = make_seminar(work)
    first = post(olga, work, "p3", "Read this.", group=group)
    theirs = post(gus, work, "p3", "Gus's.", group=group)
    gus = type(gus).objects.get(pk=gus.pk)  # as a request loads them: named "Gus" already
    with django_capture_on_commit_callbacks(execute=True):
        copy = group_copy(group=group, by=olga, name="Next term", include_leader_comments=True)
        group_copy(group=group, by=olga, name="Without comments")
        flag_create(comment=theirs, user=olga, reason=Flag.Reason.OFF_TOPIC)
        profile_update(user=gus, display_name="Gus", affiliation="Somewhere", bio="")
        profile_update(user=gus, display_name="Gus G.", affiliation="", bio="")
        account_delete(user=gus)

    told = [(name, p) for name, p in heard if name != "member_joined"]
    assert [name for name, _p in told] == [
        "group_copied",
        "comment_flagged",
        "member_renamed",
        "account_deleted",
    ]
    copied = told[0][1]
    assert copied["group"] == copy and copied["original"] == group
    assert copied["comment_ids"] == [copy.comments.get().pk] != [first.pk]
    assert told[1][1]["comment"].pk == theirs.pk
    assert told[2][1]["user_id"] == gus.pk
    assert told[3][1]["user_id"] == gus.pk


def test_a_failing_listener_does_not_keep_the_others_from_hearing(
    heard, alice, work, django_capture_on_commit_callbacks, caplog
):
    def broken(sender, **payload):
        raise ValueError("broken listener")

    events.comment_created.connect(broken, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            post(alice, work)
    finally:
        events.comment_created.disconnect(broken)
    assert [name for name, _payload in heard] == ["comment_created"]
    assert "A listener" in caplog.text


# The queue's decisions ----------------------------------------------------------------------


@pytest.mark.parametrize("status", ["pending", "published", "hidden", "rejected"])
@pytest.mark.parametrize("flagged", [False, True])
def test_the_queue_offers_exactly_the_decisions_the_service_takes(alice, work, status, flagged):
    mona = make_moderator()
    comment = post(alice, work)
    if flagged:
        Flag.objects.create(comment=comment, user=make_user("fred"), reason="spam")
    set_status(comment, status)
    offered = set(decisions_open(Comment.objects.get(pk=comment.pk), among=DECISIONS))

    taken = set()
    for action in DECISIONS:
        with transaction.atomic():
            try:
                comment_moderate(
                    action=action, comment=Comment.objects.get(pk=comment.pk), moderator=mona
                )
            except ModerationConflict:
                continue
            taken.add(action)
            transaction.set_rollback(True)

    assert offered == taken


def test_publishing_a_version_is_an_event(heard, work, django_capture_on_commit_callbacks):
    draft = build_version(
        work, [heading("Chapter One", key="p1"), para("Reworded.", key="p2")], publish=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        version_publish(version=draft)

    assert [(name, payload["version"].pk) for name, payload in heard] == [
        ("version_published", draft.pk)
    ]
