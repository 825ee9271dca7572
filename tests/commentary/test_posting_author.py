"""What a post reads of its author, in one query (``commentary.moderation.posting``): the
sanctions in force where they write, the site's told first; whether they are still a new
member (a moderator's decision, else their approved public comments up to the threshold);
their profile, for what the answer shows of them.

Personas (group_people): olga owns the seminar, gus is a member; mona moderates the site;
alice writes in public.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commentary.errors import MemberSanctioned
from commentary.models import Comment
from commentary.moderation.sanctions import user_ban, user_reinstate, user_suspend
from commentary.moderation.trust import member_trust_set
from tests.commentary.builders import post, set_status
from tests.commentary.group_people import group_post, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db

Status = Comment.Status


@pytest.fixture
def mona():
    return make_moderator()


@pytest.fixture
def new_members(settings):
    settings.SCHOLIA_NEW_MEMBER_HELD = 3


def queries_about_the_author(captured, user) -> list[str]:
    return [
        query["sql"]
        for query in captured
        if '"commentary_sanction"' in query["sql"]
        or '"commentary_profile"' in query["sql"]
        or ('FROM "auth_user"' in query["sql"] and str(user.pk) in query["sql"])
    ]


def test_a_post_reads_its_author_in_one_query(alice, work, new_members):
    with CaptureQueriesContext(connection) as captured:
        post(alice, work)

    [read] = queries_about_the_author(captured, alice)
    assert '"commentary_sanction"' in read
    assert '"commentary_profile"' in read
    assert "LIMIT 1 OFFSET 2" in read  # no further than the threshold-th approved comment


def test_the_sites_sanction_is_told_first_then_the_groups(work, mona):
    group, olga, gus = make_seminar(work)
    user_ban(user=gus, moderator=olga, reason="Group.", group=group)
    user_suspend(user=gus, moderator=mona, until=timezone.now() + timedelta(days=7), reason="Site.")

    with pytest.raises(MemberSanctioned, match="Your account is suspended"):
        group_post(gus, work, group)
    with pytest.raises(MemberSanctioned, match="Your account is suspended"):
        post(gus, work)

    user_reinstate(user=gus, moderator=mona)

    with pytest.raises(MemberSanctioned, match="banned from writing in the group"):
        group_post(gus, work, group)
    assert post(gus, work).status == Status.PUBLISHED  # the public discussion is open
    public = post(gus, work, body="Public.")
    assert post(gus, work, body="A public reply.", parent=public).status == Status.PUBLISHED


def test_a_reply_in_a_groups_thread_is_refused_by_that_groups_ban(work):
    group, olga, gus = make_seminar(work)
    thread = group_post(olga, work, group, body="The group's thread.")
    user_ban(user=gus, moderator=olga, reason="Group.", group=group)

    with pytest.raises(MemberSanctioned, match="banned from writing in the group"):
        post(gus, work, body="A reply.", parent=thread)
    assert not Comment.objects.filter(author=gus).exists()


def test_a_new_member_is_held_until_the_threshold_of_public_approvals(alice, work, new_members):
    group, olga, gus = make_seminar(work)
    for number in range(3):
        assert group_post(gus, work, group, body=f"In the group {number}.").status == "published"
    assert post(gus, work).status == Status.PENDING  # a group's approvals earn no trust

    held = [post(alice, work, body=f"Held {number}.") for number in range(3)]
    assert {comment.status for comment in held} == {Status.PENDING}
    set_status(held[0], Status.PUBLISHED)
    set_status(held[1], Status.PUBLISHED)
    assert post(alice, work).status == Status.PENDING  # two of three
    Comment.objects.filter(pk=held[2].pk).update(status=Status.PUBLISHED, deleted_at=timezone.now())
    assert post(alice, work).status == Status.PENDING  # a deleted one does not count

    Comment.objects.filter(pk=held[2].pk).update(deleted_at=None)
    assert post(alice, work).status == Status.PUBLISHED


def test_a_moderators_decision_on_trust_overrides_the_count(alice, work, mona, new_members):
    member_trust_set(user=alice, moderator=mona, trusted=True)
    assert post(alice, work).status == Status.PUBLISHED

    for _ in range(3):
        set_status(post(alice, work), Status.PUBLISHED)
    member_trust_set(user=alice, moderator=mona, trusted=False)
    assert post(alice, work).status == Status.PENDING

    member_trust_set(user=alice, moderator=mona, trusted=None)
    assert post(alice, work).status == Status.PUBLISHED


def test_a_moderator_is_never_a_new_member(work, mona, new_members):
    assert post(mona, work).status == Status.PUBLISHED


def test_the_authors_name_comes_with_the_read(alice, work):
    with CaptureQueriesContext(connection) as captured:
        comment = post(alice, work)
        name = comment.author.profile.display_name

    assert name == "Alice Liddell"
    assert len(queries_about_the_author(captured, alice)) == 1
