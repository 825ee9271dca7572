"""``manage.py load_demo``: the seed, demo accounts and a demo discussion, idempotently."""

import re
from io import StringIO
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from commentary.accounts.models import Profile
from commentary.groups.models import Membership, ReadingGroup
from commentary.management.commands import load_demo as load_demo_command
from commentary.models import Comment
from commentary.moderation.decisions import comment_moderate
from commentary.moderation.models import Flag, ModerationEvent
from commentary.services import comment_create
from edition.models import Paragraph, ParagraphRevision, Version, Work
from edition.seed import SEED_FILE
from tests.edition.builders import build_version, build_work, para

pytestmark = pytest.mark.django_db
DEMO_USERS = ["editor", "moderator", "reader", "reader2", "newcomer"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def write_revision(folder: Path) -> Path:
    """The chapter's second version, as an editor would write it: a name spelt anew (three
    times) and a paragraph split in two. Written here, so the tests do not depend on the
    fixture shipped for ``make run``."""
    seed = (settings.BASE_DIR / "fixtures" / SEED_FILE).read_text(encoding="utf-8")
    revised = seed.replace("Jdanov", "Zhdanov").replace(
        "Moscow and Beijing. The next period", "Moscow and Beijing.\n\nThe next period"
    )
    path = folder / "revision.txt"
    path.write_text(revised, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def revision(tmp_path, monkeypatch) -> Path:
    path = write_revision(tmp_path)
    monkeypatch.setattr(load_demo_command, "REVISION_FILE", path)
    return path


@pytest.fixture(autouse=True)
def _default_moderation(settings):
    """As ``make run`` has it: new members' first three comments held."""
    settings.SCHOLIA_NEW_MEMBER_HELD = 3


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, stderr=StringIO())
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [
        Work,
        Version,
        Paragraph,
        ParagraphRevision,
        get_user_model(),
        Profile,
        EmailAddress,
        Group,
        Comment,
        Flag,
        ModerationEvent,
        ReadingGroup,
        Membership,
    ]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(scope="class")
def loaded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for the tests of a class, as ``make run`` loads it, in a
    transaction rolled back after the last of them. Each test runs in a savepoint of its own
    inside it (pytest-django's), so what a test writes is gone before the next one."""
    with (
        django_db_blocker.unblock(),
        pytest.MonkeyPatch.context() as patch,
        override_settings(SCHOLIA_NEW_MEMBER_HELD=3),
        transaction.atomic(),
    ):
        patch.setattr(
            load_demo_command, "REVISION_FILE", write_revision(tmp_path_factory.mktemp("demo"))
        )
        yield load_demo()
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded_once) -> str:
    """What loading the demo printed."""
    return loaded_once


class TestTheDemoLoadedOnce:
    """What one loading of the demo gives; each test reads it, or writes in a savepoint of
    its own that is rolled back."""

    def test_it_duplicates_nothing_when_run_twice(self, demo):
        first = counts()
        load_demo()
        assert counts() == first
        assert first["Work"] == 1
        assert first["Version"] == 2
        assert first["User"] == 5
        assert first["Profile"] == 5
        assert first["Flag"] == 1
        assert (first["ReadingGroup"], first["Membership"]) == (1, 2)

    def test_it_creates_accounts_with_verified_primary_emails(self, demo):
        for username in DEMO_USERS:
            user = get_user_model().objects.get(username=username)
            assert EmailAddress.objects.filter(user=user, verified=True, primary=True).count() == 1
            assert user.profile.display_name

    def test_it_gives_the_editor_and_the_moderator_their_groups(self, demo):
        editor = get_user_model().objects.get(username="editor")
        moderator = get_user_model().objects.get(username="moderator")
        assert editor.is_staff
        assert editor.groups.filter(name="Editors").exists()
        assert moderator.groups.filter(name="Moderators").exists()
        assert not moderator.is_staff

    @pytest.mark.parametrize("login", ["reader", "reader2@example.com", "editor", "moderator"])
    def test_its_logins_work_through_the_sign_in_form(self, client, demo, login):
        response = client.post(
            reverse("account_login"), {"login": login, "password": "scholia-demo"}
        )
        assert response.status_code == 302
        assert response.wsgi_request.user.is_authenticated

    def test_it_writes_threads_with_replies_and_a_quote(self, demo):
        comments = Comment.objects.exclude(author__username="newcomer")
        assert comments.filter(parent__isnull=True).count() >= 3
        assert comments.values("paragraph").distinct().count() >= 3
        assert max(comments.values_list("depth", flat=True)) >= 2
        quoted = comments.exclude(quote_exact="").get()
        assert quoted.quote_exact in quoted.revision.text
        assert quoted.revision.text[quoted.quote_start : quoted.quote_end] == quoted.quote_exact
        assert set(comments.values_list("status", flat=True)) == {Comment.Status.PUBLISHED}

    def test_it_prints_the_logins_and_says_it_is_a_demo(self, demo):
        assert "scholia-demo" in demo
        assert "demo only" in demo
        for username in DEMO_USERS:
            assert username in demo

    def test_it_keeps_a_password_someone_changed(self, demo):
        reader = get_user_model().objects.get(username="reader")
        reader.set_password("a-new-private-password")
        reader.save()
        load_demo()
        reader.refresh_from_db()
        assert reader.check_password("a-new-private-password")

    def test_it_publishes_the_second_version_over_the_discussion_of_the_first(self, client, demo):
        work = Work.objects.select_related("current_version").get()
        on_jdanov = Comment.objects.get(body__startswith="Worth reading against Bandung")
        key = on_jdanov.paragraph.key

        html = client.get(f"/works/{work.slug}/p/{key}/discussion/", headers={"HX-Request": "true"})

        assert work.current_version.number == 2
        assert on_jdanov.version.number == 1
        assert "Written on v1, on an earlier wording." in html.content.decode()
        assert f'href="/works/{work.slug}/compare/1...2/#{key}"' in html.content.decode()

    def test_it_gives_the_moderator_a_held_comment_and_a_flagged_one_to_work(self, demo):
        moderator = get_user_model().objects.get(username="moderator")
        queue = Comment.objects.awaiting_moderation()

        assert [(c.author.username, c.status) for c in queue.order_by("status")] == [
            ("newcomer", Comment.Status.PENDING),
            ("reader", Comment.Status.PUBLISHED),
        ]
        held = queue.get(status=Comment.Status.PENDING)
        assert held in Comment.objects.visible_to(moderator)
        assert held not in Comment.objects.visible_to(
            get_user_model().objects.get(username="reader")
        )
        assert "moderation queue" in demo

    def test_it_does_not_refill_a_queue_the_moderator_worked(self, demo):
        moderator = get_user_model().objects.get(username="moderator")
        held = Comment.objects.get(author__username="newcomer")
        comment_moderate(action="approve", comment=held, moderator=moderator)

        load_demo()

        assert Comment.objects.filter(author__username="newcomer").count() == 1
        assert Flag.objects.count() == 1

    def test_reader_and_reader2_share_a_reading_group_with_its_own_discussion(self, demo):
        User = get_user_model()
        reader, reader2, newcomer = (
            User.objects.get(username=name) for name in ("reader", "reader2", "newcomer")
        )
        group = ReadingGroup.objects.for_member(reader).get()
        in_group = set(Comment.objects.filter(group=group).values_list("pk", flat=True))

        assert list(ReadingGroup.objects.for_member(reader2)) == [group]
        assert group.memberships.get(user=reader).role == Membership.Role.OWNER
        assert len(in_group) >= 3
        assert Comment.objects.filter(group=group, parent__isnull=False).exists()
        for member in (reader, reader2):
            assert in_group <= set(Comment.objects.visible_to(member).values_list("pk", flat=True))
        for outsider in (None, newcomer):
            assert not in_group & set(
                Comment.objects.visible_to(outsider).values_list("pk", flat=True)
            )

    def test_reader_sees_the_layer_switch_at_once_and_the_groups_counts_in_its_layer(
        self, client, demo
    ):
        User = get_user_model()
        group = ReadingGroup.objects.get(name="Tuesday reading group")
        client.force_login(User.objects.get(username="reader"))

        page = client.get("/works/october-1917/").content.decode()
        layer = client.get(f"/works/october-1917/?group={group.slug}").content.decode()

        assert '<nav class="layer-switch"' in page and ">Tuesday reading group</a>" in page
        in_group = [int(n) for n in re.findall(r'data-layer-count="(\d+)"', layer)]
        assert sum(in_group) == Comment.objects.filter(group=group, deleted_at__isnull=True).count()


def test_it_writes_no_discussion_where_there_are_comments_already():
    work = build_work(slug="another-work", title="Another work")
    build_version(work, [para("A passage someone discussed already.")])
    someone = get_user_model().objects.create_user("someone")
    comment_create(author=someone, paragraph=work.paragraphs.get(), body="The first comment.")
    load_demo()
    assert list(Comment.objects.values_list("body", flat=True)) == ["The first comment."]


def test_it_loads_the_first_version_alone_without_a_revision(monkeypatch, tmp_path):
    monkeypatch.setattr(load_demo_command, "REVISION_FILE", tmp_path / "missing.txt")
    load_demo()
    load_demo()
    assert list(Version.objects.values_list("number", flat=True)) == [1]
    assert Comment.objects.filter(version__number=1).count() == Comment.objects.count() > 0
