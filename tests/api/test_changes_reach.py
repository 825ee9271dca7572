"""``GET /api/v1/changes/``: the changes that reach a reader without a comment of theirs
being written, edited, deleted or decided on. An account deleted, a name changed, a group
copied for a new term, a "post first" group's comments shown once a member writes on the
paragraph, the group turning "post first" on or off, an owner handing it over, a member's
flag showing a group's comment to the site's moderators.

Personas (``group_people``): olga owns the seminar, gus is a plain member; nina is an
outsider; mona moderates the site. Each test compares what a client is told with what a
fresh read of the comment list gives it, through ``change_mirror.apply``.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from commentary.accounts.deletion import account_delete
from commentary.accounts.profiles import profile_update
from commentary.groups.invitations import group_join
from commentary.groups.services import group_copy, group_update, ownership_transfer
from commentary.moderation.decisions import comment_moderate, flag_create
from commentary.services import comment_delete, comment_edit
from tests.api.change_mirror import (
    CHANGES,
    apply,
    full_read,
    latest,
    page_queries,
    read_all,
    told,
)
from tests.api.comment_fixtures import client_for
from tests.commentary.builders import make_user, post
from tests.commentary.group_people import CANARY, group_post, join, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.SCHOLIA_COMMENT_RATE = "100000/60"
    settings.SCHOLIA_COMMENT_EDIT_RATE = "100000/60"
    settings.SCHOLIA_NEW_MEMBER_COMMENT_RATE = "100000/60"
    settings.SCHOLIA_FLAG_RATE = "100000/60"


@pytest.fixture
def now(django_capture_on_commit_callbacks):
    """Run what is inside at once, with the events its commit sends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


class Mirror:
    """A client's copy of the comments it reads, kept through the changes feed."""

    def __init__(self, user=None):
        self.client = client_for(user)
        self.cursor = latest(self.client)
        self.comments = full_read(self.client)

    def sync(self) -> list[tuple[str, object]]:
        changes, self.cursor = read_all(self.client, self.cursor)
        apply(self.client, self.comments, changes)
        return [(change["type"], change["id"]) for change in changes]

    def is_true(self) -> bool:
        return self.comments == full_read(self.client)


# An account deleted, a name changed ------------------------------------------------------


@pytest.mark.parametrize("keep_comments", [False, True])
def test_an_account_deleted_reaches_every_reader_of_its_comments(october, now, keep_comments):
    alice, bob = make_user("alice", "Alice"), make_user("bob", "Bob")
    bobs = post(bob, october, "p2", "Bob's.")
    with now():
        alices = post(alice, october, "p3", "Alice's.")
        reply = post(alice, october, parent=bobs, body="Alice answers Bob.")
    readers = [Mirror(), Mirror(bob)]

    with now():
        account_delete(user=alice, keep_comments=keep_comments)

    for mirror in readers:
        entries = mirror.sync()
        if keep_comments:
            assert ("comment.updated", alices.pk) in entries
            assert mirror.comments[alices.pk]["author"]["display_name"] == "[deleted member]"
        else:
            assert {("comment.deleted", alices.pk), ("comment.deleted", reply.pk)} <= set(entries)
            # Bob's comment counts one reply fewer.
            assert ("comment.updated", bobs.pk) in entries
            assert mirror.comments[bobs.pk]["reply_count"] == 0
        assert mirror.is_true()


def test_a_group_members_deleted_account_reaches_the_group_only(october, now):
    group, olga, gus = make_seminar(october)
    with now():
        canary = group_post(gus, october, group)
    member, outsider = Mirror(olga), Mirror(make_user("nina"))

    with now():
        account_delete(user=gus)

    assert member.sync() == [("comment.deleted", canary.pk)]
    assert outsider.sync() == []
    assert member.is_true()


def test_a_new_display_name_reaches_the_readers_of_the_authors_comments(october, now):
    alice = make_user("alice", "Alice")
    comment = post(alice, october, "p2", "Alice's.")
    mirror = Mirror()

    with now():
        profile_update(user=alice, display_name="Alice Liddell", affiliation="", bio="")

    assert mirror.sync() == [("comment.updated", comment.pk)]
    assert mirror.comments[comment.pk]["author"]["display_name"] == "Alice Liddell"
    assert mirror.is_true()


# A group copied for a new term -----------------------------------------------------------


