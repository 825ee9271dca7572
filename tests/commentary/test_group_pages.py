"""The reading groups' pages: the list, founding a group, a group's page for its members
and (discoverable or not) for everybody else, joining by the invitation link, leaving,
and every action of the owner's settings page.

Personas: olga owns the seminar, gus is a member; nina is a signed-in outsider.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commentary.groups.invitations import group_invite_disable, group_invite_rotate
from commentary.groups.models import Membership, ReadingGroup
from commentary.groups.services import group_create, group_update
from commentary.models import Comment
from commentary.moderation.models import ModerationEvent
from tests.commentary.builders import client_for, make_user, make_work
from tests.commentary.group_people import CANARY, group_post, make_seminar

pytestmark = pytest.mark.django_db

RULE = (
    "The group's owner and moderators moderate its comments. "
    "The site's moderators do not see them unless a member flags one."
)


@pytest.fixture
def seminar(work):
    return make_seminar(work, description="We read chapter one on Tuesdays.")


def html_of(response) -> str:
    return response.content.decode()


def join_path(group: ReadingGroup, code: str | None = None) -> str:
    return f"/groups/{group.slug}/join/{code or group.invite_code}/"


# The list ---------------------------------------------------------------------------------


def test_the_list_shows_my_groups_with_role_works_and_size_and_others_discoverable(work):
    group, olga, gus = make_seminar(work)
    other = make_seminar_for(work, "Book club", owner="oscar", discoverable=True)
    hidden = make_seminar_for(work, "Secret circle", owner="sam")

    page = html_of(client_for(gus).get("/groups/"))

    assert "Tuesday seminar" in page and "You are a member" in page
    assert "2 members" in page and work.title in page
    assert other.name in page and other.description in page
    assert hidden.name not in page
    assert 'href="/groups/new/"' in page


def make_seminar_for(work, name: str, *, owner: str, **settings) -> ReadingGroup:
    return group_create(
        owner=make_user(owner),
        name=name,
        works=[work.slug],
        description=f"About {name}.",
        **settings,
    )


def test_the_list_asks_an_anonymous_reader_to_sign_in():
    response = client_for().get("/groups/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/groups/")


def test_the_account_navigation_links_the_groups_for_signed_in_readers(work):
    signed_in = html_of(client_for(make_user("nina")).get("/"))
    anonymous = html_of(client_for().get("/"))

    assert 'href="/groups/"' in signed_in
    assert 'href="/groups/"' not in anonymous


# Founding ---------------------------------------------------------------------------------


def test_a_reader_founds_a_group_from_the_form_and_owns_it(work):
    olga = make_user("olga")
    client = client_for(olga)
    form = html_of(client.get("/groups/new/"))
    assert 'type="checkbox" name="works"' in form and work.title in form

    response = client.post(
        "/groups/new/",
        {
            "name": "Tuesday seminar",
            "description": "Chapter one.",
            "works": [work.slug],
            "starts_on": "2027-01-05",
            "ends_on": "2027-03-30",
            "post_first": "on",
            "premoderated": "on",
        },
    )

    group = ReadingGroup.objects.get()
    assert response.status_code == 302 and response["Location"] == "/groups/tuesday-seminar/"
    assert (group.post_first, group.discoverable, group.moderation_policy) == (
        True,
        False,
        "premoderated",
    )
    assert str(group.starts_on) == "2027-01-05" and str(group.ends_on) == "2027-03-30"
    assert Membership.objects.get(group=group, user=olga).role == "owner"


def test_the_welcome_message_is_announced_as_a_status_holding_a_real_list(work):
    client = client_for(make_user("olga"))

    response = client.post(
        "/groups/new/", {"name": "Tuesday seminar", "works": [work.slug]}, follow=True
    )

    # A list given another role stops being a list for its items (axe's "listitem" rule).
    page = html_of(response)
    assert '<div role="status"><ul class="messages"><li class="message' in page
    assert 'role="status"><li' not in page


def test_founding_refuses_no_work_and_an_end_before_the_start(work):
    client = client_for(make_user("olga"))

    response = client.post(
        "/groups/new/", {"name": "S", "starts_on": "2027-03-01", "ends_on": "2027-01-01"}
    )

    page = html_of(response)
    assert response.status_code == 200
    assert "Choose at least one work." in page
    assert "The group cannot end before it starts." in page
    assert not ReadingGroup.objects.exists()


# The group's page -------------------------------------------------------------------------


def test_a_member_sees_works_with_the_group_layer_discussion_members_and_the_rule(work, seminar):
    group, olga, gus = seminar
    group_post(olga, work, group)

    response = client_for(gus).get(f"/groups/{group.slug}/")

    page = html_of(response)
    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("max-age=0") or "private" in response["Cache-Control"]
    )
    assert f'href="/works/{work.slug}/?group={group.slug}"' in page
    assert CANARY in page and "on ¶ 1 of" in page
    assert "Olga the Leader" in page and "Owner" in page and "Gus" in page
    assert RULE in page
    assert "We read chapter one on Tuesdays." in page
    assert "Leave the group" in page


def test_post_first_hides_the_others_from_a_member_on_the_group_page(work):
    group, olga, gus = make_seminar(work, post_first=True)
    group_post(olga, work, group)

    member = html_of(client_for(gus).get(f"/groups/{group.slug}/"))
    leader = html_of(client_for(olga).get(f"/groups/{group.slug}/"))

    assert CANARY not in member and "once you have written there" in member
    assert CANARY in leader


def test_outsiders_get_404_on_a_group_that_is_not_discoverable(work, seminar):
    group, _olga, gus = seminar
    group_post(gus, work, group)

    for client in (client_for(), client_for(make_user("nina"))):
        known = client.get(f"/groups/{group.slug}/")
        unknown = client.get("/groups/no-such-group/")
        assert known.status_code == unknown.status_code == 404
        assert CANARY not in html_of(known)


def test_a_discoverable_group_shows_outsiders_its_name_and_description_only(work, seminar):
    group, olga, gus = seminar
    group_update(group=group, by=olga, discoverable=True)
    group_post(gus, work, group)

    for client in (client_for(), client_for(make_user("nina"))):
        response = client.get(f"/groups/{group.slug}/")
        page = html_of(response)
        assert response.status_code == 200
        assert "Tuesday seminar" in page and "We read chapter one on Tuesdays." in page
        assert "ask the owner for an invitation" in page
        for secret in (CANARY, "Gus", "Olga", "2 members", work.title, group.invite_code):
            assert secret not in page, secret


# Joining ----------------------------------------------------------------------------------


def test_the_invitation_sends_a_signed_out_visitor_to_sign_in_and_back(seminar):
    group, _olga, _gus = seminar

    response = client_for().get(join_path(group))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={join_path(group)}"


def test_a_signed_in_reader_confirms_then_joins_in_the_invitations_role(seminar):
    group, olga, _gus = seminar
    group_update(group=group, by=olga, invite_role="moderator")
    nina = make_user("nina")
    client = client_for(nina)

    confirm = client.get(join_path(group))
    assert confirm.status_code == 200 and "Join" in html_of(confirm)
    assert not Membership.objects.filter(user=nina).exists()

    joined = client.post(join_path(group))

    assert joined.status_code == 302 and joined["Location"] == f"/groups/{group.slug}/"
    assert Membership.objects.get(group=group, user=nina).role == "moderator"


def test_a_member_opening_the_link_again_goes_to_the_group(seminar):
    group, _olga, gus = seminar

    response = client_for(gus).get(join_path(group))

    assert response.status_code == 302 and response["Location"] == f"/groups/{group.slug}/"


def test_a_code_that_no_longer_works_says_so_with_404_and_nothing_of_the_group(seminar):
    group, olga, _gus = seminar
    old = group.invite_code
    rotated = group_invite_rotate(group=group, by=olga)
    expired = make_seminar_for(group.works.get(), "Expired", owner="eve")
    expired.invite_expires_at = timezone.now() - timedelta(minutes=1)
    expired.save()
    off = make_seminar_for(group.works.get(), "Off", owner="ozzy")
    group_invite_disable(group=off, by=off.memberships.get().user)
    nina = client_for(make_user("nina"))

    addresses = [
        join_path(group, "wrong-code"),
        join_path(group, old),
        join_path(expired),
        join_path(off),
        f"/groups/no-such-group/join/{rotated.invite_code}/",
    ]
    for client in (nina, client_for()):
        for address in addresses:
            response = client.get(address)
            page = html_of(response)
            assert response.status_code == 404, address
            assert "This invitation no longer works" in page
            for name in ("Tuesday seminar", "Expired", "Off"):
                assert name not in page
        assert client.post(join_path(group, old)).status_code == 404
    assert Membership.objects.filter(user__username="nina").count() == 0


# Leaving ----------------------------------------------------------------------------------


def test_a_member_leaves_and_the_owner_is_told_to_hand_over_first(seminar):
    group, olga, gus = seminar

    left = client_for(gus).post(f"/groups/{group.slug}/leave/")
    owner = client_for(olga)
    refused = owner.post(f"/groups/{group.slug}/leave/", follow=True)

    assert left.status_code == 302 and left["Location"] == "/groups/"
    assert not Membership.objects.filter(user=gus).exists()
    assert "hand the group over to a member first" in html_of(refused)
    assert Membership.objects.get(user=olga).role == "owner"
    assert "you cannot leave" in html_of(owner.get(f"/groups/{group.slug}/"))


def test_leaving_a_group_one_is_not_in_answers_404(seminar):
    group, _olga, _gus = seminar

    assert client_for(make_user("nina")).post(f"/groups/{group.slug}/leave/").status_code == 404


# The owner's settings ---------------------------------------------------------------------


def test_only_the_owner_opens_the_settings_and_acts_on_them(seminar):
    group, _olga, gus = seminar
    base = f"/groups/{group.slug}"
    posts = [
        f"{base}/settings/",
        f"{base}/invitation/",
        f"{base}/invitation/rotate/",
        f"{base}/invitation/switch/",
        f"{base}/members/gus/remove/",
        f"{base}/transfer/",
        f"{base}/copy/",
    ]
    for client in (client_for(gus), client_for(make_user("nina"))):
        assert client.get(f"{base}/settings/").status_code == 404
        for address in posts:
            assert client.post(address, {"name": "X", "user": "gus"}).status_code == 404
    group.refresh_from_db()
    assert Membership.objects.filter(group=group).count() == 2
    assert ReadingGroup.objects.count() == 1


def test_the_settings_page_shows_the_full_invitation_link_to_copy(seminar):
    group, olga, _gus = seminar

    page = html_of(client_for(olga).get(f"/groups/{group.slug}/settings/"))

    link = f"http://testserver/groups/{group.slug}/join/{group.invite_code}/"
    assert f'value="{link}" readonly data-copy-source' in page
    assert 'data-copy-label="Copy"' in page
    assert "<script>" not in page


def test_the_owner_changes_the_settings(seminar, work):
    group, olga, _gus = seminar
    second = make_work(slug="second-work", title="Second work")

    response = client_for(olga).post(
        f"/groups/{group.slug}/settings/",
        {"name": "Wednesday seminar", "works": [work.slug, second.slug], "discoverable": "on"},
    )

    group.refresh_from_db()
    assert response.status_code == 302
    assert group.name == "Wednesday seminar" and group.discoverable and not group.post_first
    assert set(group.works.values_list("slug", flat=True)) == {work.slug, second.slug}


def test_bad_settings_are_refused_beside_their_field(seminar):
    group, olga, _gus = seminar

    response = client_for(olga).post(
        f"/groups/{group.slug}/settings/",
        {"name": "", "works": ["no-such-work"], "starts_on": "2027-02-01", "ends_on": "2027-01-01"},
    )

    page = html_of(response)
    assert response.status_code == 400
    assert "This field is required." in page and "Select a valid choice" in page
    assert "The group cannot end before it starts." in page
    group.refresh_from_db()
    assert group.name == "Tuesday seminar"


def test_the_owner_rotates_turns_off_and_on_and_limits_the_invitation(seminar):
    group, olga, _gus = seminar
    client = client_for(olga)
    base = f"/groups/{group.slug}"
    first = group.invite_code

    client.post(f"{base}/invitation/rotate/")
    group.refresh_from_db()
    assert group.invite_code != first and group.invite_enabled

    client.post(f"{base}/invitation/switch/", {"enabled": "0"})
    group.refresh_from_db()
    assert not group.invite_enabled
    assert "Turn the link on" in html_of(client.get(f"{base}/settings/"))

    client.post(f"{base}/invitation/switch/", {"enabled": "1"})
    day = timezone.localdate() + timedelta(days=7)
    client.post(f"{base}/invitation/", {"invite_role": "moderator", "valid_until": day})
    group.refresh_from_db()
    assert group.invite_enabled and group.invite_role == "moderator"
    assert timezone.localtime(group.invite_expires_at).date() == day + timedelta(days=1)
    assert group.invitation_open()
    assert f'value="{day.isoformat()}"' in html_of(client.get(f"{base}/settings/"))


def test_an_invitation_cannot_end_in_the_past(seminar):
    group, olga, _gus = seminar

    response = client_for(olga).post(
        f"/groups/{group.slug}/invitation/",
        {"invite_role": "member", "valid_until": timezone.localdate() - timedelta(days=1)},
    )

    assert response.status_code == 400
    assert "Choose today or a later day." in html_of(response)


def test_the_owner_removes_a_member(seminar):
    group, olga, gus = seminar

    response = client_for(olga).post(f"/groups/{group.slug}/members/gus/remove/", follow=True)

    assert "gus is no longer in the group." in html_of(response)
    assert not Membership.objects.filter(user=gus).exists()
    assert ModerationEvent.objects.filter(action="remove", user=gus, group=group).exists()
    assert client_for(gus).get(f"/groups/{group.slug}/").status_code == 404


def test_the_owner_hands_the_group_over_and_stays_a_moderator(seminar):
    group, olga, gus = seminar
    client = client_for(olga)

    refused = client.post(f"/groups/{group.slug}/transfer/", {"user": "nobody"})
    response = client.post(f"/groups/{group.slug}/transfer/", {"user": "gus"})

    assert refused.status_code == 400 and "Select a valid choice" in html_of(refused)
    assert response.status_code == 302
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {"olga": "moderator", "gus": "owner"}
    assert client.get(f"/groups/{group.slug}/settings/").status_code == 404


def test_the_owner_copies_the_group_for_a_new_term_with_their_comments(seminar, work):
    group, olga, gus = seminar
    group_post(olga, work, group, body="The leader's opening question.")
    group_post(gus, work, group)

    response = client_for(olga).post(
        f"/groups/{group.slug}/copy/",
        {
            "name": "Spring seminar",
            "starts_on": "2027-04-01",
            "ends_on": "2027-06-30",
            "include_leader_comments": "on",
        },
    )

    copy = ReadingGroup.objects.get(name="Spring seminar")
    assert response.status_code == 302 and response["Location"] == f"/groups/{copy.slug}/"
    assert str(copy.starts_on) == "2027-04-01" and str(copy.ends_on) == "2027-06-30"
    assert list(copy.memberships.values_list("user__username", "role")) == [("olga", "owner")]
    assert list(Comment.objects.filter(group=copy).values_list("body", flat=True)) == [
        "The leader's opening question."
    ]


def test_a_copy_needs_a_name(seminar):
    group, olga, _gus = seminar

    response = client_for(olga).post(f"/groups/{group.slug}/copy/", {"name": ""})

    assert response.status_code == 400
    assert 'id="copy_name"' in html_of(response)
    assert ReadingGroup.objects.count() == 1


def test_the_invitation_link_is_on_the_sites_own_address_when_it_is_set(seminar, settings):
    group, olga, _gus = seminar
    settings.SCHOLIA_SITE_URL = "https://scholia.example.org/"

    page = html_of(client_for(olga).get(f"/groups/{group.slug}/settings/"))
    api = client_for(olga).get(f"/api/v1/groups/{group.slug}/").json()

    link = f"https://scholia.example.org/groups/{group.slug}/join/{group.invite_code}/"
    assert f'value="{link}"' in page
    assert api["invite_url"] == link


def test_the_list_costs_as_many_queries_with_many_groups(work, django_assert_max_num_queries):
    group, olga, gus = make_seminar(work)
    client = client_for(gus)
    client.get("/groups/")
    with CaptureQueriesContext(connection) as one_group:
        client.get("/groups/")
    one_group = len(one_group)  # now: the next request empties the log
    for number in range(10):
        other = make_seminar_for(work, f"Group {number}", owner=f"owner{number}")
        Membership.objects.create(group=other, user=gus)
        make_seminar_for(work, f"Open {number}", owner=f"open{number}", discoverable=True)
    client.get("/groups/")  # as before the first measure: the reader read again, and kept

    with django_assert_max_num_queries(one_group):
        page = html_of(client.get("/groups/"))
    assert "Group 9" in page and "Open 9" in page
