"""A reading group's leaders work the moderation queue from the browser: they see and decide
their groups' held and flagged comments, and nothing else; the site's moderators see a
group comment there only once a member flagged it; plain members get 404.

Personas: the seminar (``group_people``: olga owns it, gus is a member) is pre-moderated;
mia moderates it; rex is in it too. otto leads another group, the Thursday circle, where pia
writes. mona moderates the site and is in no group; alice writes in public.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commentary.groups.models import Membership
from commentary.groups.services import group_create
from commentary.models import Comment
from commentary.moderation.decisions import flag_create
from commentary.moderation.models import Flag, ModerationEvent
from tests.commentary.builders import bulk_roots, client_for, htmx_headers, make_user, post
from tests.commentary.group_people import group_post, join, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db

Status = Comment.Status
QUEUE = "/moderation/"
LOG = "/moderation/log/"
BULK = "/moderation/decide/"


def decide_url(comment: Comment) -> str:
    return f"/moderation/comments/{comment.pk}/decide/"


@pytest.fixture
def seminar(work):
    """The pre-moderated seminar, with mia as a moderator and rex as a member."""
    group, olga, gus = make_seminar(work, moderation_policy="premoderated")
    mia = make_user("mia", "Mia")
    join(group, mia)
    Membership.objects.filter(group=group, user=mia).update(role=Membership.Role.MODERATOR)
    rex = make_user("rex")
    join(group, rex)
    return group, olga, gus, mia, rex


@pytest.fixture
def circle(work):
    """Another group, led by otto, where pia's comment waits."""
    otto = make_user("otto")
    pia = make_user("pia")
    group = group_create(
        owner=otto, name="Thursday circle", works=[work.slug], moderation_policy="premoderated"
    )
    join(group, pia)
    return group, otto, group_post(pia, work, group, body="The circle's held words.")


@pytest.fixture
def mona():
    return make_moderator()


def held_in(seminar, work, body: str = "Gus's held words.") -> Comment:
    group, _olga, gus, _mia, _rex = seminar
    comment = group_post(gus, work, group, body=body)
    assert comment.status == Status.PENDING
    return comment


def flagged_in(seminar, work, body: str = "Olga's flagged words.") -> Comment:
    """A published comment of the seminar that rex flagged."""
    group, olga, _gus, _mia, rex = seminar
    comment = group_post(olga, work, group, body=body)  # the owner's are not held
    assert comment.status == Status.PUBLISHED
    flag_create(comment=comment, user=rex, reason=Flag.Reason.OFF_TOPIC)
    return comment


def in_group(comment: Comment, group) -> None:
    """A comment written straight to the table, moved into ``group``, held."""
    Comment.objects.filter(pk=comment.pk).update(group=group, status=Status.PENDING)


def queue_html(user, **filters) -> str:
    response = client_for(user).get(QUEUE, filters)
    assert response.status_code == 200
    return response.content.decode()


# Who reaches the queue


def test_a_group_moderator_sees_the_groups_held_and_flagged_comments(seminar, work):
    held = held_in(seminar, work)
    flagged = flagged_in(seminar, work)
    _group, olga, _gus, mia, _rex = seminar

    for leader in (olga, mia):
        html = queue_html(leader)
        assert "Gus's held words." in html and "Olga's flagged words." in html
        assert f'id="queue-item-{held.pk}"' in html and f'id="queue-item-{flagged.pk}"' in html
        assert html.count("In the reading group Tuesday seminar") == 2


def test_a_group_leader_sees_nothing_of_another_group_or_of_public_comments(
    seminar, circle, alice, work
):
    held_in(seminar, work)
    public = post(alice, work, body="Alice's public words.")
    Comment.objects.filter(pk=public.pk).update(status=Status.PENDING)
    _group, olga, _gus, mia, _rex = seminar

    for leader in (olga, mia):
        html = queue_html(leader)
        assert "Gus's held words." in html
        assert "The circle's held words." not in html
        assert "Alice's public words." not in html
        assert "In the public discussion" not in html


def test_a_plain_member_gets_404_from_the_queue_and_its_decisions(seminar, work):
    held = held_in(seminar, work)
    _group, _olga, gus, _mia, rex = seminar

    for member in (gus, rex):
        client = client_for(member)
        assert client.get(QUEUE).status_code == 404
        assert client.post(decide_url(held), {"action": "approve"}).status_code == 404
        assert client.post(BULK, {"action": "approve", "comments": [held.pk]}).status_code == 404
    held.refresh_from_db()
    assert held.status == Status.PENDING
    assert not ModerationEvent.objects.exists()