def test_a_copy_with_the_leaders_comments_reaches_its_owner_then_its_new_members(october, now):
    group, olga, gus = make_seminar(october)
    with now():
        first = group_post(olga, october, group, body="Read this closely.")
        post(olga, october, parent=first, body="A reply stays behind.")
        group_post(gus, october, group)
    owner, member = Mirror(olga), Mirror(gus)

    with now():
        copy = group_copy(group=group, by=olga, name="Next term", include_leader_comments=True)

    copied = copy.comments.get()
    assert owner.sync() == [("group.joined", copy.slug), ("comment.created", copied.pk)]
    assert owner.comments[copied.pk]["group"] == copy.slug
    assert member.sync() == []
    assert owner.is_true() and member.is_true()

    with now():
        group_join(user=gus, code=copy.invite_code)
    # The copy's rows from before they joined reach them now, as the comment is now.
    assert set(member.sync()) == {("group.joined", copy.slug), ("comment.created", copied.pk)}
    assert copied.pk in member.comments
    assert member.is_true()


def test_a_copy_is_never_told_to_an_outsider_or_the_sites_moderator(october, now):
    group, olga, _gus = make_seminar(october)
    with now():
        group_post(olga, october, group, body=CANARY)
    outsiders = [Mirror(), Mirror(make_user("nina")), Mirror(make_moderator())]

    with now():
        group_copy(group=group, by=olga, name="Next term", include_leader_comments=True)

    for mirror in outsiders:
        assert mirror.sync() == []
        assert CANARY not in str(mirror.comments)


# "Post first" ----------------------------------------------------------------------------


@pytest.fixture
def post_first(october):
    return make_seminar(october, post_first=True)


def test_a_post_first_member_is_told_nothing_of_a_paragraph_before_writing_on_it(
    october, now, post_first
):
    group, olga, gus = post_first
    member = Mirror(gus)
    with now():
        waiting = group_post(olga, october, group, "p2", body=CANARY)
        post(olga, october, parent=waiting, body="Olga again.")

    assert member.sync() == []
    assert CANARY not in str(client_for(gus).get(CHANGES, {"since": "0"}).json())


def test_writing_on_a_paragraph_shows_a_post_first_member_its_comments(october, now, post_first):
    group, olga, gus = post_first
    una = make_user("una")
    join(group, una)
    with now():
        waiting = group_post(olga, october, group, "p2", body=CANARY)
        reply = post(una, october, parent=waiting, body="Una answers.")
        elsewhere = group_post(una, october, group, "p3", body="On another paragraph.")
    member = Mirror(gus)

    with now():
        own = group_post(gus, october, group, "p2", body="Gus's own reading.")

    entries = member.sync()
    assert ("comment.created", own.pk) in entries
    assert {("comment.updated", waiting.pk), ("comment.updated", reply.pk)} <= set(entries)
    assert elsewhere.pk not in {pk for _type, pk in entries}
    assert member.comments[waiting.pk]["body"] == CANARY
    assert member.is_true()

    # From then on the paragraph's changes reach them; the other paragraph's still do not.
    with now():
        later = post(una, october, parent=waiting, body="Una again.")
        group_post(una, october, group, "p3", body="More elsewhere.")
    assert set(member.sync()) == {("comment.created", later.pk), ("comment.updated", waiting.pk)}

    # Deleting their comment takes nothing back: the rule counts it, deleted or not.
    with now():
        comment_delete(comment=own, by=gus)
    assert member.sync() == [("comment.deleted", own.pk)]
    assert waiting.pk in member.comments
    assert member.is_true()


def test_the_group_turning_post_first_on_and_off_reaches_its_plain_members(
    october, now, post_first
):
    group, olga, gus = post_first
    with now():
        group_post(olga, october, group, "p2", body=CANARY)
    member, owner = Mirror(gus), Mirror(olga)
    assert member.comments == {}

    with now():
        group_update(group=group, by=olga, post_first=False)
    assert member.sync() == [("group.changed", group.slug)]
    assert CANARY in str(member.comments)
    assert member.is_true()

    with now():
        group_update(group=group, by=olga, post_first=True)
    assert member.sync() == [("group.changed", group.slug)]
    assert member.comments == {}
    assert member.is_true()
    # Its owner reads every comment either way.
    assert owner.sync() == []


def test_a_member_made_owner_is_told_to_read_the_group_again(october, now):
    group, olga, gus = make_seminar(october)
    with now():
        held = group_post(olga, october, group, "p2", body="Held for now.")
    held.status = "pending"
    held.save(update_fields=["status"])
    heir = Mirror(gus)
    assert held.pk not in heir.comments

    with now():
        ownership_transfer(group=group, by=olga, to=gus)

    assert heir.sync() == [("group.changed", group.slug)]
    assert held.pk in heir.comments
    assert heir.is_true()


# A site moderator and the flags ----------------------------------------------------------


