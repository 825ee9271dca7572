"""Notifications by mail: at once by a background task, daily and weekly digests built by a
command safe to run twice, one-click unsubscribe (RFC 8058), settings on a page and in the
API; and the group canary through all of it."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from commentary.groups.services import member_remove
from commentary.notifications.follows import follow_create
from commentary.notifications.models import Digest, Frequency, Kind, Notification
from commentary.notifications.preferences import frequencies_of, preferences_update
from commentary.notifications.tasks import comment_told
from tests.commentary.builders import client_for, make_user, paragraph_of, post
from tests.commentary.group_people import CANARY, group_post, make_seminar

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def verify(*users) -> None:
    for user in users:
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)


def test_a_reply_is_mailed_at_once_with_one_click_unsubscribe(alice, bob, work):
    verify(alice)
    first = post(alice, work)

    reply = post(bob, work, parent=first, body="A reply worth a mail.")

    (message,) = mail.outbox
    assert message.to == [alice.email]
    assert message.subject == "[Scholia] bob replied to your comment."
    assert f"/comments/{reply.pk}/" in message.body
    assert "A reply worth a mail." in message.body
    assert message.content_subtype == "plain"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/notifications/unsubscribe/" in link
    assert Notification.objects.get(comment=reply).emailed_at is not None


def test_the_one_click_post_unsubscribes_without_a_session(alice, bob, work):
    verify(alice)
    post(bob, work, parent=post(alice, work))
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = link.split("://", 1)[1].split("/", 1)[1]
    client = client_for()
    client.handler.enforce_csrf_checks = True

    shown = client.get(f"/{path}")
    assert shown.status_code == 200
    assert frequencies_of(alice)[Kind.REPLY] == Frequency.AT_ONCE  # a GET changes nothing
    answer = client.post(f"/{path}", {"List-Unsubscribe": "One-Click"})

    assert answer.status_code == 200
    assert frequencies_of(alice)[Kind.REPLY] == Frequency.NEVER
    mail.outbox.clear()
    post(bob, work, parent=Notification.objects.first().comment)
    assert mail.outbox == []
    assert client.post("/notifications/unsubscribe/forged/").status_code == 400


def test_a_kind_chosen_never_or_for_a_digest_is_not_mailed_at_once(alice, bob, work):
    verify(alice)
    preferences_update(user=alice, frequencies={Kind.REPLY: Frequency.DAILY})

    post(bob, work, parent=post(alice, work))

    assert mail.outbox == []


def test_a_digest_built_twice_sends_once(alice, bob, work):
    verify(bob)
    follow_create(user=bob, work=work, paragraph=paragraph_of(work))  # daily by default
    post(alice, work, body="First of the day.")
    post(alice, work, body="Second of the day.")
    assert mail.outbox == []

    call_command("send_digests", "--period", "daily")
    call_command("send_digests", "--period", "daily")

    (digest,) = mail.outbox
    assert digest.to == [bob.email]
    assert "First of the day." in digest.body and "Second of the day." in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Digest.objects.get().item_count == 2
    call_command("send_digests", "--period", "weekly")
    assert len(mail.outbox) == 1  # nothing bob wants weekly


def test_the_canary_reaches_no_outsider_by_mail_or_digest(alice, bob, work):
    group, olga, gus = make_seminar(work)
    verify(alice, bob, gus)
    for outsider in (alice, bob, gus):
        follow_create(user=outsider, work=work)
        follow_create(user=outsider, work=work, paragraph=paragraph_of(work))
    preferences_update(user=alice, frequencies={Kind.PARAGRAPH: Frequency.AT_ONCE})

    group_post(olga, work, group, body=f"{CANARY} @alice @bob")
    call_command("send_digests", "--period", "daily")
    call_command("send_digests", "--period", "weekly")

    assert [message.to for message in mail.outbox] == [[gus.email]]
    assert all(CANARY not in message.body for message in mail.outbox if message.to != [gus.email])


def test_a_removed_member_gets_no_digest_already_waiting(work):
    group, olga, gus = make_seminar(work)
    verify(gus)
    follow_create(user=gus, work=work, paragraph=paragraph_of(work))
    group_post(olga, work, group)
    assert Notification.objects.filter(recipient=gus).count() == 1

    member_remove(group=group, by=olga, user=gus)
    call_command("send_digests", "--period", "daily")

    assert mail.outbox == []


def test_settings_page_and_api(alice):
    page = client_for(alice).get("/settings/notifications/")
    assert page.status_code == 200
    form = {f"email_{kind}": "never" for kind in Kind.values} | {"follow_own_threads": ""}
    form["email_mention"] = "weekly"
    client_for(alice).post("/settings/notifications/", form)
    assert frequencies_of(alice)[Kind.MENTION] == "weekly"

    api = APIClient()
    api.force_authenticate(alice)
    assert api.get("/api/v1/notifications/preferences/").json()["follow_own_threads"] is False
    changed = api.patch(
        "/api/v1/notifications/preferences/",
        {"email": {"reply": "daily"}, "follow_own_threads": True},
        format="json",
    )
    assert changed.json()["email"]["reply"] == "daily"
    assert changed.json()["follow_own_threads"] is True
    bad = api.patch(
        "/api/v1/notifications/preferences/", {"email": {"reply": "hourly"}}, format="json"
    )
    assert bad.status_code == 400


def test_a_thread_of_many_followers_costs_one_task(
    alice, work, settings, django_assert_max_num_queries
):
    first = post(alice, work)
    followers = [make_user(f"f{n}") for n in range(60)]
    verify(*followers)
    for follower in followers:
        follow_create(user=follower, work=work, thread=first)
    preferences_update(user=followers[0], frequencies={Kind.THREAD: Frequency.AT_ONCE})
    settings.TASKS = DATABASE_TASKS

    reply = post(alice, work, parent=first, body="To sixty.")

    (queued,) = DBTaskResult.objects.all()
    assert queued.args_kwargs["args"] == [reply.pk]
    assert mail.outbox == []
    with django_assert_max_num_queries(25):
        comment_told.call(reply.pk)
    assert Notification.objects.filter(kind=Kind.THREAD).count() == 60
    assert [message.to for message in mail.outbox] == [[followers[0].email]]
