"""The decisions on one's comments, on one's own profile, and their count in the navigation."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commentary.models import Comment
from commentary.moderation.decisions import comment_moderate, comments_moderate
from commentary.notifications.models import Notification
from commentary.notifications.services import unread_changed, unread_count
from tests.commentary.builders import bulk_roots, client_for, post, set_status
from tests.commentary.moderation_people import make_moderator
from tests.edition.test_pages import attr, find_all, text_of

# Decisions tell their authors once they commit (``commentary.events``): real commits.
pytestmark = pytest.mark.django_db(transaction=True)

Status = Comment.Status
ALICE = "/users/alice/"
MARK_READ = "/settings/decisions/read/"


@pytest.fixture
def mona():
    return make_moderator()


@pytest.fixture
def rejected(alice, work, mona):
    """A comment of alice's on ¶ 1, rejected with a reason."""
    comment = set_status(post(alice, work, body="Lenin *wrote* it first."), Status.PENDING)
    comment_moderate(
        action="reject", comment=comment, moderator=mona, reason="Please cite a source."
    )
    return comment


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def decisions_of(html: str) -> list:
    return find_all(parse_html(html), "li", class_="decision")


def links(html: str, **attrs) -> list:
    return find_all(parse_html(html), "a", **attrs)


def test_it_lists_the_decisions_on_ones_comments_on_ones_own_profile(alice, rejected):
    html = page(client_for(alice), ALICE)

    (item,) = decisions_of(html)
    text = text_of(item)
    assert "Rejected by a moderator." in text
    assert "Reason: Please cite a source." in text
    assert "Your comment on ¶ 1 of October 1917" in text
    assert "“Lenin wrote it first.”" in text
    assert "New" in text
    assert "decision-unread" in attr(item, "class")
    assert find_all(item, "a", href=f"/comments/{rejected.pk}/")
    assert find_all(item, "time")


@pytest.mark.parametrize("viewer", [None, "bob", "mona"], ids=["anonymous", "member", "moderator"])
def test_nobody_else_sees_the_decisions_on_a_profile(alice, bob, mona, rejected, viewer):
    client = client_for({"bob": bob, "mona": mona}.get(viewer))

    html = page(client, ALICE)

    assert "Decisions on your comments" not in html
    assert "Please cite a source." not in html
    assert not decisions_of(html)
    assert 'id="decisions"' not in html


def test_the_navigation_counts_unread_decisions_for_their_recipient_only(
    alice, bob, mona, rejected
):
    alice_nav = links(page(client_for(alice), "/"), class_="account-nav-decisions")
    assert [text_of(link) for link in alice_nav] == ["1 new decision"]
    assert attr(alice_nav[0], "href") == "/users/alice/#decisions"
    for viewer in (bob, mona, None):
        assert "new decision" not in page(client_for(viewer), "/")


def test_mark_all_as_read_clears_the_marks_and_the_count(
    alice, rejected, django_capture_on_commit_callbacks
):
    client = client_for(alice)
    (form,) = find_all(parse_html(page(client, ALICE)), "form", action=MARK_READ)
    newest = Notification.objects.get().pk
    (up_to,) = find_all(form, "input", type="hidden", value=str(newest))
    assert attr(up_to, "name") == "up_to"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(MARK_READ, {"up_to": newest})

    assert response.status_code == 302
    assert response["Location"] == "/users/alice/#decisions"
    html = page(client, ALICE)
    assert "marked as read" in html
    (item,) = decisions_of(html)
    assert "decision-unread" not in attr(item, "class")
    assert "new decision" not in html
    assert not find_all(parse_html(html), "form", action=MARK_READ)
    assert Notification.objects.get().read_at is not None


def test_mark_all_as_read_leaves_a_decision_newer_than_the_page_unread(
    alice, work, mona, rejected, django_capture_on_commit_callbacks
):
    seen = Notification.objects.get().pk
    later = set_status(post(alice, work), Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(action="approve", comment=later, moderator=mona)
        client_for(alice).post(MARK_READ, {"up_to": seen})

    assert list(Notification.objects.filter(read_at__isnull=True)) == [
        Notification.objects.get(comment=later)
    ]


def test_mark_all_as_read_is_a_post_for_signed_in_members_and_refuses_bad_input(alice, rejected):
    client = client_for(alice)

    assert client.get(MARK_READ).status_code == 405
    anonymous = client_for().post(MARK_READ)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    refused = client.post(MARK_READ, {"up_to": "the newest"}, follow=True)
    assert "Nothing was marked as read: that was not a notification." in refused.content.decode()
    assert Notification.objects.get().read_at is None


def test_another_member_marking_read_marks_only_their_own(alice, bob, rejected):
    client_for(bob).post(MARK_READ, {"up_to": Notification.objects.get().pk})

    assert Notification.objects.get().read_at is None


def test_decisions_are_paged_newest_first(alice, work, mona):
    comments = [set_status(c, Status.PENDING) for c in bulk_roots(alice, work, 25)]
    comments_moderate(comments=comments, moderator=mona, action="approve")
    client = client_for(alice)

    first = decisions_of(page(client, ALICE))
    second_html = page(client, ALICE + "?decisions=2")

    assert len(first) == 20
    assert len(decisions_of(second_html)) == 5
    assert find_all(first[0], "a", href=f"/comments/{comments[-1].pk}/")
    assert links(second_html, href="?decisions=1#decisions")


def test_the_profile_reads_any_number_of_decisions_in_a_fixed_number_of_queries(alice, work, mona):
    client = client_for(alice)

    def queries() -> int:
        caches["default"].clear()
        with CaptureQueriesContext(connection) as captured:
            html = page(client, ALICE)
        return len(captured), len(decisions_of(html))

    few = [set_status(c, Status.PENDING) for c in bulk_roots(alice, work, 2)]
    comments_moderate(comments=few, moderator=mona, action="approve")
    few_queries, shown = queries()
    assert shown == 2
    many = [set_status(c, Status.PENDING) for c in bulk_roots(alice, work, 40, key="p4")]
    comments_moderate(comments=many, moderator=mona, action="reject", reason="No.")

    assert queries() == (few_queries, 20)


def test_the_unread_count_costs_one_query_then_none_while_cached(
    alice, rejected, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert unread_count(alice) == 1
    with django_assert_num_queries(0):
        assert unread_count(alice) == 1


def test_a_page_asks_for_the_count_once_however_often_it_shows_it(
    alice, rejected, django_assert_max_num_queries
):
    client = client_for(alice)
    html = page(client, ALICE)  # the navigation and the "Mark all as read" form both ask
    assert "1 new decision" in html

    with django_assert_max_num_queries(100) as warm:
        page(client, ALICE)
    unread_changed(alice.pk)
    with django_assert_max_num_queries(100) as cold:
        page(client, ALICE)

    assert len(cold.captured_queries) == len(warm.captured_queries) + 1
    notification_queries = [
        q for q in cold.captured_queries if '"commentary_notification"' in q["sql"]
    ]
    assert len(notification_queries) == 3  # the count, then the list's own count and rows
