"""Authors are told of decisions on their comments: which decisions, to whom, and by mail
through a background task."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from commentary.errors import ModerationConflict
from commentary.models import Comment
from commentary.moderation.decisions import comment_moderate, comments_moderate, flag_create
from commentary.moderation.models import ModerationEvent
from commentary.notifications.models import Notification
from commentary.notifications.services import notifications_mark_read, unread_count
from commentary.services import comment_edit
from tests.api.comment_fixtures import client_for as api_client_for
from tests.commentary.builders import client_for, post, set_status
from tests.commentary.group_people import group_post, make_seminar
from tests.commentary.moderation_people import make_flaggers, make_moderator

# Decisions tell their authors once they commit (``commentary.events``): real commits.
pytestmark = pytest.mark.django_db(transaction=True)

Status = Comment.Status
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def mona():
    return make_moderator()


def verify(user, email: str = "") -> EmailAddress:
    return EmailAddress.objects.create(
        user=user, email=email or user.email, primary=True, verified=True
    )


def flag_to_hide(comment):
    for flagger in make_flaggers(3):
        flag_create(comment=comment, user=flagger, reason="spam")


# Which decisions are told, to whom


@pytest.mark.parametrize(
    ("start", "decide", "summary"),
    [
        ("pending", "approve", "Approved: it is published."),
        ("pending", "reject", "Rejected by a moderator."),
        ("published", "hide", "Hidden by a moderator."),
        ("hidden", "restore", "Restored by a moderator: it is published again."),
    ],
)
def test_it_tells_the_author_of_each_decision_with_its_event(
    alice, work, mona, start, decide, summary
):
    comment = set_status(post(alice, work), start)

    comment_moderate(action=decide, comment=comment, moderator=mona, reason="Because.")

    notification = Notification.objects.get()
    event = ModerationEvent.objects.get()
    assert (notification.recipient, notification.comment, notification.event) == (
        alice,
        comment,
        event,
    )
    assert notification.is_unread
    assert unread_count(alice) == 1
    assert unread_count(mona) == 0


def test_it_tells_the_author_when_flags_hide_the_comment_and_when_a_moderator_keeps_it(
    alice, work, mona
):
    comment = post(alice, work)

    flag_to_hide(comment)
    comment_moderate(action="keep", comment=comment, moderator=mona)

    hidden, kept = Notification.objects.order_by("pk").select_related("event")
    assert (hidden.event.action, hidden.event.actor) == ("hide", None)
    assert (kept.event.action, kept.event.from_status) == ("keep", "hidden")
    assert {hidden.recipient, kept.recipient} == {alice}


def test_keeping_a_comment_that_was_never_hidden_tells_nobody(alice, bob, work, mona):
    comment = post(alice, work)
    flag_create(comment=comment, user=bob, reason="spam")

    comment_moderate(action="keep", comment=comment, moderator=mona)

    assert ModerationEvent.objects.filter(action="keep").exists()
    assert not Notification.objects.exists()


def test_a_moderator_deciding_on_their_own_comment_is_not_told(work, mona):
    comment = set_status(post(mona, work), Status.PUBLISHED)

    comment_moderate(action="hide", comment=comment, moderator=mona)

    assert ModerationEvent.objects.exists()
    assert not Notification.objects.exists()


def test_a_decision_refused_as_already_decided_tells_nothing(alice, work, mona):
    comment = set_status(post(alice, work), Status.PENDING)
    comment_moderate(action="approve", comment=comment, moderator=mona)

    with pytest.raises(ModerationConflict):
        comment_moderate(
            action="reject", comment=comment, moderator=mona, expected_status="pending"
        )

    assert Notification.objects.count() == 1


def test_a_bulk_decision_tells_each_author_once(alice, bob, work, mona):
    held = [set_status(post(author, work), Status.PENDING) for author in (alice, bob, alice)]
    comment_moderate(action="approve", comment=held[2], moderator=mona)

    outcome = comments_moderate(comments=held, moderator=mona, action="reject", reason="Off.")

    assert len(outcome.decided) == 2
    assert Notification.objects.filter(event__action="reject").count() == 2
    assert sorted(n.recipient.username for n in Notification.objects.all()) == [
        "alice",
        "alice",
        "bob",
    ]


def test_a_new_members_edit_sent_back_to_the_queue_tells_nothing(alice, work, settings):
    comment = post(alice, work)
    settings.SCHOLIA_NEW_MEMBER_HELD = 3

    comment_edit(comment=comment, editor=alice, body="Changed.")

    assert ModerationEvent.objects.filter(action="requeue").exists()
    assert not Notification.objects.exists()


def test_a_group_moderators_decision_is_told_to_the_author_only(work):
    group, olga, gus = make_seminar(work, moderation_policy="premoderated")
    comment = group_post(gus, work, group)
    assert comment.status == Status.PENDING

    comment_moderate(comment=comment, moderator=olga, action="reject", reason="Not here.")

    assert [(n.recipient, n.comment) for n in Notification.objects.all()] == [(gus, comment)]
    assert unread_count(olga) == 0


def test_marking_read_clears_the_count_and_leaves_a_newer_one_unread(
    alice, work, mona, django_capture_on_commit_callbacks
):
    first, second = (set_status(post(alice, work), Status.PENDING) for _ in range(2))
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(action="approve", comment=first, moderator=mona)
    seen = Notification.objects.get()
    assert unread_count(alice) == 1
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(action="approve", comment=second, moderator=mona)
    assert unread_count(alice) == 2

    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_mark_read(user=alice, up_to=seen.pk) == 1
    assert unread_count(alice) == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_mark_read(user=alice) == 1
    assert unread_count(alice) == 0


# Mail, by a background task


def test_a_verified_author_gets_one_mail_with_the_decision_and_its_reason(
    alice, work, mona, settings, django_capture_on_commit_callbacks
):
    settings.SCHOLIA_SITE_URL = "https://scholia.example.org"
    verify(alice)
    comment = set_status(post(alice, work, body="Lenin *wrote* this."), Status.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(
            action="reject", comment=comment, moderator=mona, reason="Please cite a source."
        )

    (message,) = mail.outbox
    assert message.to == ["alice@example.org"]
    assert message.subject == "[Scholia] A decision on your comment on ¶ 1"
    assert "Rejected by a moderator." in message.body
    assert "Reason: Please cite a source." in message.body
    assert "“Lenin wrote this.”" in message.body
    assert f"https://scholia.example.org/comments/{comment.pk}/" in message.body
    assert "https://scholia.example.org/users/alice/#decisions" in message.body
    assert Notification.objects.get().emailed_at is not None


def test_the_mail_goes_to_the_primary_address_only_when_verified(
    alice, bob, work, mona, django_capture_on_commit_callbacks
):
    EmailAddress.objects.create(user=alice, email=alice.email, primary=True, verified=False)
    verify(bob, "bob@old.example.org").delete()
    comments = [set_status(post(author, work), Status.PENDING) for author in (alice, bob)]

    with django_capture_on_commit_callbacks(execute=True):
        comments_moderate(comments=comments, moderator=mona, action="approve")

    assert mail.outbox == []
    assert Notification.objects.count() == 2
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()


def test_the_flags_hiding_a_comment_are_told_by_mail(
    alice, work, django_capture_on_commit_callbacks
):
    verify(alice)
    comment = post(alice, work)

    with django_capture_on_commit_callbacks(execute=True):
        flag_to_hide(comment)

    (message,) = mail.outbox
    assert "Hidden after members flagged it, awaiting a moderator." in message.body
    assert "Reason: Flagged by 3 members." in message.body


# Committed for real: the worker opens and closes its own connections, as in production.
@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_request_sends_nothing_and_the_worker_sends_it(
    alice, work, mona, settings
):
    settings.TASKS = DATABASE_TASKS
    settings.SCHOLIA_SITE_URL = ""
    settings.ALLOWED_HOSTS = ["reading.example.net"]
    verify(alice)
    comment = set_status(post(alice, work), Status.PENDING)

    response = client_for(mona).post(
        f"/moderation/comments/{comment.pk}/decide/",
        {"action": "reject", "reason": "Off topic."},
        headers={"host": "reading.example.net"},
        secure=True,
    )

    assert response.status_code == 302
    assert mail.outbox == []
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "commentary.notifications.mail.notification_mail_send"
    # The worker has no request: the origin the decision came through goes with the task,
    # and so does the request's id, for its logs.
    assert queued.args_kwargs == {
        "args": [Notification.objects.get().pk],
        "kwargs": {
            "origin": "https://reading.example.net",
            "request_id": response["X-Request-ID"],
        },
    }

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    (message,) = mail.outbox
    assert "Reason: Off topic." in message.body
    assert f"https://reading.example.net/comments/{comment.pk}/" in message.body
    assert "127.0.0.1:8000" not in message.body
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [
        ("", "http://reading.example.net"),
        ("https://scholia.example.org", "https://scholia.example.org"),
    ],
)
def test_the_mail_links_to_the_site_url_else_to_the_site_the_decision_came_through(
    alice, work, mona, settings, django_capture_on_commit_callbacks, site_url, expected
):
    settings.SCHOLIA_SITE_URL = site_url
    settings.ALLOWED_HOSTS = ["reading.example.net"]
    verify(alice)
    held = set_status(post(alice, work, body="Through the page."), Status.PENDING)
    hidden = post(alice, work, body="Through the API.")

    with django_capture_on_commit_callbacks(execute=True):
        client_for(mona).post(
            f"/moderation/comments/{held.pk}/decide/",
            {"action": "approve"},
            headers={"host": "reading.example.net"},
        )
    with django_capture_on_commit_callbacks(execute=True):
        api_client_for(mona).post(
            f"/api/v1/comments/{hidden.pk}/moderate/",
            {"action": "hide", "reason": "Rude."},
            format="json",
            headers={"host": "reading.example.net"},
        )

    assert len(mail.outbox) == 2
    for message, comment in zip(mail.outbox, (held, hidden), strict=True):
        assert f"{expected}/comments/{comment.pk}/" in message.body
        assert f"{expected}/users/alice/#decisions" in message.body
        assert "127.0.0.1:8000" not in message.body


def test_a_failing_send_keeps_the_notification_and_the_decision(
    alice, work, mona, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(self, messages):
        raise ConnectionRefusedError("The mail server is down.")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    verify(alice)
    comment = set_status(post(alice, work), Status.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(action="approve", comment=comment, moderator=mona)

    assert Comment.objects.get(pk=comment.pk).status == Status.PUBLISHED
    notification = Notification.objects.get()
    assert notification.emailed_at is None
    assert unread_count(alice) == 1
