"""A member deletes their account: their comments stay in their threads by "[deleted
member]", their text removed unless they keep it; everything else of theirs goes; the audit
log keeps its events with the account's id only; an owner hands their groups over first.
Nothing of their email or name remains in any table."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from commentary.accounts.deletion import DELETED_NAME, AccountDeletionRefused, account_delete
from commentary.accounts.export import export_request
from commentary.accounts.models import ApiToken
from commentary.accounts.tokens import token_create
from commentary.groups.invitations import group_join
from commentary.groups.services import group_create, ownership_transfer
from commentary.models import Comment
from commentary.moderation.decisions import flag_create
from commentary.moderation.models import Flag, ModerationEvent, Sanction
from commentary.moderation.sanctions import user_suspend
from commentary.notifications.models import Notification
from commentary.services import comment_edit
from tests.commentary.builders import client_for, make_user, make_work, post

pytestmark = pytest.mark.django_db

USERNAME = "zoraida"
EMAIL = "zoraida.q@example.org"
OTHER_EMAIL = "zq@another.example.net"
NAME = "Zoraida Quintanilla"
TRACES = (USERNAME, EMAIL, OTHER_EMAIL, NAME, "Quintanilla")


@pytest.fixture
def work():
    return make_work()


@pytest.fixture
def moderator():
    moderator = make_user("mona", "Mona the moderator")
    moderator.is_staff = True
    moderator.is_superuser = True
    moderator.save()
    return moderator


@pytest.fixture
def zoraida(work, moderator):
    """A member with a full life on the site: comments (one edited, one replied to, one in a
    group), a flag, a decision told, a sanction, tokens, addresses, a session, an export, an
    admin history."""
    zoraida = make_user(USERNAME, NAME)
    zoraida.email = EMAIL
    zoraida.first_name, zoraida.last_name = "Zoraida", "Quintanilla"
    zoraida.set_password("a long pass phrase")
    zoraida.save()
    EmailAddress.objects.create(user=zoraida, email=EMAIL, primary=True, verified=True)
    EmailAddress.objects.create(user=zoraida, email=OTHER_EMAIL, primary=False, verified=False)
    bob = make_user("bob")
    group = group_create(owner=bob, name="Seminar", works=[work.slug])
    group_join(user=zoraida, code=group.invite_code)

    root = post(zoraida, work, "p3", "Zoraida's opening remark.")
    comment_edit(comment=root, editor=zoraida, body="Zoraida's remark, reworded.")
    post(bob, work, "p3", "Bob replies.", parent=root)
    post(zoraida, work, "p3", "In the seminar only.", group=group)
    bobs = post(bob, work, "p4", "Bob elsewhere.")
    flag_create(comment=bobs, user=zoraida, reason=Flag.Reason.OTHER, note="Zoraida thinks so.")
    moderated = post(zoraida, work, "p5", "A remark to moderate.")
    client_for(moderator).post(
        f"/moderation/comments/{moderated.pk}/decide/",
        {"action": "hide", "reason": f"Hidden: {USERNAME} was told why."},
    )
    user_suspend(
        user=zoraida,
        moderator=moderator,
        until=timezone.now() + timedelta(days=1),
        reason=f"{NAME} was rude.",
    )
    token_create(user=zoraida, name="Zoraida's script")
    export_request(user=zoraida)
    LogEntry.objects.log_actions(
        user_id=moderator.pk,
        queryset=[zoraida],
        action_flag=CHANGE,
        change_message=f"Changed email of {USERNAME}.",
        single_object=True,
    )
    client = client_for(zoraida)
    client.get("/")
    return zoraida


def every_text_in_the_database() -> str:
    """Every value of every row of every table, as text."""
    texts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                texts.append(f"{table}: " + " | ".join(map(str, row)))
    return "\n".join(texts)


def test_nothing_of_their_email_or_name_remains_in_any_table(zoraida):
    before = every_text_in_the_database()
    assert all(trace.lower() in before.lower() for trace in TRACES)

    account_delete(user=zoraida)

    after = every_text_in_the_database().lower()
    left = [line for line in after.splitlines() if any(t.lower() in line for t in TRACES)]
    assert left == []


def test_their_comments_stay_in_their_threads_by_a_deleted_member_without_text(zoraida, work):
    root = Comment.objects.get(author=zoraida, parent=None, paragraph__key="p3", group=None)

    account_delete(user=zoraida)

    root.refresh_from_db()
    assert root.deleted_at is not None
    assert root.body == root.body_html == ""
    assert [r.body for r in root.revisions.all()] == [""]
    assert root.replies.get().body == "Bob replies."
    page = client_for(make_user("reader")).get(f"/comments/{root.pk}/").content.decode()
    assert "Bob replies." in page
    assert "Zoraida" not in page


def test_a_member_may_keep_their_comments_text_anonymously(zoraida, work):
    account_delete(user=zoraida, keep_comments=True)

    kept = Comment.objects.get(body="Zoraida's remark, reworded.")
    assert kept.deleted_at is None
    assert kept.author.profile.display_name == DELETED_NAME
    page = APIClient().get(f"/api/v1/comments/{kept.pk}/").json()
    assert page["author"] == {"username": f"deleted-{zoraida.pk}", "display_name": DELETED_NAME}


def sessions_of(user) -> list[Session]:
    return [
        session
        for session in Session.objects.all()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]


def test_tokens_sessions_memberships_and_notifications_go(zoraida, moderator):
    assert sessions_of(zoraida)

    account_delete(user=zoraida)

    assert not ApiToken.objects.filter(user=zoraida).exists()
    assert not Notification.objects.filter(recipient=zoraida).exists()
    assert not zoraida.group_memberships.exists()
    assert not EmailAddress.objects.filter(user=zoraida).exists()
    assert sessions_of(zoraida) == []
    assert sessions_of(moderator)  # only hers
    zoraida.refresh_from_db()
    assert not zoraida.is_active
    assert not zoraida.has_usable_password()


def test_the_audit_log_keeps_its_events_with_the_accounts_id_only(zoraida):
    events = list(ModerationEvent.objects.filter(user=zoraida).values_list("pk", "action"))
    assert events

    account_delete(user=zoraida)

    kept = ModerationEvent.objects.filter(user_id=zoraida.pk)
    assert list(kept.values_list("pk", "action")) == events
    assert sorted(kept.values_list("reason", flat=True)) == [
        f"Hidden: {DELETED_NAME} was told why.",
        f"{DELETED_NAME} was rude.",
    ]
    # Flags still count for the comment; what they said goes.
    assert Flag.objects.get(user=zoraida).note == "[removed]"


def test_an_owner_hands_their_groups_over_first(work):
    owner = make_user("olga")
    member = make_user("mikhail")
    group = group_create(owner=owner, name="Olga's circle", works=[work.slug])
    group_join(user=member, code=group.invite_code)

    with pytest.raises(AccountDeletionRefused):
        account_delete(user=owner)
    page = client_for(owner).get("/settings/delete/")
    assert "Olga&#x27;s circle" in page.content.decode() or "Olga's circle" in page.content.decode()
    assert 'name="password"' not in page.content.decode()

    ownership_transfer(group=group, by=owner, to=member)
    account_delete(user=owner)
    assert get_user_model().objects.get(pk=owner.pk).username == f"deleted-{owner.pk}"


def test_the_page_deletes_the_account_with_the_password_and_signs_out(zoraida):
    client = client_for(zoraida)

    refused = client.post("/settings/delete/", {"password": "wrong"})
    assert refused.status_code == 400
    assert "That is not your password." in refused.content.decode()

    deleted = client.post("/settings/delete/", {"password": "a long pass phrase"})
    assert deleted.status_code == 302
    assert client.get("/settings/profile/").status_code == 302  # signed out
    zoraida.refresh_from_db()
    assert zoraida.username == f"deleted-{zoraida.pk}"


def test_the_api_deletes_the_account_once_confirmed(zoraida):
    api = APIClient()
    api.force_authenticate(zoraida)

    refused = api.delete("/api/v1/account/", {"confirm": "someone"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"confirm": ["Type your username to confirm."]}
    deleted = api.delete(
        "/api/v1/account/", {"confirm": USERNAME, "keep_comments": True}, format="json"
    )
    assert deleted.status_code == 204
    assert Comment.objects.filter(body="Zoraida's remark, reworded.").exists()


def test_nothing_else_is_touched(zoraida, moderator):
    bob = get_user_model().objects.get(username="bob")
    account_delete(user=zoraida)

    assert bob.comments.filter(deleted_at__isnull=True).count() == 2
    assert get_user_model().objects.get(pk=moderator.pk).username == "mona"
    # The sanction stays, its reason without the name.
    assert Sanction.objects.get(user=zoraida).reason == f"{DELETED_NAME} was rude."


@pytest.mark.django_db(transaction=True)
def test_erasure_lets_through_a_reason_only_and_only_when_asked(zoraida):
    if connection.vendor != "postgresql":
        pytest.skip("The audit log's trigger is PostgreSQL's.")
    from django.db import DatabaseError, transaction

    event = ModerationEvent.objects.filter(user=zoraida).first()
    table = connection.ops.quote_name(ModerationEvent._meta.db_table)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET reason = 'rewritten' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL scholia.erasure = 'on'")
        cursor.execute(f"UPDATE {table} SET action = 'approve' WHERE id = %s", [event.pk])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL scholia.erasure = 'on'")
        cursor.execute(f"UPDATE {table} SET reason = 'erased' WHERE id = %s", [event.pk])
    assert ModerationEvent.objects.get(pk=event.pk).reason == "erased"


def test_the_api_refuses_an_owner_and_an_anonymous_client(work):
    owner = make_user("olga")
    group_create(owner=owner, name="Olga's circle", works=[work.slug])
    api = APIClient()
    api.force_authenticate(owner)

    refused = api.delete("/api/v1/account/", {"confirm": "olga"}, format="json")

    assert refused.status_code == 400
    assert "hand each group over" in refused.json()["errors"]["groups"][0]
    assert (
        APIClient().delete("/api/v1/account/", {"confirm": "olga"}, format="json").status_code
        == 401
    )
