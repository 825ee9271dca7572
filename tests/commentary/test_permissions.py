"""The permission table answers every per-object question, for each kind of person, and no
other module tests roles by hand."""

import pathlib
import re

import pytest

from commentary.groups.models import Membership
from commentary.moderation.decisions import flag_create
from commentary.permissions import PERMISSIONS, allowed
from tests.commentary.builders import make_user, post
from tests.commentary.group_people import group_post, join, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db

# Every question the issue names, by its row.
QUESTIONS = {
    "comment.edit",
    "comment.delete",
    "comment.flag",
    "comment.moderate",
    "member.sanction.site",
    "member.sanction.group",
    "member.trust",
    "moderation.reach",
    "group.change",
    "group.invitation",
    "group.transfer",
    "group.lead",
    "group.write",
    "draft.publish",
}


def test_the_table_names_every_question():
    assert set(PERMISSIONS) >= QUESTIONS


@pytest.fixture
def people(work):
    group, olga, gus = make_seminar(work)
    maud = make_user("maud")
    join(group, maud)
    Membership.objects.filter(group=group, user=maud).update(role=Membership.Role.MODERATOR)
    from commentary.roles import roles_changed

    roles_changed()
    editor = make_user("eddie")
    editor.is_staff = True
    editor.save()
    return {
        "group": group,
        "owner": olga,
        "moderator": maud,
        "member": gus,
        "outsider": make_user("otto"),
        "site": make_moderator(),
        "editor": editor,
    }


def answers(people, name, obj):
    who = ("owner", "moderator", "member", "outsider", "site", "editor")
    return {person for person in who if allowed(people[person], name, obj)}


def test_groups_rows(people):
    group = people["group"]
    for name in ("group.change", "group.invitation", "group.transfer", "group.member.remove"):
        assert answers(people, name, group) == {"owner"}, name
    assert answers(people, "group.lead", group) == {"owner", "moderator"}
    assert answers(people, "member.sanction.group", group) == {"owner", "moderator"}
    assert answers(people, "group.write", group) == {"owner", "moderator", "member"}
    assert answers(people, "group.leave", group) == {"moderator", "member"}


def test_site_rows(people):
    for name in ("member.sanction.site", "member.trust"):
        assert answers(people, name, None) == {"site"}, name
    assert answers(people, "moderation.reach", None) == {"owner", "moderator", "site"}
    assert answers(people, "draft.publish", None) == {"editor"}


def test_comment_rows(people, work):
    public = post(people["member"], work)
    assert answers(people, "comment.edit", public) == {"member"}
    assert answers(people, "comment.delete", public) == {"member"}
    assert answers(people, "comment.flag", public) == {
        "owner",
        "moderator",
        "outsider",
        "site",
        "editor",
    }
    assert answers(people, "comment.moderate", public) == {"site"}

    in_group = group_post(people["member"], work, people["group"])
    assert answers(people, "comment.moderate", in_group) == {"owner", "moderator"}
    # A member's flag brings a group comment before the site's moderators.
    flag_create(comment=in_group, user=people["moderator"], reason="spam")
    assert answers(people, "comment.moderate", in_group) == {"owner", "moderator", "site"}


def test_a_deleted_comment_is_edited_by_nobody(people, work):
    comment = post(people["member"], work)
    comment.deleted_at = comment.created_at
    assert not allowed(people["member"], "comment.edit", comment)


def test_anonymous_readers_may_nothing(people, work):
    from django.contrib.auth.models import AnonymousUser

    comment = post(people["member"], work)
    for name in PERMISSIONS:
        assert not allowed(AnonymousUser(), name, comment if name.startswith("comment") else None)


def test_a_question_costs_no_query_once_the_roles_are_read(people, django_assert_num_queries):
    owner, group = people["owner"], people["group"]
    allowed(owner, "group.change", group)
    with django_assert_num_queries(0):
        for name in ("group.change", "group.lead", "group.write", "moderation.reach"):
            allowed(owner, name, group)


# A comparison with a role, or a query filtering on roles: a test of who someone is.
ROLE_TESTS = re.compile(
    r"(==|!=|\bin)\s*[\w.]*(LEADING_ROLES|Role\.OWNER|Role\.MODERATOR)|role__in|role=Role\.OWNER"
)
# Where roles may be named: where they are defined, read into a reader's roles, written, or
# put in order for a list.
ROLE_NAMING = {
    "commentary/groups/models.py",  # the definition
    "commentary/roles.py",  # reads them into the reader's roles
    "commentary/groups/services.py",  # writes them (creation, transfer)
    "commentary/groups/api/views.py",  # writes one (the owner of a copy)
    "commentary/groups/reads.py",  # orders lists by role
    "commentary/groups/pages/leaders.py",  # orders lists by role
    "commentary/groups/pages/configure.py",  # who may be handed the group
}


def test_no_other_module_tests_roles_by_hand():
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    for path in sorted((root / "commentary").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/migrations/" in relative or relative in ROLE_NAMING:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if ROLE_TESTS.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []
