"""The reader's roles: read in one query once per request, and the visibility rule built
from them with only the branches that can apply. A change to a role shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commentary.groups.services import group_update, member_remove
from commentary.models import Comment
from commentary.moderation.moderators import is_moderator, moderators_group
from commentary.roles import NO_ROLES, reader_roles, remember_roles
from config.site.auth_backends import ModelBackend
from tests.commentary.builders import client_for, make_user, post
from tests.commentary.group_people import group_post, join, make_group, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db


def rule_sql(user) -> str:
    return str(Comment.objects.visible_to(user).query)


def seen_by(user) -> set[int]:
    return set(Comment.objects.visible_to(user).values_list("pk", flat=True))


def test_it_reads_the_roles_in_one_query_once_per_user_object(work, django_assert_num_queries):
    group, olga, gus = make_seminar(work)
    make_group(olga, work, post_first=True)
    mona = make_moderator()
    join(group, mona)

    for user in (gus, olga, mona, make_user("nina")):
        user = type(user).objects.get(pk=user.pk)
        with django_assert_num_queries(1):
            reader_roles(user)
        with django_assert_num_queries(0):
            reader_roles(user)
            Comment.objects.visible_to(user)
            is_moderator(user)


def test_it_tells_each_role_apart(work):
    group, olga, gus = make_seminar(work)
    first = make_group(olga, work, post_first=True)
    join(first, gus)
    mona = make_moderator()

    assert reader_roles(None) == NO_ROLES
    assert reader_roles(make_user("nina")) == NO_ROLES
    assert reader_roles(olga).leads == {group.pk, first.pk} and not reader_roles(olga).moderates
    assert reader_roles(gus).reads == {group.pk}
    assert reader_roles(gus).reads_after_posting == {first.pk}
    assert reader_roles(gus).leads == set() and not reader_roles(gus).moderates
    assert reader_roles(mona).moderates and reader_roles(mona).groups == set()


def test_a_superuser_moderates_and_an_inactive_moderator_does_not():
    admin = make_user("root")
    admin.is_superuser = True
    admin.save()
    mona = make_moderator()
    mona.is_active = False
    mona.save()

    assert is_moderator(admin)
    assert not is_moderator(mona)


def test_a_reader_without_roles_is_asked_nothing_but_public_or_mine(work):
    nina = make_user("nina")
    post(nina, work)

    sql = rule_sql(nina)

    assert "EXISTS" not in sql.upper()
    assert "membership" not in sql and "auth_permission" not in sql
    assert f'"author_id" = {nina.pk}' in sql


def test_a_member_gets_group_ids_and_a_subquery_only_for_post_first_groups(work):
    group, olga, gus = make_seminar(work)
    sql = rule_sql(gus)
    assert "EXISTS" not in sql.upper() and "membership" not in sql
    assert f"IN ({group.pk})" in sql

    first = make_group(olga, work, post_first=True)
    join(first, gus)
    sql = rule_sql(gus)
    assert sql.upper().count("EXISTS") == 1 and "membership" not in sql


def test_a_removed_member_loses_access_through_a_user_object_read_before(work):
    group, olga, gus = make_seminar(work)
    una = make_user("una")
    join(group, una)
    canary = group_post(gus, work, group)
    assert canary.pk in seen_by(una)

    member_remove(group=group, by=olga, user=type(una).objects.get(pk=una.pk))

    assert canary.pk not in seen_by(una)
    assert reader_roles(una) == NO_ROLES


def test_turning_post_first_on_shows_at_once(work):
    group, olga, gus = make_seminar(work)
    canary = group_post(olga, work, group)
    assert canary.pk in seen_by(gus)

    group_update(group=group, by=olga, post_first=True)

    assert canary.pk not in seen_by(gus)


def test_joining_the_moderators_group_moderates_at_once(work):
    alice = make_user("alice")
    held = post(make_user("bob"), work, body="Held.")
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    assert not is_moderator(alice) and held.pk not in seen_by(alice)

    alice.groups.add(moderators_group())

    assert is_moderator(alice)
    assert held.pk in seen_by(alice)
    assert Comment.objects.moderated_by(alice).filter(pk=held.pk).exists()


def test_roles_learnt_by_another_query_ask_none_of_their_own(work, django_assert_num_queries):
    group, _olga, gus = make_seminar(work)
    gus = type(gus).objects.get(pk=gus.pk)

    remember_roles(gus, granted=False, memberships=[(group.pk, "member", False)])

    with django_assert_num_queries(0):
        assert reader_roles(gus).reads == {group.pk}
        assert not is_moderator(gus)


def test_a_signed_in_request_reads_the_roles_with_the_user_and_the_next_asks_nothing(work):
    group, _olga, gus = make_seminar(work)
    client = client_for(gus)

    def roles_asked() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/comments/", {"group": group.slug}).status_code == 200
        return [q["sql"] for q in captured.captured_queries if "auth_permission" in q["sql"]]

    first, then = roles_asked(), roles_asked()

    assert len(first) == 1
    assert "auth_user" in first[0] and "scholia_granted" in first[0]
    assert then == []  # kept a few seconds (commentary.accounts.token_users.session_user)


def test_the_backend_loads_no_inactive_and_no_missing_user():
    backend = ModelBackend()
    nina = make_user("nina")
    assert backend.get_user(nina.pk) == nina
    assert reader_roles(backend.get_user(nina.pk)) == NO_ROLES

    nina.is_active = False
    nina.save()

    assert backend.get_user(nina.pk) is None
    assert backend.get_user(10**9) is None
