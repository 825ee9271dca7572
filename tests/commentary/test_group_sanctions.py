"""Sanctions scoped to a reading group: its owner and moderators suspend or ban a member from
writing in the group only; the site's moderators' sanctions apply everywhere; a group's
sanctions and their events stay with its leaders.

Personas (group_people): olga owns the seminar, gus and una are members; mona moderates the
site and is not in the group; alice is an outsider.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from commentary.errors import CommentError, MemberSanctioned, ModerationConflict
from commentary.groups.models import Membership
from commentary.models import Comment
from commentary.moderation.decisions import flag_create
from commentary.moderation.models import Flag, ModerationEvent, Sanction
from commentary.moderation.sanctions import ensure_may_write, user_ban, user_reinstate, user_suspend
from commentary.services import comment_edit
from tests.commentary.builders import client_for, htmx_headers, make_user, post
from tests.commentary.group_people import group_post, join, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db

LOG = "/moderation/log/"
REASON = "Spoilers for the next chapter."


@pytest.fixture
def seminar(work):
    group, olga, gus = make_seminar(work)
    una = make_user("una", "Una")
    join(group, una)
    return group, olga, gus, una


@pytest.fixture
def mona():
    return make_moderator()


def in_a_week():
    return timezone.now() + timedelta(days=7)


# The services


def test_a_leader_suspends_a_member_from_writing_in_the_group_only(seminar, work):
    group, olga, gus, una = seminar
    user_suspend(user=gus, moderator=olga, until=in_a_week(), reason=REASON, group=group)

    with pytest.raises(MemberSanctioned) as refused:
        group_post(gus, work, group, body="In the group.")

    message = refused.value.messages[0]
    assert "suspended from writing in the group Tuesday seminar until" in message
    assert REASON in message
    assert post(gus, work, body="In public.").status == Comment.Status.PUBLISHED
    assert group_post(una, work, group, body="Una is not sanctioned.")


def test_a_group_ban_stops_every_write_in_the_group(seminar, work):
    group, olga, gus, una = seminar
    his = group_post(gus, work, group, body="His words.")
    hers = group_post(una, work, group, body="Her words.")
    user_ban(user=gus, moderator=olga, reason=REASON, group=group)

    for attempt in (
        lambda: group_post(gus, work, group, body="A new one."),
        lambda: post(gus, work, body="A reply.", parent=hers),
        lambda: comment_edit(comment=his, editor=gus, body="Changed."),
        lambda: flag_create(comment=hers, user=gus, reason=Flag.Reason.SPAM),
    ):
        with pytest.raises(MemberSanctioned, match="banned from writing in the group"):
            attempt()
    assert Comment.objects.filter(author=gus).count() == 1
    assert not Flag.objects.exists()


def test_the_sites_sanction_applies_in_every_group_too(seminar, work, mona):
    group, olga, gus, una = seminar
    user_suspend(user=gus, moderator=mona, until=in_a_week(), reason="Everywhere.")

    with pytest.raises(MemberSanctioned, match="Your account is suspended"):
        group_post(gus, work, group)
    with pytest.raises(MemberSanctioned, match="Your account is suspended"):
        post(gus, work)


def test_the_site_and_a_group_each_keep_their_own_sanction(seminar, mona):
    group, olga, gus, una = seminar
    user_suspend(user=gus, moderator=mona, until=in_a_week(), reason="Site.")
    user_ban(user=gus, moderator=olga, reason="Group.", group=group)

    assert Sanction.objects.in_force().filter(user=gus).count() == 2
    with pytest.raises(MemberSanctioned, match="Your account is suspended"):
        ensure_may_write(gus, group_id=group.pk)  # the site's is told first

    user_reinstate(user=gus, moderator=mona)

    with pytest.raises(MemberSanctioned, match="banned from writing in the group"):
        ensure_may_write(gus, group_id=group.pk)
    ensure_may_write(gus)  # the public discussion is open to him again


def test_each_group_sanction_writes_one_event_in_the_groups_log(seminar):
    group, olga, gus, una = seminar

    user_suspend(user=gus, moderator=olga, until=in_a_week(), reason=REASON, group=group)
    user_ban(user=gus, moderator=olga, reason="Again.", group=group)
    user_reinstate(user=gus, moderator=olga, group=group, reason="Apologised.")

    events = list(ModerationEvent.objects.order_by("pk"))
    assert [(e.action, e.group_id, e.from_status, e.to_status) for e in events] == [
        ("suspend", group.pk, "active", "suspend"),
        ("ban", group.pk, "suspend", "ban"),
        ("reinstate", group.pk, "ban", "active"),
    ]
    with pytest.raises(ModerationConflict):
        user_reinstate(user=gus, moderator=olga, group=group)
    assert ModerationEvent.objects.count() == 3


def test_a_group_moderator_sanctions_members_but_not_the_owner_nor_another_moderator(seminar):
    group, olga, gus, una = seminar
    Membership.objects.filter(group=group, user=una).update(role=Membership.Role.MODERATOR)
    victor = make_user("victor")
    join(group, victor)

    user_ban(user=victor, moderator=una, reason=REASON, group=group)
    with pytest.raises(CommentError) as refused:
        user_ban(user=olga, moderator=una, reason=REASON, group=group)
    assert refused.value.message_dict == {
        "user": ["The group's owner and moderators cannot be sanctioned in it."]
    }
    Membership.objects.create(group=group, user=make_user("walt"), role="moderator")
    with pytest.raises(CommentError, match="cannot be sanctioned in it"):
        user_ban(user=una, moderator=olga, reason=REASON, group=group)
    assert list(Sanction.objects.values_list("user__username", flat=True)) == ["victor"]


@pytest.mark.parametrize(
    "who, message",
    [
        ("gus", "Only the group's owner and moderators do that."),
        ("mona", "Only the group's owner and moderators do that."),
    ],
)
def test_only_the_groups_leaders_give_its_sanctions(seminar, mona, who, message):
    group, olga, gus, una = seminar
    moderator = {"gus": gus, "mona": mona}[who]

    with pytest.raises(CommentError) as refused:
        user_ban(user=una, moderator=moderator, reason=REASON, group=group)

    assert refused.value.message_dict == {"user": [message]}
    assert not Sanction.objects.exists() and not ModerationEvent.objects.exists()


def test_a_leader_sanctions_nobody_outside_the_group_nor_themselves(seminar, alice):
    group, olga, gus, una = seminar

    with pytest.raises(CommentError, match="not in this group"):
        user_ban(user=alice, moderator=olga, reason=REASON, group=group)
    with pytest.raises(CommentError, match="cannot sanction yourself"):
        user_ban(user=olga, moderator=olga, reason=REASON, group=group)
    with pytest.raises(CommentError, match="Only the site's moderators"):
        user_ban(user=alice, moderator=olga, reason=REASON)


def test_site_moderators_do_not_sanction_one_another(mona):
    other = make_moderator("max")

    with pytest.raises(CommentError, match="Moderators do not sanction one another"):
        user_ban(user=other, moderator=mona, reason=REASON)
    assert not Sanction.objects.exists()


# The pages: every write path in the group refuses, and says why and until when


def test_a_member_suspended_in_a_group_is_refused_on_every_page_that_writes_there(seminar, work):
    group, olga, gus, una = seminar
    his = group_post(gus, work, group, body="His words.")
    hers = group_post(una, work, group, body="Her words.")
    user_suspend(user=gus, moderator=olga, until=in_a_week(), reason=REASON, group=group)
    client = client_for(gus)

    for url, data in (
        (f"/comments/{hers.pk}/reply/", {"body": "A reply."}),
        (f"/comments/{his.pk}/edit/", {"body": "Changed."}),
        (f"/comments/{hers.pk}/flag/", {"reason": "spam"}),
    ):
        for headers in ({}, htmx_headers()):
            response = client.post(url, data, headers=headers)
            html = response.content.decode()
            assert response.status_code == 400, url
            assert "suspended from writing in the group Tuesday seminar until" in html
            assert REASON in html
    assert Comment.objects.filter(author=gus).count() == 1
    assert Comment.objects.get(pk=his.pk).body == "His words."
    assert not Flag.objects.exists()

    public = client.post("/works/october-1917/p/p3/comments/", {"body": "In public."})
    assert public.status_code == 302
    assert Comment.objects.filter(author=gus, group__isnull=True).exists()


# Privacy: a group's sanctions stay with its leaders


def test_a_groups_sanction_events_reach_its_leaders_only(seminar, mona, alice):
    group, olga, gus, una = seminar
    user_ban(user=gus, moderator=olga, reason=REASON, group=group)

    assert ModerationEvent.objects.visible_to(olga).count() == 1
    for outsider in (mona, una, gus, alice):
        assert not ModerationEvent.objects.visible_to(outsider).exists()
        assert not Sanction.objects.visible_to(outsider).exists()
    assert REASON in client_for(olga).get(LOG).content.decode()
    assert REASON not in client_for(mona).get(LOG).content.decode()
    assert REASON not in client_for(mona).get(LOG, {"user": "gus"}).content.decode()
    for member in (una, gus, alice):
        assert client_for(member).get(LOG).status_code == 404


def test_a_groups_sanctions_stay_off_the_site_moderators_member_page(seminar, mona):
    group, olga, gus, una = seminar
    user_ban(user=gus, moderator=olga, reason=REASON, group=group)

    html = client_for(mona).get("/moderation/members/gus/").content.decode()

    assert REASON not in html
    assert "Tuesday seminar" not in html
    assert "Never suspended or banned." in html


def test_a_sanctioned_member_may_still_delete_their_own_comment(seminar, work, mona):
    group, olga, gus, una = seminar
    his = group_post(gus, work, group, body="Words he regrets.")
    user_ban(user=gus, moderator=olga, reason=REASON, group=group)
    user_ban(user=gus, moderator=mona, reason="Everywhere.")

    # Taking one's own words down harms nobody: a sanction stops writing, not retracting.
    response = client_for(gus).post(f"/comments/{his.pk}/delete/")

    assert response.status_code in (200, 302)
    assert Comment.objects.get(pk=his.pk).is_deleted
