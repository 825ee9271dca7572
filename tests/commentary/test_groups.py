"""Reading groups: founding, invitations, leaving, hand-over, copying; a comment's group,
which its replies keep; what members, leaders and outsiders see of it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from commentary.access import group_comment_counts, paragraph_comment_counts
from commentary.errors import CommentError
from commentary.groups.invitations import group_invite_disable, group_invite_rotate, group_join
from commentary.groups.models import Membership, ReadingGroup
from commentary.groups.services import (
    group_copy,
    group_create,
    group_leave,
    group_update,
    member_remove,
    ownership_transfer,
    participation,
)
from commentary.models import Comment
from commentary.moderation.decisions import comment_moderate, flag_create
from commentary.services import comment_create
from commentary.targets import resolve_comment_target
from edition.models import VersionParagraph
from tests.commentary.builders import make_user, make_work, paragraph_of, post
from tests.commentary.group_people import group_post, join, make_group, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db


def seen_by(user) -> set[int]:
    return set(Comment.objects.visible_to(user).values_list("pk", flat=True))


# Groups and membership --------------------------------------------------------------------


def test_it_makes_the_founder_owner_of_a_group_reading_the_works_named(work):
    olga = make_user("olga")

    group = make_group(olga, work, description="We read chapter one.")

    assert group.slug == "tuesday-seminar"
    assert list(group.works.values_list("slug", flat=True)) == [work.slug]
    assert Membership.objects.get(group=group).role == Membership.Role.OWNER
    assert ReadingGroup.objects.for_member(olga).get() == group
    assert group.invite_code and group.invite_enabled


def test_it_refuses_a_work_that_does_not_exist(work):
    olga = make_user("olga")

    with pytest.raises(CommentError) as refused:
        group_create(owner=olga, name="Seminar", works=[work.slug, "no-such-work"])

    assert refused.value.message_dict == {"works": ["No such work: no-such-work."]}
    assert not ReadingGroup.objects.exists()


def test_two_groups_with_one_name_get_two_slugs(work):
    olga = make_user("olga")

    first, second = make_group(olga, work), make_group(olga, work)

    assert {first.slug, second.slug} == {"tuesday-seminar", "tuesday-seminar-2"}


def test_a_member_joins_with_the_code_in_the_role_the_invitation_gives(work):
    group, olga, gus = make_seminar(work)
    group_update(group=group, by=olga, invite_role="moderator")
    ted = make_user("ted")

    membership = join(ReadingGroup.objects.get(pk=group.pk), ted)

    assert membership.role == Membership.Role.MODERATOR
    assert Membership.objects.get(group=group, user=gus).role == Membership.Role.MEMBER


def test_joining_twice_keeps_the_first_role(work):
    group, olga, gus = make_seminar(work)

    assert join(group, gus).role == Membership.Role.MEMBER
    assert join(group, olga).role == Membership.Role.OWNER
    assert Membership.objects.filter(group=group).count() == 2


def test_a_wrong_turned_off_or_expired_code_gets_one_answer(work):
    group, olga, _gus = make_seminar(work)
    ted = make_user("ted")
    answers = []

    for attempt in ("wrong", "off", "expired", "other slug"):
        group.refresh_from_db()
        code, slug = group.invite_code, None
        if attempt == "wrong":
            code = "not-the-code"
        elif attempt == "off":
            group_invite_disable(group=group, by=olga)
        elif attempt == "expired":
            group_invite_rotate(group=group, by=olga)
            ReadingGroup.objects.filter(pk=group.pk).update(
                invite_expires_at=timezone.now() - timedelta(minutes=1)
            )
            group.refresh_from_db()
            code = group.invite_code
        else:
            ReadingGroup.objects.filter(pk=group.pk).update(invite_expires_at=None)
            slug = "some-other-group"
        with pytest.raises(CommentError) as refused:
            group_join(user=ted, code=code, slug=slug)
        answers.append(refused.value.message_dict)

    assert answers == [{"code": ["This invitation does not work."]}] * 4
    assert not ReadingGroup.objects.for_member(ted).exists()


def test_rotating_the_code_stops_the_old_one_at_once(work):
    group, olga, _gus = make_seminar(work)
    old = group.invite_code

    rotated = group_invite_rotate(group=group, by=olga)

    assert rotated.invite_code != old
    with pytest.raises(CommentError):
        group_join(user=make_user("ted"), code=old)
    assert group_join(user=make_user("una"), code=rotated.invite_code).group == group


def test_only_the_owner_changes_invitations_and_settings(work):
    group, _olga, gus = make_seminar(work)

    for change in (
        lambda: group_invite_rotate(group=group, by=gus),
        lambda: group_invite_disable(group=group, by=gus),
        lambda: group_update(group=group, by=gus, post_first=True),
        lambda: member_remove(group=group, by=gus, user=gus),
    ):
        with pytest.raises(CommentError):
            change()
    group.refresh_from_db()
    assert group.invite_enabled and not group.post_first


def test_an_owner_hands_the_group_over_before_leaving(work):
    group, olga, gus = make_seminar(work)

    with pytest.raises(CommentError):
        group_leave(group=group, user=olga)
    ownership_transfer(group=group, by=olga, to=gus)
    group_leave(group=group, user=olga)

    assert Membership.objects.get(group=group).user == gus
    assert Membership.objects.get(group=group).role == Membership.Role.OWNER


def test_ownership_goes_only_to_a_member(work):
    group, olga, _gus = make_seminar(work)

    with pytest.raises(CommentError):
        ownership_transfer(group=group, by=olga, to=make_user("ted"))


def test_a_member_who_leaves_sees_the_group_no_more_but_their_own(work):
    group, olga, gus = make_seminar(work)
    olgas = group_post(olga, work, group, body="The leader's question.")
    guss = group_post(gus, work, group)

    group_leave(group=group, user=gus)

    assert seen_by(gus) == {guss.pk}
    assert olgas.pk not in seen_by(gus)


def test_a_removed_member_loses_access_at_once(work):
    group, olga, gus = make_seminar(work)
    olgas = group_post(olga, work, group)
    assert olgas.pk in seen_by(gus)

    member_remove(group=group, by=olga, user=gus)

    assert olgas.pk not in seen_by(gus)
    paragraph = paragraph_of(work)
    assert group_comment_counts(gus, group, [paragraph.pk]) == {}


def test_a_copy_for_a_new_term_keeps_works_and_settings_and_no_members(work):
    group, olga, gus = make_seminar(work, post_first=True, discoverable=True)
    group_post(olga, work, group, body="Read this first.")
    group_post(gus, work, group, body="A member's comment.")
    question = group_post(olga, work, group, key="p4", body="A question.")
    post(olga, work, body="A public comment.")
    comment_create(author=olga, parent=question, body="A reply of hers.")

    copy = group_copy(group=group, by=olga, name="Spring term", include_leader_comments=True)

    assert copy.slug == "spring-term"
    assert list(copy.works.all()) == [work]
    assert copy.post_first and copy.discoverable
    assert copy.invite_code != group.invite_code
    assert list(Membership.objects.filter(group=copy).values_list("user__username", "role")) == [
        ("olga", "owner")
    ]
    copied = Comment.objects.filter(group=copy).order_by("pk")
    assert [c.body for c in copied] == ["Read this first.", "A question."]
    assert all(c.author == olga and c.parent is None for c in copied)


def test_a_copy_without_the_leaders_comments_starts_empty(work):
    group, olga, _gus = make_seminar(work)
    group_post(olga, work, group)

    copy = group_copy(group=group, by=olga, name="Spring term")

    assert not Comment.objects.filter(group=copy).exists()


# A comment's group -------------------------------------------------------------------------


def test_group_comments_reach_its_members_and_nobody_else(work):
    group, olga, gus = make_seminar(work)
    canary = group_post(gus, work, group)
    alice, mona = make_user("alice"), make_moderator()

    assert canary.pk in seen_by(olga) and canary.pk in seen_by(gus)
    for outsider in (None, alice, mona):
        assert canary.pk not in seen_by(outsider), outsider


def test_a_reply_inherits_its_threads_group(work):
    group, olga, gus = make_seminar(work)
    root = group_post(gus, work, group)

    reply = comment_create(author=olga, parent=root, body="In the group too.")

    assert reply.group == group
    assert reply.pk not in seen_by(make_user("alice"))


def test_a_reply_cannot_leave_its_threads_group(work):
    group, olga, gus = make_seminar(work)
    other = make_group(olga, work)
    root = group_post(gus, work, group)
    public = post(olga, work, body="A public comment.")

    with pytest.raises(CommentError) as into_other:
        comment_create(author=olga, parent=root, body="Elsewhere.", group=other)
    with pytest.raises(CommentError) as into_group:
        comment_create(author=olga, parent=public, body="Into the group.", group=group)

    assert into_other.value.message_dict == {"group": ["A reply stays in its thread's group."]}
    assert into_group.value.message_dict == {"group": ["A reply stays in its thread's group."]}


def test_naming_a_group_one_is_not_in_reads_as_one_that_does_not_exist(work):
    group, _olga, _gus = make_seminar(work)
    alice = make_user("alice")
    answers = []

    for slug in (group.slug, "no-such-group"):
        with pytest.raises(CommentError) as refused:
            resolve_comment_target(alice, work=work.slug, paragraph="p3", group=slug)
        answers.append(refused.value.message_dict)

    assert answers == [{"group": ["No such group."]}] * 2


def test_replying_to_a_group_comment_from_outside_reads_as_no_such_comment(work):
    group, _olga, gus = make_seminar(work)
    canary = group_post(gus, work, group)
    alice = make_user("alice")
    answers = []

    for parent in (canary.pk, 10**9):
        with pytest.raises(CommentError) as refused:
            resolve_comment_target(alice, parent=parent)
        answers.append(refused.value.message_dict)

    assert answers[0] == answers[1] == {"parent": ["No such comment."]}


def test_a_member_names_the_group_and_a_reply_may_name_its_own(work):
    group, olga, gus = make_seminar(work)
    target = resolve_comment_target(gus, work=work.slug, paragraph="p3", group=group.slug)
    root = comment_create(author=gus, body="Mine.", **target.arguments())

    reply_target = resolve_comment_target(olga, parent=root.pk, group=group.slug)

    assert root.group == group
    assert reply_target.arguments()["group"] == group


def test_a_group_takes_comments_only_on_the_works_it_reads(work):
    group, _olga, gus = make_seminar(work)
    other = make_work(slug="another-work", title="Another work")

    with pytest.raises(CommentError) as refused:
        group_post(gus, other, group)

    assert refused.value.message_dict == {"group": ["This group does not read that work."]}


# Post first -------------------------------------------------------------------------------


def test_post_first_shows_a_member_the_others_only_where_they_wrote(work):
    group, olga, gus = make_seminar(work, post_first=True)
    una = make_user("una")
    join(group, una)
    on_p3 = group_post(una, work, group, key="p3", body="Una on p3.")
    on_p4 = group_post(una, work, group, key="p4", body="Una on p4.")
    assert on_p3.pk not in seen_by(gus) and on_p4.pk not in seen_by(gus)

    mine = group_post(gus, work, group, key="p3", body="My first reading.")

    assert {on_p3.pk, mine.pk} <= seen_by(gus)
    assert on_p4.pk not in seen_by(gus)
    assert {on_p3.pk, on_p4.pk, mine.pk} <= seen_by(olga)


def test_post_first_counts_follow_the_same_rule(work):
    group, _olga, gus = make_seminar(work, post_first=True)
    una = make_user("una")
    join(group, una)
    group_post(una, work, group)
    paragraph = paragraph_of(work)

    before = group_comment_counts(gus, group, [paragraph.pk])
    group_post(gus, work, group)
    after = group_comment_counts(gus, group, [paragraph.pk])

    assert before == {}
    assert after == {paragraph.pk: 2}


# Counts per layer -------------------------------------------------------------------------


def test_the_public_and_the_group_layers_are_counted_apart(work):
    group, olga, gus = make_seminar(work)
    group_post(olga, work, group)
    group_post(gus, work, group)
    post(gus, work, body="A public comment.")
    paragraph = paragraph_of(work)

    assert paragraph_comment_counts(gus, [paragraph.pk]) == {paragraph.pk: 1}
    assert group_comment_counts(gus, group, [paragraph.pk]) == {paragraph.pk: 2}
    assert group_comment_counts(make_user("alice"), group, [paragraph.pk]) == {}
    assert group_comment_counts(None, group, [paragraph.pk]) == {}


# Group moderation -------------------------------------------------------------------------


def test_a_premoderated_group_holds_members_comments_for_its_leaders(work):
    group, olga, gus = make_seminar(work, moderation_policy="premoderated")
    una = make_user("una")
    join(group, una)

    held = group_post(gus, work, group)
    leaders = group_post(olga, work, group, body="The leader's.")

    assert held.status == Comment.Status.PENDING
    assert leaders.status == Comment.Status.PUBLISHED
    assert held.pk in seen_by(olga) and held.pk not in seen_by(una)
    assert list(Comment.objects.moderated_by(olga).awaiting_moderation()) == [held]
    comment_moderate(action="approve", comment=held, moderator=olga)
    assert held.pk in seen_by(una)


def test_site_moderators_see_a_group_comment_only_once_a_member_flags_it(work):
    group, olga, gus = make_seminar(work)
    canary = group_post(olga, work, group)
    mona = make_moderator()
    assert canary.pk not in seen_by(mona)
    with pytest.raises(CommentError):
        comment_moderate(action="hide", comment=canary, moderator=mona)

    flag_create(comment=canary, user=gus, reason="offensive")

    assert canary.pk in seen_by(mona)
    assert list(Comment.objects.moderated_by(mona).awaiting_moderation()) == [canary]
    assert (
        comment_moderate(action="hide", comment=canary, moderator=mona).status
        == Comment.Status.HIDDEN
    )


def test_group_leaders_moderate_their_groups_comments_and_nothing_else(work):
    group, olga, gus = make_seminar(work)
    canary = group_post(gus, work, group)
    public = post(make_user("alice"), work, body="Public.")

    comment_moderate(action="hide", comment=canary, moderator=olga)
    with pytest.raises(CommentError):
        comment_moderate(action="hide", comment=public, moderator=olga)
    with pytest.raises(CommentError):
        comment_moderate(action="hide", comment=canary, moderator=gus)

    assert Comment.objects.get(pk=canary.pk).status == Comment.Status.HIDDEN
    assert Comment.objects.get(pk=public.pk).status == Comment.Status.PUBLISHED


# The leader's view ------------------------------------------------------------------------


def test_participation_gives_a_row_per_member(work):
    group, olga, gus = make_seminar(work)
    una = make_user("una")
    join(group, una)
    question = group_post(olga, work, group, body="Question.")
    answer = comment_create(author=gus, parent=question, body="Answer.")
    comment_create(author=olga, parent=answer, body="Follow-up.")
    group_post(gus, work, group, key="p4", body="Another paragraph.")
    post(gus, work, body="Public: not counted.")

    rows = {row.username: row for row in participation(group)}

    assert list(rows) == ["olga", "gus", "una"]
    assert (rows["olga"].comments, rows["olga"].replies_given) == (1, 1)
    assert (rows["gus"].comments, rows["gus"].replies_given, rows["gus"].paragraphs) == (1, 1, 2)
    assert rows["olga"].replies_received == 1 and rows["gus"].replies_received == 1
    assert (rows["una"].comments, rows["una"].last_activity) == (0, None)
    assert rows["gus"].csv_row()[:3] == ["gus", "Gus", "member"]


def test_comments_in_a_group_earn_no_trust_in_public(work, settings):
    settings.SCHOLIA_NEW_MEMBER_HELD = 2
    group, _olga, gus = make_seminar(work)
    group_post(gus, work, group, body="One.")
    group_post(gus, work, group, body="Two.")

    public = post(gus, work, body="My first public comment.")

    assert public.status == Comment.Status.PENDING


def test_a_moderators_record_of_an_author_leaves_their_group_comments_out(work):
    group, _olga, gus = make_seminar(work)
    group_post(gus, work, group, body="In the group.")
    held = post(gus, work, body="Held in public.")
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    mona = make_moderator()

    item = Comment.objects.moderated_by(mona).with_moderation_context().get(pk=held.pk)

    assert item.author_approved == 0


def test_a_groups_comments_read_in_the_texts_order_filtered_for_the_leaders_view(work):
    group, olga, gus = make_seminar(work)
    later = group_post(gus, work, group, key="p4", body="On p4, written first.")
    earlier = group_post(olga, work, group, key="p3", body="On p3.")
    reply = comment_create(author=gus, parent=earlier, body="A reply on p3.")
    post(gus, work, key="p3", body="Public: not in the group's list.")
    version = work.current_version
    listed = Comment.objects.visible_to(olga).in_layer(group)

    in_order = listed.in_reading_order(version)
    by_gus = listed.filter(author=gus).in_reading_order(version)
    from_p4 = listed.in_reading_order(version, first="p4")

    assert list(in_order) == [earlier, reply, later]
    assert list(by_gus) == [reply, later]
    assert list(from_p4) == [later]
    at = dict(
        VersionParagraph.objects.filter(version=version).values_list("paragraph__key", "position")
    )
    assert [c.position for c in in_order] == [at["p3"], at["p3"], at["p4"]]
