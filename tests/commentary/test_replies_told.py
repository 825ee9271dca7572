"""Replies, follows and mentions reach the people they concern, after commit, and only
those who may read the comment: the group canary never reaches an outsider."""

import pytest

from commentary.groups.services import member_remove
from commentary.moderation.decisions import comment_moderate
from commentary.notifications.follows import follow_create, follow_delete, settings_update
from commentary.notifications.models import Follow, Kind, Notification
from commentary.notifications.services import unread_total
from commentary.services import comment_delete
from tests.commentary.builders import make_user, paragraph_of, post, set_status
from tests.commentary.group_people import CANARY, group_post, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db(transaction=True)


def told(user) -> list[tuple[str, int | None]]:
    return [
        (note.kind, note.comment_id)
        for note in Notification.objects.for_recipient(user).order_by("pk")
    ]


def test_it_tells_the_author_of_the_comment_replied_to(alice, bob, work):
    first = post(alice, work)

    reply = post(bob, work, parent=first, body="I disagree.")

    assert told(alice) == [(Kind.REPLY, reply.pk)]
    assert told(bob) == []
    assert unread_total(alice) == 1


def test_writing_a_comment_follows_its_thread(alice, bob, work):
    charlie = make_user("charlie")
    first = post(alice, work)
    post(bob, work, parent=first)

    third = post(charlie, work, parent=first)

    assert (Kind.THREAD, third.pk) in told(bob)
    assert Follow.objects.filter(user=bob, target="thread", thread=first).exists()


def test_a_member_may_switch_off_following_what_they_write(alice, bob, work):
    charlie = make_user("charlie")
    settings_update(user=bob, follow_own_threads=False)
    first = post(alice, work)
    post(bob, work, parent=first)

    post(charlie, work, parent=first)

    assert told(bob) == []


def test_followers_of_a_paragraph_and_a_work_are_told_once_each(alice, bob, work):
    charlie = make_user("charlie")
    follow_create(user=bob, work=work, paragraph=paragraph_of(work, "p3"))
    follow_create(user=charlie, work=work)
    follow_create(user=charlie, work=work, paragraph=paragraph_of(work, "p3"))

    comment = post(alice, work, "p3")
    other = post(alice, work, "p4")

    assert told(bob) == [(Kind.PARAGRAPH, comment.pk)]
    assert told(charlie) == [(Kind.PARAGRAPH, comment.pk), (Kind.WORK, other.pk)]


def test_a_follower_of_a_thread_is_told_of_that_thread_only(alice, bob, work):
    charlie = make_user("charlie")
    followed, other = post(alice, work, body="Followed."), post(alice, work, body="Other.")
    post(bob, work, parent=followed)  # bob now follows the first thread

    post(charlie, work, parent=other)
    reply = post(charlie, work, parent=followed)

    assert told(bob) == [(Kind.THREAD, reply.pk)]


def test_unfollowing_stops_it(alice, bob, work):
    follow_create(user=bob, work=work)
    follow_delete(user=bob, work=work)

    post(alice, work)

    assert told(bob) == []


def test_a_mention_tells_the_member_named_and_links_their_profile(alice, bob, work):
    comment = post(alice, work, body="What do you think, @bob? Mail me at a@bob.org.")

    assert told(bob) == [(Kind.MENTION, comment.pk)]
    assert '<a href="/users/bob/" rel="nofollow ugc noopener">@bob</a>' in comment.body_html
    assert "a@bob.org" in comment.body_html


def test_a_mention_of_nobody_is_plain_text(alice, work):
    comment = post(alice, work, body="Hello @nobody.")

    assert "<a" not in comment.body_html


def test_a_held_comment_tells_nobody_until_approved(alice, bob, work):
    follow_create(user=bob, work=work)
    comment = set_status(post(alice, work), "published")
    Notification.objects.all().delete()
    held = post(alice, work, body="Held")
    set_status(held, "pending")
    Notification.objects.filter(comment=held).delete()  # told when it was briefly published
    assert told(bob) == []

    comment_moderate(action="approve", comment=held, moderator=make_moderator(), reason="")

    assert told(bob) == [(Kind.WORK, held.pk)]
    assert comment.pk  # the earlier one was told and removed above


def test_hiding_or_deleting_withdraws_unread_notifications(alice, bob, work):
    follow_create(user=bob, work=work)
    hidden = post(alice, work, body="To be hidden")
    deleted = post(alice, work, body="To be deleted")
    assert unread_total(bob) == 2

    comment_moderate(action="hide", comment=hidden, moderator=make_moderator(), reason="")
    comment_delete(comment=deleted, by=alice)

    assert told(bob) == []
    assert unread_total(bob) == 0


def test_the_group_canary_reaches_members_and_never_outsiders(alice, bob, work):
    group, olga, gus = make_seminar(work)
    for outsider in (alice, bob):
        follow_create(user=outsider, work=work)
        follow_create(user=outsider, work=work, paragraph=paragraph_of(work, "p3"))
    follow_create(user=olga, work=work)
    root = group_post(olga, work, group, body="Olga opens.")
    Notification.objects.all().delete()

    canary = group_post(gus, work, group, parent=root, body=f"{CANARY} @alice @olga")

    assert told(olga) == [(Kind.MENTION, canary.pk)]
    assert Notification.objects.filter(recipient__in=[alice, bob]).count() == 0


def test_a_removed_member_stops_reading_what_they_were_told_at_once(alice, work):
    group, olga, gus = make_seminar(work)
    follow_create(user=gus, work=work)
    canary = group_post(olga, work, group)
    assert told(gus) == [(Kind.WORK, canary.pk)]
    assert unread_total(gus) == 1

    member_remove(group=group, by=olga, user=gus)

    assert told(gus) == []
    assert unread_total(gus) == 0
    group_post(olga, work, group, key="p4")
    assert Notification.objects.filter(recipient=gus).count() == 1  # the old one, unreadable


def test_a_post_first_member_is_told_that_the_group_wrote_never_what(work):
    group, olga, gus = make_seminar(work, post_first=True)
    follow_create(user=gus, work=work)

    group_post(olga, work, group)
    group_post(olga, work, group, body="Another one on the same paragraph.")

    (note,) = Notification.objects.for_recipient(gus)
    assert (note.kind, note.comment_id, note.group_id) == (Kind.GROUP_WROTE, None, group.pk)
    assert note.paragraph.key == "p3"
