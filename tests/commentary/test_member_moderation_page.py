"""A member's moderation page, /moderation/members/<username>/: what a site moderator and a
reading group's leader read there, and the forms that suspend, ban, reinstate and decide on
trust, each through its service with one event, each refusal said beside its form.

Personas: mona moderates the site; alice writes (some of it held); olga owns a seminar that
gus belongs to; bob is a member who moderates nothing.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from commentary.accounts.models import Profile
from commentary.models import Comment
from commentary.moderation.decisions import comment_moderate, flag_create
from commentary.moderation.models import Flag, ModerationEvent, Sanction
from commentary.moderation.sanctions import user_ban, user_suspend
from tests.commentary.builders import bulk_roots, client_for, make_user, post, set_status
from tests.commentary.group_people import make_seminar
from tests.commentary.moderation_people import make_flaggers, make_moderator

pytestmark = pytest.mark.django_db

Status = Comment.Status
ALICE = "/moderation/members/alice/"
GUS = "/moderation/members/gus/"


def action_url(username: str, action: str) -> str:
    return f"/moderation/members/{username}/{action}/"


def later(days: int = 7) -> str:
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def mona():
    return make_moderator()


@pytest.fixture
def seminar(work):
    return make_seminar(work)


# Who reaches it


def test_it_answers_404_to_anonymous_visitors_and_members_who_moderate_nothing(alice, bob):
    assert client_for().get(ALICE).status_code == 404
    assert client_for(bob).get(ALICE).status_code == 404
    assert client_for(bob).post(action_url("alice", "ban"), {"reason": "x"}).status_code == 404
    assert not Sanction.objects.exists()


def test_it_answers_404_for_a_member_who_does_not_exist(mona):
    assert client_for(mona).get("/moderation/members/nobody/").status_code == 404


def test_a_group_leader_reaches_only_the_members_of_her_groups(seminar, alice):
    group, olga, gus = seminar

    assert client_for(olga).get(GUS).status_code == 200
    assert client_for(olga).get(ALICE).status_code == 404
    assert client_for(gus).get("/moderation/members/olga/").status_code == 404


# What it shows


def test_it_shows_a_moderator_the_members_record_comments_sanctions_and_events(
    alice, bob, work, mona
):
    held = set_status(post(alice, work, body="Held words."), Status.PENDING)
    approved = comment_moderate(
        action="approve",
        comment=set_status(post(alice, work, body="Approved."), Status.PENDING),
        moderator=mona,
    )
    flagged = post(alice, work, body="Flagged words.")
    flag_create(comment=flagged, user=bob, reason=Flag.Reason.SPAM)
    post(alice, work, body="Plain published words.")
    user_suspend(
        user=alice, moderator=mona, until=timezone.now() + timedelta(days=2), reason="Rude."
    )

    html = client_for(mona).get(ALICE).content.decode()

    assert "Alice Liddell" in html
    assert "<dt>Approved</dt><dd>3</dd>" in html
    assert "<dt>Held</dt><dd>1</dd>" in html
    assert "<dt>Flags received</dt><dd>1</dd>" in html
    assert f'href="/comments/{held.pk}/"' in html
    assert f'href="/comments/{flagged.pk}/"' in html
    in_moderation = html.split("Comments in moderation")[1].split("<h2")[0]
    assert f'href="/comments/{approved.pk}/"' not in in_moderation
    assert "Plain published words." not in html
    assert "on October 1917 Revolution: A Century Later, ¶ 1" in html
    assert "Suspended until" in html and "Reason: Rude." in html
    assert "suspended →" not in html and "active → suspended" in html
    assert 'href="/moderation/log/?user=alice"' in html
    assert "Set trust" in html


def test_a_group_leader_sees_her_groups_part_only(seminar, mona):
    group, olga, gus = seminar
    user_ban(user=gus, moderator=mona, reason="Site reasons.")

    html = client_for(olga).get(GUS).content.decode()

    assert "Sanctions in the group Tuesday seminar" in html
    assert "Sanctions on the whole site" not in html
    assert "Site reasons." not in html
    assert "Set trust" not in html


def test_it_costs_the_same_queries_whatever_the_member_has_done(
    alice, work, mona, django_assert_max_num_queries
):
    client = client_for(mona)
    for comment in bulk_roots(alice, work, 2):
        set_status(comment, Status.PENDING)
    with django_assert_max_num_queries(30) as few:
        assert client.get(ALICE).status_code == 200
    for comment in bulk_roots(alice, work, 40):
        set_status(comment, Status.PENDING)
    for flagger in make_flaggers(3):
        flag_create(comment=post(alice, work), user=flagger, reason=Flag.Reason.SPAM)
    for _round in range(5):
        user_ban(user=alice, moderator=mona, reason="Again.")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(ALICE)

    assert response.content.decode().count("member-comment-status") == 20


# Suspending, banning, reinstating


def test_a_moderator_suspends_a_member_until_a_date_with_one_event(alice, mona):
    client = client_for(mona)

    response = client.post(action_url("alice", "suspend"), {"until": later(), "reason": "Rude."})

    assert response.status_code == 302
    assert response["Location"] == f"{ALICE}#scope-site"
    sanction = Sanction.objects.get()
    assert (sanction.kind, sanction.reason, sanction.group) == ("suspend", "Rude.", None)
    assert sanction.until > timezone.now() + timedelta(days=6)
    assert list(ModerationEvent.objects.values_list("action", "actor", "user")) == [
        ("suspend", mona.pk, alice.pk)
    ]
    page = client.get(response["Location"]).content.decode()
    assert "alice is suspended until" in page
    assert "Reinstate" in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"until": "2001-01-01T10:00", "reason": "Rude."}, "A suspension ends in the future."),
        ({"until": later(), "reason": ""}, "Say why: the member is told."),
        ({"until": "next week", "reason": "Rude."}, "Give a date and a time"),
        ({"reason": "Rude."}, "Say until when."),
    ],
)
def test_a_suspension_with_bad_input_is_refused_beside_its_form(alice, mona, data, message):
    response = client_for(mona).post(action_url("alice", "suspend"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Sanction.objects.exists() and not ModerationEvent.objects.exists()


def test_a_ban_needs_a_reason_and_writes_one_event(alice, mona):
    client = client_for(mona)

    refused = client.post(action_url("alice", "ban"), {"reason": "  "})
    banned = client.post(action_url("alice", "ban"), {"reason": "Spam, again."})

    assert refused.status_code == 400
    assert "Say why: the member is told." in refused.content.decode()
    assert banned.status_code == 302
    assert list(ModerationEvent.objects.values_list("action", "from_status", "to_status")) == [
        ("ban", "active", "ban")
    ]
    assert "Banned by mona" in client.get(ALICE).content.decode()


def test_a_moderator_reinstates_a_member_with_one_event(alice, mona):
    client = client_for(mona)
    client.post(action_url("alice", "ban"), {"reason": "Spam."})

    lifted = client.post(action_url("alice", "reinstate"), {"reason": "Apologised."})
    again = client.post(action_url("alice", "reinstate"), {})

    assert lifted.status_code == 302
    assert again.status_code == 400
    assert "This member is not suspended or banned." in again.content.decode()
    assert list(ModerationEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "ban",
        "reinstate",
    ]
    assert "Not suspended or banned." in client.get(ALICE).content.decode()


def test_a_moderator_cannot_sanction_themselves_nor_another_moderator(mona):
    make_moderator("max")
    client = client_for(mona)

    own = client.get("/moderation/members/mona/").content.decode()
    other = client.get("/moderation/members/max/").content.decode()
    refused = client.post(action_url("max", "ban"), {"reason": "Disagreed."})

    assert "You cannot sanction yourself." in own
    assert "Moderators do not sanction one another: ask an administrator." in other
    assert "/moderation/members/max/ban/" not in other
    assert refused.status_code == 400
    assert "Moderators do not sanction one another" in refused.content.decode()
    assert not Sanction.objects.exists() and not ModerationEvent.objects.exists()


def test_an_unknown_action_is_404(alice, mona):
    assert client_for(mona).post(action_url("alice", "delete"), {}).status_code == 404


# Trust


@pytest.mark.parametrize(
    "choice, stored, action",
    [
        ("trusted", True, "trust"),
        ("untrusted", False, "distrust"),
    ],
)
def test_a_moderator_grants_or_removes_trust_with_one_event(alice, mona, choice, stored, action):
    response = client_for(mona).post(action_url("alice", "trust"), {"trust": choice})

    assert response.status_code == 302
    assert Profile.objects.get(user=alice).trusted is stored
    assert list(ModerationEvent.objects.values_list("action", flat=True)) == [action]


def test_trust_goes_back_to_automatic_and_says_when_nothing_changes(alice, mona):
    client = client_for(mona)
    client.post(action_url("alice", "trust"), {"trust": "untrusted"})

    automatic = client.post(action_url("alice", "trust"), {"trust": "automatic"})
    again = client.post(action_url("alice", "trust"), {"trust": "automatic"})
    nothing = client.post(action_url("alice", "trust"), {})

    assert automatic.status_code == 302
    assert Profile.objects.get(user=alice).trusted is None
    assert again.status_code == 400
    assert "This member&#x27;s trust is already automatic." in again.content.decode()
    assert nothing.status_code == 400 and "Choose one." in nothing.content.decode()
    assert list(ModerationEvent.objects.order_by("pk").values_list("action", "to_status")) == [
        ("distrust", "untrusted"),
        ("trust_automatic", "automatic"),
    ]


# A group's leader, on the same page


def test_a_group_leader_suspends_a_member_in_her_group_from_the_page(seminar):
    group, olga, gus = seminar
    client = client_for(olga)

    response = client.post(
        action_url("gus", "suspend"),
        {"until": later(), "reason": "Spoilers.", "group": group.slug},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{GUS}#scope-{group.slug}"
    assert list(ModerationEvent.objects.values_list("action", "group")) == [("suspend", group.pk)]
    assert Sanction.objects.get().group == group
    page = client.get(GUS).content.decode()
    assert "gus is suspended from writing in Tuesday seminar until" in page


def test_a_group_leader_acts_in_her_groups_only(seminar, work):
    group, olga, gus = seminar
    client = client_for(olga)

    site = client.post(action_url("gus", "ban"), {"reason": "x"})
    other = client.post(action_url("gus", "ban"), {"reason": "x", "group": "elsewhere"})
    trust = client.post(action_url("gus", "trust"), {"trust": "trusted"})
    herself = client.get("/moderation/members/olga/")

    assert (site.status_code, other.status_code, trust.status_code) == (404, 404, 404)
    assert "You cannot sanction yourself." in herself.content.decode()
    assert not Sanction.objects.exists() and not ModerationEvent.objects.exists()


# The way there


def test_the_log_links_each_member_to_their_page(alice, mona):
    user_ban(user=alice, moderator=mona, reason="Spam.")

    html = client_for(mona).get("/moderation/log/").content.decode()

    assert '<a href="/moderation/members/alice/">alice</a>' in html


def test_the_queue_names_the_passage_as_readers_number_it(alice, work, mona):
    set_status(post(alice, work, key="p4", body="Held words."), Status.PENDING)

    html = client_for(mona).get("/moderation/").content.decode()

    assert "alice on October 1917 Revolution: A Century Later, ¶ 2" in html
    assert "A Century Later, p4" not in html


def test_a_member_page_for_a_group_leader_also_names_nobody_else(seminar):
    group, olga, gus = seminar
    bystander = make_user("bystander")

    assert client_for(olga).get(f"/moderation/members/{bystander.username}/").status_code == 404