def test_a_site_moderator_outside_the_group_sees_its_comment_only_once_flagged(seminar, work, mona):
    held = held_in(seminar, work)
    published = group_post(seminar[1], work, seminar[0], body="Olga's words, not yet flagged.")

    before = queue_html(mona)
    assert "Gus's held words." not in before
    assert "Olga's words, not yet flagged." not in before
    assert client_for(mona).post(decide_url(held), {"action": "approve"}).status_code == 404

    flag_create(comment=published, user=seminar[4], reason=Flag.Reason.SPAM)
    after = queue_html(mona)
    assert "Olga's words, not yet flagged." in after
    assert "In the reading group Tuesday seminar" in after
    assert "Gus's held words." not in after
    held.refresh_from_db()
    assert held.status == Status.PENDING


# Filters


def test_the_group_filter_offers_only_the_groups_the_viewer_leads(seminar, circle, work):
    held_in(seminar, work)
    _group, olga, _gus, _mia, _rex = seminar
    # olga also belongs to the circle, as a plain member: not hers to moderate.
    join(circle[0], olga)

    html = queue_html(olga)

    assert '<option value="tuesday-seminar">Tuesday seminar</option>' in html
    assert "thursday-circle" not in html
    assert "The circle's held words." not in html


def test_the_group_filter_narrows_the_queue_to_one_group(seminar, circle, work):
    held_in(seminar, work)
    group, olga, _gus, _mia, _rex = seminar
    # olga moderates the circle as well: both groups are hers.
    join(circle[0], olga)
    Membership.objects.filter(group=circle[0], user=olga).update(role=Membership.Role.MODERATOR)

    both = queue_html(olga)
    seminar_only = queue_html(olga, group=group.slug)
    circle_only = queue_html(olga, group=circle[0].slug)

    assert "Gus's held words." in both and "The circle's held words." in both
    assert "Gus's held words." in seminar_only and "The circle's held words." not in seminar_only
    assert "Gus's held words." not in circle_only and "The circle's held words." in circle_only


def test_a_group_the_viewer_does_not_lead_is_an_invalid_filter_said_so(seminar, circle, work):
    held_in(seminar, work)

    html = queue_html(seminar[1], group=circle[0].slug)

    assert "This filter is not applied." in html
    assert "The circle's held words." not in html


def test_site_moderators_who_lead_no_group_get_no_group_filter(mona):
    assert 'name="group"' not in queue_html(mona)


# Decisions


@pytest.mark.parametrize("leader_index", [1, 3], ids=["owner", "moderator"])
def test_a_group_leader_approves_and_rejects_held_comments_with_one_event_each(
    seminar, work, leader_index
):
    leader = seminar[leader_index]
    approved = held_in(seminar, work, "To approve.")
    rejected = held_in(seminar, work, "To reject.")
    client = client_for(leader)

    plain = client.post(
        decide_url(approved), {"action": "approve", "expected_status": "pending", "next": QUEUE}
    )
    htmx = client.post(
        decide_url(rejected),
        {"action": "reject", "reason": "Off the text.", "expected_status": "pending"},
        headers=htmx_headers(QUEUE),
    )

    assert plain.status_code == 302 and plain["Location"] == QUEUE
    assert htmx.status_code == 200
    assert "Rejected: the comment by gus stays unpublished." in htmx.content.decode()
    approved.refresh_from_db()
    rejected.refresh_from_db()
    assert (approved.status, rejected.status) == (Status.PUBLISHED, Status.REJECTED)
    events = ModerationEvent.objects.filter(actor=leader)
    assert sorted(events.values_list("comment_id", "action")) == sorted(
        [(approved.pk, "approve"), (rejected.pk, "reject")]
    )
    log = client.get(LOG).content.decode()
    assert "Off the text." in log


def test_a_group_moderator_hides_and_keeps_flagged_comments(seminar, work):
    _group, _olga, _gus, mia, _rex = seminar
    hidden = flagged_in(seminar, work, "To hide.")
    kept = flagged_in(seminar, work, "To keep.")
    client = client_for(mia)

    client.post(decide_url(hidden), {"action": "hide", "expected_status": "published"})
    client.post(decide_url(kept), {"action": "keep", "expected_status": "published"})

    hidden.refresh_from_db()
    kept.refresh_from_db()
    assert (hidden.status, kept.status) == (Status.HIDDEN, Status.PUBLISHED)
    assert not Flag.objects.open().exists()
    assert ModerationEvent.objects.filter(actor=mia).count() == 2
    after = queue_html(mia)
    assert "To hide." not in after and "To keep." not in after


