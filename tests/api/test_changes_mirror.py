"""``GET /api/v1/changes/``: mirrors of the demo kept in step through the log alone equal a
fresh read of the whole list, after 200 random changes of every kind the site makes.

Four mirrors: reader2 (a plain member of reader's "post first" reading group), reader (its
owner, who copies it for new terms), the site's moderator (outside the group, told of the
group comments members flag) and an anonymous client. The changes: comments, replies and
group comments (in a "post first" group, a member's first comment on a paragraph shows
them the others'), edits, deletions, moderators' decisions, flags, the group turning "post
first" on and off, copies of it with or without the owner's first comments, members
joining, leaving, removed and made owner, names changed and accounts deleted.
"""

import random
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.test import APIClient

from commentary.accounts.deletion import account_delete
from commentary.accounts.profiles import profile_update
from commentary.accounts.tokens import token_create
from commentary.groups.invitations import group_join
from commentary.groups.models import Membership, ReadingGroup
from commentary.groups.services import (
    group_copy,
    group_leave,
    group_update,
    member_remove,
    ownership_transfer,
)
from commentary.models import Comment
from commentary.moderation.decisions import comment_moderate, flag_create
from commentary.services import comment_create, comment_delete, comment_edit
from commentary.sync.models import Change
from edition.models import VersionParagraph, Work
from tests.api.change_mirror import apply, full_read, latest, read_all
from tests.commentary.builders import make_user

pytestmark = pytest.mark.django_db

REFUSED = {
    "CommentError",
    "ModerationConflict",
    "ValidationError",
    "MemberSanctioned",
    "PermissionDenied",
    "AccountDeletionRefused",
}


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.SCHOLIA_COMMENT_RATE = "100000/60"
    settings.SCHOLIA_COMMENT_EDIT_RATE = "100000/60"
    settings.SCHOLIA_NEW_MEMBER_COMMENT_RATE = "100000/60"
    settings.SCHOLIA_FLAG_RATE = "100000/60"
    settings.SCHOLIA_NEW_MEMBER_FLAG_RATE = "100000/60"


class Mirror:
    def __init__(self, user=None):
        self.client = APIClient()
        if user is not None:
            _token, key = token_create(user=user, name="mirror")
            self.client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        self.cursor = latest(self.client)
        self.comments = full_read(self.client)

    def sync(self) -> None:
        changes, self.cursor = read_all(self.client, self.cursor)
        apply(self.client, self.comments, changes)


def _owner(group: ReadingGroup):
    return group.memberships.select_related("user").get(role=Membership.Role.OWNER).user


def _members(group: ReadingGroup) -> list:
    return [m.user for m in group.memberships.select_related("user").order_by("user_id")]


