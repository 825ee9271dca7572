"""Moderators' decisions on comments: the transitions, "already decided", the audit log."""

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction

from commentary.errors import CommentError, ModerationConflict
from commentary.models import Comment
from commentary.moderation.decisions import comment_moderate, comments_moderate, flag_create
from commentary.moderation.models import Flag, ModerationEvent
from commentary.moderation.moderators import MODERATE_PERMISSION, MODERATORS_GROUP, is_moderator
from tests.commentary.builders import post, set_status
from tests.commentary.moderation_people import make_flaggers, make_moderator

pytestmark = pytest.mark.django_db

Status = Comment.Status


@pytest.fixture
def mona():
    return make_moderator()


def test_the_migrations_give_the_moderators_group_the_permission(alice):
    group = Group.objects.get(name=MODERATORS_GROUP)
    assert group.permissions.filter(codename="moderate_comment").exists()
    assert not is_moderator(alice)
    alice.groups.add(group)
    alice = type(alice).objects.get(pk=alice.pk)
    assert alice.has_perm(MODERATE_PERMISSION)
    assert is_moderator(alice)


@pytest.mark.parametrize("status", ["pending", "rejected", "hidden"])
def test_a_moderator_sees_every_unpublished_comment_and_others_do_not(
    alice, bob, work, mona, status
):
    comment = set_status(post(alice, work), status)

    assert comment in Comment.objects.visible_to(mona)
    assert comment in Comment.objects.visible_beyond_public(mona)
    assert comment not in Comment.objects.visible_to(bob)


def test_an_inactive_moderator_sees_no_more_than_anyone(alice, work, mona):
    comment = set_status(post(alice, work), Status.PENDING)
    mona.is_active = False

    assert comment not in Comment.objects.visible_to(mona)


@pytest.mark.parametrize(
    ("start", "decide", "end"),
    [
        ("pending", "approve", "published"),
        ("pending", "reject", "rejected"),
        ("published", "hide", "hidden"),
        ("hidden", "restore", "published"),
    ],
)
def test_each_decision_moves_the_comment_and_writes_exactly_one_event(
    alice, work, mona, start, decide, end
):
    comment = set_status(post(alice, work), start)

    decided = comment_moderate(action=decide, comment=comment, moderator=mona, reason="Because.")

    assert decided.status == end
    assert Comment.objects.get(pk=comment.pk).status == end
    event = ModerationEvent.objects.get()
    assert (event.actor, event.comment, event.user) == (mona, decided, alice)
    assert (event.from_status, event.to_status, event.reason) == (start, end, "Because.")


@pytest.mark.parametrize(
    ("start", "decide"),
    [
        ("published", "approve"),
        ("rejected", "reject"),
        ("hidden", "hide"),
        ("published", "restore"),
        ("published", "keep"),
    ],
)
def test_a_decision_that_no_longer_applies_is_already_decided(alice, work, mona, start, decide):
    comment = set_status(post(alice, work), start)

    with pytest.raises(ModerationConflict, match="Already decided"):
        comment_moderate(action=decide, comment=comment, moderator=mona)
    assert not ModerationEvent.objects.exists()


def test_a_second_moderator_acting_on_what_he_saw_gets_already_decided(alice, work, mona):
    other = make_moderator("otto")
    comment = set_status(post(alice, work), Status.PENDING)

    comment_moderate(
        action="approve", comment=comment, moderator=mona, expected_status=Status.PENDING
    )
    with pytest.raises(ModerationConflict):
        comment_moderate(
            action="reject", comment=comment, moderator=other, expected_status=Status.PENDING
        )

    assert Comment.objects.get(pk=comment.pk).status == Status.PUBLISHED
    assert ModerationEvent.objects.count() == 1


def test_only_a_moderator_decides(alice, bob, work):
    comment = set_status(post(alice, work), Status.PENDING)

    with pytest.raises(CommentError):
        comment_moderate(action="approve", comment=comment, moderator=bob)
    with pytest.raises(CommentError):
        comment_moderate(comment=comment, moderator=bob, action="delete")
    assert Comment.objects.get(pk=comment.pk).status == Status.PENDING


def test_the_audit_log_cannot_be_edited_or_deleted(alice, work, mona):
    comment_moderate(action="hide", comment=post(alice, work), moderator=mona, reason="Off topic.")
    event = ModerationEvent.objects.get()

    event.reason = "Nothing to see."
    with pytest.raises(ModerationEvent.Immutable):
        event.save()
    with pytest.raises(ModerationEvent.Immutable):
        event.delete()
    with pytest.raises(ModerationEvent.Immutable):
        ModerationEvent.objects.update(reason="Rewritten.")
    with pytest.raises(ModerationEvent.Immutable):
        ModerationEvent.objects.all().delete()
    assert ModerationEvent.objects.get().reason == "Off topic."


# Flags


def test_enough_distinct_flags_hide_a_comment_until_a_moderator_keeps_it(
    alice, work, mona, settings
):
    settings.SCHOLIA_FLAGS_TO_HIDE = 3
    comment = post(alice, work, body="Contested.")
    first, second, third = make_flaggers(3)

    flag_create(comment=comment, user=first, reason="spam")
    flag_create(comment=comment, user=second, reason="off_topic")
    assert Comment.objects.get(pk=comment.pk).status == Status.PUBLISHED
    flag_create(comment=comment, user=third, reason="other", note="Rude.")

    assert Comment.objects.get(pk=comment.pk).status == Status.HIDDEN
    hiding = ModerationEvent.objects.get()
    assert (hiding.actor, hiding.action, hiding.to_status) == (None, "hide", "hidden")
    assert comment.pk in Comment.objects.awaiting_moderation().values_list("pk", flat=True)

    comment_moderate(action="keep", comment=comment, moderator=mona, reason="Harsh but fair.")

    assert Comment.objects.get(pk=comment.pk).status == Status.PUBLISHED
    assert not Flag.objects.open().exists()
    assert comment.pk not in Comment.objects.awaiting_moderation().values_list("pk", flat=True)
    assert ModerationEvent.objects.filter(action="keep", actor=mona).count() == 1


def test_a_moderator_can_confirm_a_hide_by_flags(alice, work, mona, settings):
    settings.SCHOLIA_FLAGS_TO_HIDE = 1
    comment = post(alice, work)
    flag_create(comment=comment, user=make_flaggers(1)[0], reason="spam")

    comment_moderate(action="hide", comment=comment, moderator=mona)

    assert Comment.objects.get(pk=comment.pk).status == Status.HIDDEN
    assert not Flag.objects.open().exists()
    with pytest.raises(ModerationConflict):
        comment_moderate(action="hide", comment=comment, moderator=mona)


def test_a_member_flags_a_comment_once_and_never_their_own(alice, bob, work):
    comment = post(alice, work)

    with pytest.raises(CommentError, match="your own"):
        flag_create(comment=comment, user=alice, reason="spam")
    flag_create(comment=comment, user=bob, reason="spam")
    with pytest.raises(CommentError, match="already flagged"):
        flag_create(comment=comment, user=bob, reason="offensive")
    assert Flag.objects.count() == 1


def test_a_flag_for_another_reason_needs_a_note(alice, bob, work):
    comment = post(alice, work)

    with pytest.raises(CommentError) as refused:
        flag_create(comment=comment, user=bob, reason="other", note="  ")
    assert "note" in refused.value.message_dict
    with pytest.raises(CommentError):
        flag_create(comment=comment, user=bob, reason="boring")
    assert not Flag.objects.exists()


def test_the_queue_holds_pending_and_flagged_comments_oldest_first(alice, bob, work, mona):
    flagged = post(alice, work, body="Flagged.")
    held = set_status(post(alice, work, body="Held."), Status.PENDING)
    post(alice, work, body="Quiet.")
    flag_create(comment=flagged, user=bob, reason="spam")

    assert list(Comment.objects.awaiting_moderation()) == [flagged, held]


def test_postgresql_refuses_to_rewrite_the_audit_log_even_in_raw_sql(alice, work, mona):
    if connection.vendor != "postgresql":
        pytest.skip("the database-level guard is PostgreSQL's; SQLite has the model's")
    comment_moderate(action="hide", comment=post(alice, work), moderator=mona, reason="Off topic.")
    table = ModerationEvent._meta.db_table

    for statement in (f"UPDATE {table} SET reason = 'Rewritten.'", f"DELETE FROM {table}"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert ModerationEvent.objects.get().reason == "Off topic."


def test_a_bulk_decision_acts_on_each_comment_once_and_reports_those_already_decided(
    alice, work, mona
):
    first, second, third = (set_status(post(alice, work), Status.PENDING) for _ in range(3))
    comment_moderate(action="approve", comment=second, moderator=make_moderator("otto"))

    result = comments_moderate(
        comments=[first, second, third], moderator=mona, action="reject", reason="Spam."
    )

    assert [c.pk for c in result.decided] == [first.pk, third.pk]
    assert result.already_decided == [second]
    assert set(Comment.objects.values_list("status", flat=True)) == {"rejected", "published"}
    assert ModerationEvent.objects.filter(actor=mona, action="reject").count() == 2
