"""What a post reads of its author, in one query (``commentary.moderation.posting``): the
sanctions in force where they write, the site's told first; whether they are still a new
member (a moderator's decision, else their approved public comments up to the threshold);
their profile, for what the answer shows of them.

Personas (group_people): olga owns the seminar, gus is a member; mona moderates the site;
alice writes in public.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F, OuterRef, Subquery
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commentary.accounts.models import Profile
from commentary.errors import MemberSanctioned
from commentary.groups.services import group_create
from commentary.models import Comment
from commentary.moderation import trust
from commentary.moderation.models import Sanction
from commentary.moderation.moderators import is_moderator
from commentary.moderation.posting import author_read, poster_read
from commentary.moderation.sanctions import user_ban, user_reinstate, user_suspend
from commentary.moderation.trust import member_trust_set
from tests.commentary.builders import bulk_roots, make_user, post, set_status
from tests.commentary.group_people import group_post, join, make_seminar
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


# The read is one statement written out by hand (``posting.author_read``); the ORM says the
# same rule with ``Sanction.objects.in_force().applying_to()`` and ``trust``. They agree.

MEMBERS = [
    "plain",
    "suspended",
    "banned-twice",
    "sanction-lifted",
    "sanction-over",
    "two-approved",
    "three-approved",
    "ten-approved",
    "approvals-deleted",
    "approvals-pending",
    "approved-in-a-group",
    "trusted",
    "distrusted",
]


def orm_read(user, *, group_id):
    """What ``author_read`` answers, as the ORM reads it."""
    in_force = (
        Sanction.objects.in_force()
        .applying_to(group_id)
        .filter(user_id=OuterRef("pk"))
        .order_by(F("group_id").asc(nulls_first=True), "-pk")
        .values("pk")[:1]
    )
    read = {"sanction_id": Subquery(in_force)}
    held_approval = None if is_moderator(user) else trust.last_held_approval()
    if held_approval is not None:
        read["held_approval"] = held_approval
    found = get_user_model().objects.filter(pk=user.pk).select_related("profile")
    found = found.annotate(**read).get()
    profile = getattr(found, "profile", None)
    return found.sanction_id, getattr(found, "held_approval", None), columns_of(profile)


def columns_of(profile) -> tuple | None:
    if profile is None:
        return None
    return tuple(getattr(profile, field.attname) for field in Profile._meta.concrete_fields)


def approve(author, work, count: int, **columns) -> None:
    """``count`` public comments of ``author``, published unless ``columns`` say otherwise."""
    made = bulk_roots(author, work, count)
    Comment.objects.filter(pk__in=[comment.pk for comment in made]).update(
        **{"status": Status.PUBLISHED, **columns}
    )


@pytest.mark.parametrize("held", [3, 1, 0])
def test_the_written_out_read_agrees_with_the_orm_for_every_kind_of_member(work, mona, held):
    group, olga, gus = make_seminar(work)
    other = group_create(owner=olga, name="Thursday circle", works=[work.slug])
    soon, past = timezone.now() + timedelta(days=7), timezone.now() - timedelta(days=1)
    members = {name: make_user(name, name.title()) for name in MEMBERS}
    members["no-profile"] = get_user_model().objects.create_user("no-profile")
    Profile.objects.filter(user=members["no-profile"]).delete()  # one made before profiles
    user_suspend(user=members["suspended"], moderator=mona, until=soon, reason="Site.")
    join(group, members["banned-twice"])
    user_ban(user=members["banned-twice"], moderator=olga, reason="Group.", group=group)
    user_suspend(user=members["banned-twice"], moderator=mona, until=soon, reason="Site too.")
    user_ban(user=members["sanction-lifted"], moderator=mona, reason="Site.")
    user_reinstate(user=members["sanction-lifted"], moderator=mona)
    Sanction.objects.create(
        user=members["sanction-over"],
        kind=Sanction.Kind.SUSPEND,
        until=past,
        reason="Over.",
        created_by=mona,
    )
    user_ban(user=gus, moderator=olga, reason="The group's only.", group=group)
    for name, count in (("two-approved", 2), ("three-approved", 3), ("ten-approved", 10)):
        approve(members[name], work, count)
    approve(members["approvals-deleted"], work, 3, deleted_at=timezone.now())
    approve(members["approvals-pending"], work, 3, status=Status.PENDING)
    approve(members["approved-in-a-group"], work, 3, group=group)
    approve(members["distrusted"], work, 5)
    Profile.objects.filter(user=members["trusted"]).update(trusted=True)
    Profile.objects.filter(user=members["distrusted"]).update(trusted=False)
    people = [*members.values(), mona, olga, gus]

    with override_settings(SCHOLIA_NEW_MEMBER_HELD=held):
        reads = {
            (user.username, scope): (
                author_read(user, group_id=scope),
                orm_read(user, group_id=scope),
            )
            for user in people
            for scope in (None, group.pk, other.pk)
        }
        told_new = {user.username: trust.is_new_member(user) for user in people}
        poster_new = {user.username: poster_read(user, group_id=None).new_member for user in people}

    for (username, scope), (written_out, orm) in reads.items():
        sanction_id, held_approval, profile = written_out
        assert (sanction_id, held_approval, columns_of(profile)) == orm, (username, scope)
    assert poster_new == told_new
    # Each kind of answer comes up: the cases are what they say.
    sanction = {key: read[0] for key, (read, _orm) in reads.items()}
    assert sanction["suspended", None] is not None
    assert sanction["banned-twice", group.pk] == sanction["banned-twice", None]  # the site's
    assert (sanction["gus", group.pk], sanction["gus", None], sanction["gus", other.pk]) != (
        None,
        None,
        None,
    )
    assert sanction["gus", None] is sanction["gus", other.pk] is None
    assert sanction["sanction-lifted", None] is sanction["sanction-over", None] is None
    profile = {key[0]: read[2] for key, (read, _orm) in reads.items()}
    assert profile["no-profile"] is None
    assert (profile["trusted"].trusted, profile["distrusted"].trusted) == (True, False)
    assert profile["plain"].trusted is None and profile["plain"].display_name == "Plain"
    if held == 3:
        assert [name for name, new in poster_new.items() if not new] == [
            "three-approved",
            "ten-approved",
            "trusted",
            "mona",
        ]