def test_a_group_leader_decides_in_bulk_with_one_event_each(seminar, work):
    _group, olga, _gus, _mia, _rex = seminar
    comments = [held_in(seminar, work, f"Held number {n}.") for n in range(3)]

    response = client_for(olga).post(
        BULK, {"action": "approve", "comments": [c.pk for c in comments], "next": QUEUE}
    )

    assert response.status_code == 302
    assert set(
        Comment.objects.filter(pk__in=[c.pk for c in comments]).values_list("status", flat=True)
    ) == {Status.PUBLISHED}
    assert ModerationEvent.objects.filter(actor=olga, action="approve").count() == 3


def test_a_decision_on_a_comment_the_leader_may_not_moderate_is_404_and_no_decision(
    seminar, circle, alice, work
):
    _group, olga, _gus, _mia, _rex = seminar
    other_group = circle[2]
    public = post(alice, work, body="Alice's public words.")
    Comment.objects.filter(pk=public.pk).update(status=Status.PENDING)
    client = client_for(olga)

    for comment in (other_group, public):
        assert client.post(decide_url(comment), {"action": "approve"}).status_code == 404
    assert client.post(decide_url(Comment(pk=999999)), {"action": "approve"}).status_code == 404
    assert Comment.objects.get(pk=other_group.pk).status == Status.PENDING
    assert Comment.objects.get(pk=public.pk).status == Status.PENDING
    assert not ModerationEvent.objects.exists()


def test_a_bulk_decision_with_one_comment_not_the_leaders_is_404_and_decides_none(
    seminar, circle, work
):
    _group, olga, _gus, _mia, _rex = seminar
    mine = held_in(seminar, work)

    response = client_for(olga).post(
        BULK, {"action": "approve", "comments": [mine.pk, circle[2].pk]}
    )

    assert response.status_code == 404
    assert Comment.objects.get(pk=mine.pk).status == Status.PENDING
    assert not ModerationEvent.objects.exists()


# Ways in


def test_the_navigation_links_the_queue_for_group_leaders_and_not_members(seminar):
    _group, olga, gus, mia, _rex = seminar

    assert 'href="/moderation/"' in client_for(olga).get("/").content.decode()
    assert 'href="/moderation/"' in client_for(mia).get("/").content.decode()
    assert 'href="/moderation/"' not in client_for(gus).get("/").content.decode()


def test_the_navigation_asks_no_more_queries_of_a_group_leader_than_of_a_member(seminar):
    _group, olga, gus, _mia, _rex = seminar
    as_gus, as_olga = client_for(gus), client_for(olga)

    with CaptureQueriesContext(connection) as member:
        as_gus.get("/")
    with CaptureQueriesContext(connection) as leader:
        html = as_olga.get("/").content.decode()

    assert 'href="/moderation/"' in html
    assert len(leader.captured_queries) == len(member.captured_queries)


def test_the_group_page_links_its_leaders_to_the_groups_queue_with_its_count(seminar, work):
    group, olga, gus, mia, _rex = seminar
    held_in(seminar, work, "One.")
    held_in(seminar, work, "Two.")
    flagged_in(seminar, work)
    link = f'href="/moderation/?group={group.slug}"'

    for leader in (olga, mia):
        html = client_for(leader).get(f"/groups/{group.slug}/").content.decode()
        assert link in html
        assert "Moderation queue (3 waiting)" in html
    assert link not in client_for(gus).get(f"/groups/{group.slug}/").content.decode()


# Speed


def test_a_group_leaders_queue_costs_the_same_queries_whatever_its_length(
    seminar, work, django_assert_max_num_queries
):
    group, olga, gus, _mia, _rex = seminar
    client = client_for(olga)
    for comment in bulk_roots(gus, work, 3):
        in_group(comment, group)
    with django_assert_max_num_queries(12) as few:
        client.get(QUEUE)
    for comment in bulk_roots(gus, work, 40):
        in_group(comment, group)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(QUEUE)

    html = response.content.decode()
    assert html.count('class="queue-item"') == 20
    assert "Page 1 of 3" in html