def test_a_flag_shows_a_groups_comment_to_the_sites_moderator_and_nobody_else(october, now):
    group, olga, gus = make_seminar(october)
    with now():
        canary = group_post(gus, october, group)
    moderator, outsider = Mirror(make_moderator()), Mirror(make_user("nina"))
    assert canary.pk not in moderator.comments

    with now():
        flag_create(comment=canary, user=olga, reason="off_topic")

    assert moderator.sync() == [("comment.updated", canary.pk)]
    assert outsider.sync() == []
    assert moderator.is_true()

    # Its changes reach the moderator from then on.
    with now():
        comment_delete(comment=canary, by=gus)
    assert moderator.sync() == [("comment.deleted", canary.pk)]


# The group canary ------------------------------------------------------------------------


def test_the_group_canary_for_changes(october, now, post_first):
    """A group's comment reaches its members (in a "post first" group, once they wrote on
    its paragraph), never anonymous readers, outsiders or the site's moderator."""
    group, olga, gus = post_first
    outsiders = {"anonymous": None, "nina": make_user("nina"), "mona": make_moderator()}
    cursors = {name: latest(client_for(user)) for name, user in outsiders.items()}
    member_cursor = latest(client_for(gus))
    with now():
        canary = group_post(olga, october, group, "p2", body=CANARY)
        post(olga, october, parent=canary, body=CANARY + " A reply.")

    for name, user in outsiders.items():
        answer = client_for(user).get(CHANGES, {"since": cursors[name]}).json()
        assert answer["changes"] == [], name
        assert answer["cursor"] == cursors[name], name
        assert CANARY not in str(client_for(user).get(CHANGES, {"since": "0"}).json()), name
    assert told(client_for(gus), member_cursor) == []

    with now():
        group_post(gus, october, group, "p2", body="Gus writes here.")
    assert ("comment.updated", canary.pk) in told(client_for(gus), member_cursor)
    for name, user in outsiders.items():
        assert client_for(user).get(CHANGES, {"since": cursors[name]}).json()["changes"] == []


# What a page costs -----------------------------------------------------------------------


def test_a_page_of_every_kind_of_change_costs_a_fixed_number_of_queries(october, now, post_first):
    group, olga, gus = post_first
    mona = make_moderator()
    alice = make_user("alice", "Alice")
    readers = {"gus": gus, "mona": mona, "olga": olga}
    cursors = {name: latest(client_for(user)) for name, user in readers.items()}
    with now():
        for number in range(10):
            key = ["p2", "p3", "p6"][number % 3]
            theirs = group_post(olga, october, group, key, body=f"Group {number}.")
            group_post(gus, october, group, key, body=f"Gus {number}.")
            flag_create(comment=theirs, user=gus, reason="off_topic")
            post(alice, october, "p2", f"Public {number}.")
        profile_update(user=alice, display_name="Alice L.", affiliation="", bio="")
        group_copy(group=group, by=olga, name="Next term", include_leader_comments=True)
        group_update(group=group, by=olga, post_first=False)
        account_delete(user=alice)

    for name, user in readers.items():
        client = client_for(user)
        # The user with their roles, the rows, the comments, the deleted ones (and the
        # session, where it is in the database).
        with page_queries(4):
            response = client.get(CHANGES, {"since": cursors[name], "limit": 500})
        assert response.status_code == 200
        assert len(response.json()["changes"]) >= 10, name


def test_a_display_name_changed_in_the_admin_reaches_the_readers_too(october, now):
    alice = make_user("alice", "Alice")
    comment = post(alice, october, "p2", "Alice's.")
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    mirror = Mirror()
    staff = Client()
    staff.force_login(admin)

    with now():
        response = staff.post(
            f"/admin/commentary/profile/{alice.profile.pk}/change/",
            {"user": alice.pk, "display_name": "Alice L.", "affiliation": "", "bio": ""},
        )

    assert response.status_code == 302
    assert mirror.sync() == [("comment.updated", comment.pk)]
    assert mirror.comments[comment.pk]["author"]["display_name"] == "Alice L."
    assert mirror.is_true()


def test_tags_changed_alone_and_a_moderators_restore_reach_the_readers(october, now):
    alice = make_user("alice", "Alice")
    comment = post(alice, october, "p2", "Alice's.")
    mirror = Mirror()

    with now():
        comment_edit(comment=comment, editor=alice, body=comment.body, tags=["lenin"])
    assert mirror.sync() == [("comment.updated", comment.pk)]
    assert mirror.comments[comment.pk]["tags"] == ["lenin"]

    moderator = make_moderator()
    with now():
        comment_moderate(comment=comment, moderator=moderator, action="hide", reason="x")
    assert mirror.sync() == [("comment.removed", comment.pk)]
    with now():
        comment_moderate(comment=comment, moderator=moderator, action="restore", reason="x")
    assert mirror.sync() == [("comment.updated", comment.pk)]
    assert mirror.is_true()