def random_change(rng: random.Random, people: dict, paragraphs: list) -> None:
    """One random change among those the module lists; a refused one is no change."""
    User = get_user_model()
    writers = list(User.objects.filter(pk__in=people["writers"], is_active=True).order_by("pk"))
    group = rng.choice(list(ReadingGroup.objects.order_by("pk")))
    owner, members = _owner(group), _members(group)
    live = Comment.objects.filter(deleted_at__isnull=True).order_by("pk")
    choice = rng.random()
    try:
        if choice < 0.16:
            comment_create(
                author=rng.choice(writers),
                body=f"New {rng.random()}",
                paragraph=rng.choice(paragraphs),
            )
        elif choice < 0.26:
            author = rng.choice(writers)
            parent = rng.choice(list(live.filter(pk__in=Comment.objects.visible_to(author))))
            comment_create(author=author, body="A reply.", parent=parent)
        elif choice < 0.42:
            comment_create(
                author=rng.choice(members),
                body=f"In the group {rng.random()}",
                paragraph=rng.choice(paragraphs),
                group=group,
            )
        elif choice < 0.52:
            comment = rng.choice(list(live.filter(author__is_active=True)))
            comment_edit(comment=comment, editor=comment.author, body=f"Edited {rng.random()}")
        elif choice < 0.57:
            comment = rng.choice(list(live.filter(author__is_active=True)))
            comment_delete(comment=comment, by=comment.author)
        elif choice < 0.67:
            comment_moderate(
                comment=rng.choice(list(live.filter(group__isnull=True))),
                moderator=people["moderator"],
                action=rng.choice(["approve", "reject", "hide", "restore"]),
                reason="Test.",
            )
        elif choice < 0.72:
            flagger = rng.choice(members)
            seen = live.filter(group=group, status="published").exclude(author=flagger)
            comment = rng.choice(list(seen.filter(pk__in=Comment.objects.visible_to(flagger))))
            flag_create(comment=comment, user=flagger, reason="off_topic")
        elif choice < 0.76:
            group_update(group=group, by=owner, post_first=not group.post_first)
        elif choice < 0.79:
            account_delete(user=rng.choice(people["leaving"]), keep_comments=rng.random() < 0.5)
        elif choice < 0.82:
            group_copy(
                group=group,
                by=owner,
                name=f"Next term {rng.random()}",
                include_leader_comments=rng.random() < 0.7,
            )
        elif choice < 0.85:
            writer = rng.choice(writers)
            profile_update(user=writer, display_name=f"Name {rng.random()}", affiliation="", bio="")
        elif choice < 0.88:
            heir = rng.choice([user for user in members if user.pk != owner.pk])
            ownership_transfer(group=group, by=owner, to=heir)
        else:
            person = rng.choice([people["reader"], people["reader2"]])
            if person not in members:
                group_join(user=person, code=group.invite_code)
            elif rng.random() < 0.5:
                member_remove(group=group, by=owner, user=person)
            else:
                group_leave(group=group, user=person)
    except (IndexError, ValueError) as nothing:  # nothing to choose from: no change
        if "empty" not in str(nothing) and not isinstance(nothing, IndexError):
            raise
    except Exception as refused:  # noqa: BLE001 - a refused change is no change
        if type(refused).__name__ not in REFUSED:
            raise


def test_mirrors_kept_by_the_changes_feed_equal_a_fresh_read(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    User = get_user_model()
    people = {name: User.objects.get(username=name) for name in ("reader", "reader2", "moderator")}
    group = ReadingGroup.objects.get()
    leaving = [make_user(f"writer{number}", f"Writer {number}") for number in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        group_update(group=group, by=people["reader"], post_first=True)
        for writer in leaving[:3]:
            group_join(user=writer, code=group.invite_code)
    people["leaving"] = leaving
    names = ("reader", "reader2", "editor", "newcomer")
    people["writers"] = [User.objects.get(username=n).pk for n in names]
    people["writers"] += [writer.pk for writer in leaving]
    work = Work.objects.get(slug="october-1917")
    paragraphs = [
        entry.paragraph
        for entry in VersionParagraph.objects.filter(version=work.current_version)
        .select_related("paragraph")
        .order_by("position")[:8]
    ]

    mirrors = {
        "reader2": Mirror(people["reader2"]),
        "reader": Mirror(people["reader"]),
        "moderator": Mirror(people["moderator"]),
        "anonymous": Mirror(),
    }
    assert any(c["group"] == group.slug for c in mirrors["reader"].comments.values())

    rng = random.Random(18)
    before = Change.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for _ in range(200):
        with django_capture_on_commit_callbacks(execute=True):
            random_change(rng, people, paragraphs)
        # Often enough that a change's earlier rows are behind a mirror's cursor when
        # it reaches them (a flag, a reveal): they must be told anew.
        for mirror in mirrors.values():
            if rng.random() < 0.4:
                mirror.sync()

    logged = set(Change.objects.filter(pk__gt=before).values_list("kind", flat=True))
    assert set(Change.Kind.values) - {"moved"} <= logged, set(Change.Kind.values) - logged
    assert ReadingGroup.objects.count() > 1
    for name, mirror in mirrors.items():
        mirror.sync()
        assert mirror.comments == full_read(mirror.client), name
