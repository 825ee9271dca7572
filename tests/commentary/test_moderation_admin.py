"""The admin lists comments, flags, sanctions and the audit log; its actions on comments
are the queue's decisions, with the same events."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from commentary.accounts.models import Profile
from commentary.models import Comment
from commentary.moderation.decisions import comment_moderate
from commentary.moderation.models import ModerationEvent
from commentary.moderation.sanctions import user_ban
from tests.commentary.builders import client_for, post, set_status
from tests.commentary.group_people import make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/commentary/comment/"


@pytest.fixture
def admin_moderator():
    user = make_moderator("sam")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    # Staff reach the admin with the view permission; moderating comes from the group.
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="commentary", codename__startswith="view_"
        )
    )
    return user


def act(client, action: str, *comments: Comment):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [c.pk for c in comments]},
        follow=True,
    )


def test_it_lists_comments_filtered_by_status_and_work(alice, work, admin_moderator):
    held = set_status(post(alice, work, body="Held back."), Comment.Status.PENDING)
    post(alice, work, body="Out in the open.")
    client = client_for(admin_moderator)

    html = client.get(
        CHANGELIST, {"status": "pending", "work__id__exact": work.pk}
    ).content.decode()

    assert f"Comment {held.pk} by" in html
    assert html.count('name="_selected_action"') == 1


def test_its_actions_decide_through_the_service_and_log_once(alice, work, admin_moderator):
    first = set_status(post(alice, work), Comment.Status.PENDING)
    second = set_status(post(alice, work), Comment.Status.PENDING)
    comment_moderate(action="approve", comment=second, moderator=make_moderator("otto"))

    response = act(client_for(admin_moderator), "approve", first, second)

    assert response.status_code == 200
    html = response.content.decode()
    assert "1 comment decided." in html
    assert "1 comment was already decided" in html
    assert Comment.objects.get(pk=first.pk).status == Comment.Status.PUBLISHED
    assert ModerationEvent.objects.filter(actor=admin_moderator, action="approve").count() == 1


def test_its_actions_are_offered_to_moderators_only(alice, work, admin_moderator):
    held = set_status(post(alice, work), Comment.Status.PENDING)
    staff = get_user_model().objects.create_user("stan", is_staff=True)
    staff.user_permissions.set(admin_moderator.user_permissions.all())

    html = client_for(staff).get(CHANGELIST).content.decode()
    assert 'value="approve"' not in html
    act(client_for(staff), "approve", held)

    assert Comment.objects.get(pk=held.pk).status == Comment.Status.PENDING
    assert not ModerationEvent.objects.exists()
    assert 'value="approve"' in client_for(admin_moderator).get(CHANGELIST).content.decode()


def test_the_audit_log_admin_neither_adds_changes_nor_deletes(alice, work, admin_moderator):
    event = comment_moderate(
        action="approve",
        comment=set_status(post(alice, work), Comment.Status.PENDING),
        moderator=admin_moderator,
    ).moderation_events.get()
    client = client_for(admin_moderator)

    assert client.get("/admin/commentary/moderationevent/").status_code == 200
    assert client.get("/admin/commentary/moderationevent/add/").status_code == 403
    url = f"/admin/commentary/moderationevent/{event.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert ModerationEvent.objects.filter(pk=event.pk).exists()


def test_trust_changes_through_logged_actions_only(alice, admin_moderator):
    client = client_for(admin_moderator)
    profile = Profile.objects.get(user=alice)

    client.post(
        "/admin/commentary/profile/",
        {"action": "grant_trust", "_selected_action": [profile.pk]},
    )

    assert Profile.objects.get(pk=profile.pk).trusted is True
    assert ModerationEvent.objects.get().action == "trust"


def test_the_sanctions_admin_keeps_a_groups_sanctions_with_its_leaders(
    alice, work, admin_moderator
):
    group, olga, gus = make_seminar(work)
    user_ban(user=gus, moderator=olga, reason="Group spoilers.", group=group)
    user_ban(user=alice, moderator=admin_moderator, reason="Site spam.")

    html = client_for(admin_moderator).get("/admin/commentary/sanction/").content.decode()

    assert "Site spam." in html
    assert "Group spoilers." not in html
