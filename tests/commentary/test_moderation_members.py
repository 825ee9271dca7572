"""Members under moderation: new members held, trust, sanctions and rate limits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from commentary.errors import CommentError, CommentRateLimited, MemberSanctioned, ModerationConflict
from commentary.models import Comment
from commentary.moderation.decisions import comment_moderate, flag_create, initial_status
from commentary.moderation.models import ModerationEvent
from commentary.moderation.sanctions import user_ban, user_reinstate, user_suspend
from commentary.moderation.trust import is_new_member, member_trust_set
from commentary.services import comment_edit
from edition.models import ModerationPolicy
from tests.commentary.builders import post
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db

Status = Comment.Status


@pytest.fixture
def mona():
    return make_moderator()


@pytest.fixture
def new_members(settings):
    settings.SCHOLIA_NEW_MEMBER_HELD = 3


# New members and trust


def test_a_new_members_first_comments_are_held_on_an_open_work(alice, work, mona, new_members):
    held = [post(alice, work, body=f"Number {n}.") for n in range(3)]
    assert [c.status for c in held] == [Status.PENDING] * 3

    for comment in held:
        comment_moderate(action="approve", comment=comment, moderator=mona)

    assert not is_new_member(alice)
    assert post(alice, work, body="Now trusted.").status == Status.PUBLISHED


def test_a_moderators_comments_are_never_held(work, mona, new_members):
    work.moderation_policy = ModerationPolicy.PREMODERATED

    assert initial_status(author=mona, work=work) == Status.PUBLISHED


def test_a_new_members_edit_sends_an_approved_comment_back_to_the_queue(
    alice, work, mona, new_members
):
    comment = comment_moderate(
        action="approve", comment=post(alice, work, body="Approved words."), moderator=mona
    )

    edited = comment_edit(comment=comment, editor=alice, body="Different words.")

    assert edited.status == Status.PENDING
    requeued = ModerationEvent.objects.get(action="requeue")
    assert (requeued.actor, requeued.from_status, requeued.to_status) == (
        None,
        "published",
        "pending",
    )


def test_an_established_members_edit_stays_published(alice, work):
    comment = post(alice, work)

    assert comment_edit(comment=comment, editor=alice, body="Better.").status == Status.PUBLISHED


def test_a_moderator_grants_and_removes_trust_each_time_with_an_event(
    alice, work, mona, new_members
):
    member_trust_set(user=alice, moderator=mona, trusted=True, reason="Known scholar.")
    assert post(alice, work).status == Status.PUBLISHED

    member_trust_set(user=alice, moderator=mona, trusted=False)
    assert post(alice, work).status == Status.PENDING
    with pytest.raises(ModerationConflict):
        member_trust_set(user=alice, moderator=mona, trusted=False)

    assert list(ModerationEvent.objects.order_by("pk").values_list("action", "user")) == [
        ("trust", alice.pk),
        ("distrust", alice.pk),
    ]


# Sanctions


def test_a_suspended_member_cannot_post_edit_or_flag_and_is_told_until_when(alice, bob, work, mona):
    mine = post(bob, work, body="Mine.")
    theirs = post(alice, work)
    until = timezone.now() + timedelta(days=3)
    user_suspend(user=bob, moderator=mona, until=until, reason="Spamming.")

    for attempt in (
        lambda: post(bob, work),
        lambda: post(bob, work, parent=theirs),
        lambda: comment_edit(comment=mine, editor=bob, body="Edited."),
        lambda: flag_create(comment=theirs, user=bob, reason="spam"),
    ):
        with pytest.raises(MemberSanctioned) as refused:
            attempt()
        message = refused.value.messages[0]
        assert "suspended until" in message
        assert str(until.year) in message
        assert "Spamming." in message
    assert Comment.objects.filter(author=bob).count() == 1


def test_a_banned_member_is_refused_until_reinstated(alice, bob, work, mona):
    user_ban(user=bob, moderator=mona, reason="Abuse.")
    with pytest.raises(MemberSanctioned, match="banned"):
        post(bob, work)

    user_reinstate(user=bob, moderator=mona, reason="Appeal heard.")

    assert post(bob, work).status == Status.PUBLISHED
    assert list(
        ModerationEvent.objects.order_by("pk").values_list("action", "from_status", "to_status")
    ) == [
        ("ban", "active", "ban"),
        ("reinstate", "ban", "active"),
    ]


def test_a_suspension_that_has_ended_no_longer_refuses(bob, work, mona):
    sanction = user_suspend(
        user=bob, moderator=mona, until=timezone.now() + timedelta(hours=1), reason="Cool off."
    )
    type(sanction).objects.filter(pk=sanction.pk).update(
        until=timezone.now() - timedelta(seconds=1)
    )

    assert post(bob, work).status == Status.PUBLISHED


def test_a_sanction_needs_a_reason_and_a_suspension_a_future_end(bob, mona):
    with pytest.raises(CommentError):
        user_ban(user=bob, moderator=mona, reason=" ")
    with pytest.raises(CommentError):
        user_suspend(user=bob, moderator=mona, until=timezone.now(), reason="Late.")
    with pytest.raises(ModerationConflict):
        user_reinstate(user=bob, moderator=mona)
    assert not ModerationEvent.objects.exists()


# Rate limits


def test_new_members_post_under_a_tighter_limit(alice, work, settings, new_members):
    settings.SCHOLIA_COMMENT_RATE = "10/60"
    settings.SCHOLIA_NEW_MEMBER_COMMENT_RATE = "2/60"
    post(alice, work)
    post(alice, work)

    with pytest.raises(CommentRateLimited):
        post(alice, work)


def test_flagging_is_rate_limited_and_moderators_are_exempt(alice, bob, work, mona, settings):
    first, second = post(alice, work), post(alice, work, key="p4")
    settings.SCHOLIA_FLAG_RATE = "1/60"
    settings.SCHOLIA_COMMENT_RATE = "1/60"
    flag_create(comment=first, user=bob, reason="spam")

    with pytest.raises(CommentRateLimited, match="flagging too fast") as refused:
        flag_create(comment=second, user=bob, reason="spam")
    assert refused.value.retry_after > 0
    flag_create(comment=first, user=mona, reason="spam")
    flag_create(comment=second, user=mona, reason="spam")
    post(mona, work)
    post(mona, work)
