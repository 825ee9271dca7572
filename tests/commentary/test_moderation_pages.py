"""The moderators' pages: the queue, its decisions (one at a time, with htmx or without,
and in bulk) and the audit log; 404 for anybody who does not moderate."""

from datetime import timedelta

import pytest
from django.utils import timezone

from commentary.models import Comment
from commentary.moderation.decisions import comment_moderate, flag_create
from commentary.moderation.models import Flag, ModerationEvent
from commentary.moderation.sanctions import user_suspend
from tests.commentary.builders import bulk_roots, client_for, htmx_headers, post, set_status
from tests.commentary.moderation_people import make_flaggers, make_moderator

pytestmark = pytest.mark.django_db

Status = Comment.Status
QUEUE = "/moderation/"
LOG = "/moderation/log/"


@pytest.fixture
def mona():
    return make_moderator()


@pytest.fixture
def held(alice, work):
    return set_status(post(alice, work, body="Held words."), Status.PENDING)


@pytest.fixture
def flagged(bob, work):
    comment = post(bob, work, body="Flagged words.")
    [carol] = make_flaggers(1)
    flag_create(comment=comment, user=carol, reason=Flag.Reason.SPAM)
    return comment


def decide_url(comment: Comment) -> str:
    return f"/moderation/comments/{comment.pk}/decide/"


# Who reaches the pages


@pytest.mark.parametrize("url", [QUEUE, LOG])
def test_it_answers_404_to_anonymous_visitors(url):
    assert client_for().get(url).status_code == 404


@pytest.mark.parametrize("url", [QUEUE, LOG])
def test_it_answers_404_to_members_who_do_not_moderate(alice, url):
    assert client_for(alice).get(url).status_code == 404


def test_it_refuses_decisions_from_members_who_do_not_moderate(alice, bob, held):
    response = client_for(bob).post(decide_url(held), {"action": "approve"})

    assert response.status_code == 404
    held.refresh_from_db()
    assert held.status == Status.PENDING
    assert not ModerationEvent.objects.exists()


def test_it_refuses_bulk_decisions_from_members_who_do_not_moderate(bob, held):
    response = client_for(bob).post(
        "/moderation/decide/", {"action": "approve", "comments": [held.pk]}
    )

    assert response.status_code == 404
    held.refresh_from_db()
    assert held.status == Status.PENDING


def test_a_superuser_reaches_the_queue(django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org")
    assert client_for(boss).get(QUEUE).status_code == 200


def test_the_account_navigation_links_the_queue_for_moderators_only(alice, mona, work):
    assert 'href="/moderation/"' in client_for(mona).get("/").content.decode()
    assert 'href="/moderation/"' not in client_for(alice).get("/").content.decode()
    assert 'href="/moderation/"' not in client_for().get("/").content.decode()


# The queue


def test_the_queue_shows_held_and_flagged_comments_with_their_context(
    alice, bob, work, mona, held, flagged
):
    set_status(post(alice, work, body="A held reply.", parent=flagged), Status.PENDING)
    published = post(alice, work, body="Published and unflagged.")

    html = client_for(mona).get(QUEUE).content.decode()

    assert "Held words." in html
    assert "Flagged words." in html
    assert "A held reply." in html
    assert published.body not in html
    assert html.index("Held words.") < html.index("Flagged words.") < html.index("A held reply.")
    assert "In reply to bob" in html
    assert "Spam" in html
    assert (
        '<a href="/moderation/members/alice/">alice\'s record</a>: 1 approved, 0 rejected, '
        "0 flags received." in html
    )
    assert (
        '<a href="/moderation/members/bob/">bob\'s record</a>: 1 approved, 0 rejected, '
        "1 flags received." in html
    )
    assert held.revision.text[:40] in html


def test_the_queue_filters_by_kind_reason_and_work(bob, work, mona, held, flagged):
    client = client_for(mona)

    held_only = client.get(QUEUE, {"kind": "held"}).content.decode()
    flagged_only = client.get(QUEUE, {"kind": "flagged"}).content.decode()
    offensive = client.get(QUEUE, {"reason": "offensive"}).content.decode()
    spam = client.get(QUEUE, {"reason": "spam"}).content.decode()
    other_work = client.get(QUEUE, {"work": "no-such-work"}).content.decode()

    assert "Held words." in held_only and "Flagged words." not in held_only
    assert "Flagged words." in flagged_only and "Held words." not in flagged_only
    assert "Flagged words." not in offensive and "Nothing awaits a decision." in offensive
    assert "Flagged words." in spam
    assert "Held words." in client.get(QUEUE, {"work": work.slug}).content.decode()
    assert "Held words." in other_work  # an unknown work is an invalid filter, ignored


def test_the_queue_costs_the_same_queries_whatever_its_length(
    alice, work, mona, django_assert_max_num_queries
):
    client = client_for(mona)
    for comment in bulk_roots(alice, work, 3):
        set_status(comment, Status.PENDING)
    with django_assert_max_num_queries(12) as few:
        client.get(QUEUE)
    for comment in bulk_roots(alice, work, 40):
        set_status(comment, Status.PENDING)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(QUEUE)

    assert response.content.decode().count('class="queue-item"') == 20
    assert "Page 1 of 3" in response.content.decode()


# One decision


def test_a_decision_without_javascript_redirects_back_with_a_message(alice, mona, held):
    client = client_for(mona)

    response = client.post(
        decide_url(held), {"action": "approve", "reason": "Fine.", "next": "/moderation/?kind=held"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/moderation/?kind=held"
    held.refresh_from_db()
    assert held.status == Status.PUBLISHED
    event = ModerationEvent.objects.get()
    assert (event.actor, event.action, event.reason) == (mona, "approve", "Fine.")
    page = client.get(response["Location"]).content.decode()
    assert "Approved: the comment by alice is published." in page
    assert "Held words." not in page


def test_a_decision_never_redirects_off_the_queue(mona, held):
    response = client_for(mona).post(
        decide_url(held), {"action": "reject", "next": "https://evil.example/moderation/"}
    )

    assert response["Location"] == QUEUE


def test_a_decision_with_htmx_replaces_the_item_by_its_outcome(mona, flagged):
    response = client_for(mona).post(
        decide_url(flagged),
        {"action": "keep", "expected_status": "published"},
        headers=htmx_headers(QUEUE),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="queue-item-{flagged.pk}"' in html
    assert "Kept: the flags on the comment by bob are dismissed." in html
    assert "Kept: the flags" in response["HX-Trigger-After-Settle"]
    assert not Flag.objects.open().exists()


def test_an_already_decided_item_says_so_and_acts_no_more(alice, mona, held):
    other = make_moderator("otto")
    comment_moderate(action="approve", comment=held, moderator=other)
    client = client_for(mona)

    plain = client.post(decide_url(held), {"action": "reject", "expected_status": "pending"})
    htmx = client.post(
        decide_url(held),
        {"action": "approve", "expected_status": "pending"},
        headers=htmx_headers(QUEUE),
    )

    assert plain.status_code == 302
    assert "Already decided: this comment is now published" in client.get(QUEUE).content.decode()
    assert htmx.status_code == 200
    assert "Already decided: this comment is now published" in htmx.content.decode()
    held.refresh_from_db()
    assert held.status == Status.PUBLISHED
    assert ModerationEvent.objects.count() == 1


def test_a_decision_that_does_not_apply_is_refused_with_a_message(mona, held):
    client = client_for(mona)

    response = client.post(decide_url(held), {"action": "restore"}, follow=True)

    assert "Already decided" in response.content.decode()
    assert not ModerationEvent.objects.exists()


def test_a_decision_that_is_not_one_is_refused_with_a_message(mona, held):
    response = client_for(mona).post(decide_url(held), {"action": "delete"}, follow=True)

    assert "Choose a decision." in response.content.decode()
    held.refresh_from_db()
    assert held.status == Status.PENDING
    assert not ModerationEvent.objects.exists()


def test_a_decision_on_an_unknown_comment_is_404(mona):
    assert (
        client_for(mona)
        .post("/moderation/comments/999999/decide/", {"action": "approve"})
        .status_code
        == 404
    )


# Bulk


def test_a_bulk_rejection_decides_each_ticked_comment_with_one_event_each(alice, work, mona):
    comments = [set_status(post(alice, work, body=f"Spam {n}."), Status.PENDING) for n in range(3)]
    kept = comments.pop()
    client = client_for(mona)

    response = client.post(
        "/moderation/decide/",
        {"action": "reject", "reason": "Spam.", "comments": [c.pk for c in comments]},
        follow=True,
    )

    html = response.content.decode()
    assert "Rejected: 2 comments." in html
    assert "Spam 2." in html and "Spam 0." not in html
    assert list(Comment.objects.filter(status=Status.REJECTED).order_by("pk")) == comments
    kept.refresh_from_db()
    assert kept.status == Status.PENDING
    assert ModerationEvent.objects.filter(action="reject", reason="Spam.").count() == 2


def test_a_bulk_decision_counts_those_already_decided(alice, mona, held, flagged):
    response = client_for(mona).post(
        "/moderation/decide/", {"action": "approve", "comments": [held.pk, flagged.pk]}, follow=True
    )

    html = response.content.decode()
    assert "Approved: 1 comment." in html
    assert "Already decided: 1 comment was left as it was." in html


def test_the_queue_counts_what_waits_and_decides_on_a_whole_page_without_ticking(
    alice, work, mona, settings, monkeypatch
):
    monkeypatch.setattr("commentary.moderation.pages.queue.QUEUE_PAGE_SIZE", 2)
    comments = [set_status(post(alice, work, body=f"Spam {n}."), Status.PENDING) for n in range(3)]
    client = client_for(mona)

    html = client.get(QUEUE).content.decode()

    assert "3 comments await a decision (1–2 shown here)." in html
    for comment in comments[:2]:
        assert f'<input type="hidden" name="page_comments" value="{comment.pk}">' in html
    assert f'name="page_comments" value="{comments[2].pk}"' not in html
    assert '<button type="submit" name="scope" value="page"' in html
    assert "Apply to the 2 on this page" in html

    response = client.post(
        "/moderation/decide/",
        {
            "action": "reject",
            "reason": "Spam.",
            "scope": "page",
            "page_comments": [c.pk for c in comments[:2]],
        },
        follow=True,
    )

    assert "Rejected: 2 comments." in response.content.decode()
    assert "1 comment awaits a decision." in response.content.decode()
    statuses = [Comment.objects.get(pk=c.pk).status for c in comments]
    assert statuses == [Status.REJECTED, Status.REJECTED, Status.PENDING]


def test_a_decision_on_a_page_leaves_what_left_the_queue_since(alice, work, mona, flagged):
    approved = set_status(post(alice, work), Status.PENDING)
    # In place, after the page was drawn:
    comment_moderate(action="approve", comment=approved, moderator=mona)

    response = client_for(mona).post(
        "/moderation/decide/",
        {"action": "hide", "scope": "page", "page_comments": [approved.pk, flagged.pk]},
        follow=True,
    )

    assert "Hidden: 1 comment." in response.content.decode()
    assert "Already decided: 1 comment was left as it was." in response.content.decode()
    approved.refresh_from_db()
    flagged.refresh_from_db()
    assert (approved.status, flagged.status) == (Status.PUBLISHED, Status.HIDDEN)


def test_a_bulk_decision_with_nothing_ticked_says_so(mona, held):
    response = client_for(mona).post("/moderation/decide/", {"action": "approve"}, follow=True)

    assert "Choose at least one comment." in response.content.decode()
    held.refresh_from_db()
    assert held.status == Status.PENDING


# The log


def test_the_log_lists_events_newest_first_with_their_details(alice, mona, held, flagged):
    client = client_for(mona)
    client.post(decide_url(held), {"action": "approve", "reason": "Looks fine."})
    client.post(decide_url(flagged), {"action": "hide", "reason": "Really spam."})

    html = client.get(LOG).content.decode()

    assert html.index("Really spam.") < html.index("Looks fine.")
    assert "pending → published" in html
    assert "Hidden" in html and "Approved" in html
    assert f'href="/comments/{held.pk}/"' in html


def test_the_log_filters_by_moderator_action_member_and_date(alice, bob, mona, held, flagged):
    otto = make_moderator("otto")
    comment_moderate(action="approve", comment=held, moderator=otto, reason="By otto.")
    client_for(mona).post(decide_url(flagged), {"action": "hide", "reason": "By mona."})
    client = client_for(mona)
    today = timezone.localdate().isoformat()

    by_otto = client.get(LOG, {"moderator": "otto"}).content.decode()
    hides = client.get(LOG, {"action": "hide"}).content.decode()
    about_alice = client.get(LOG, {"user": "alice"}).content.decode()
    today_only = client.get(LOG, {"since": today, "until": today}).content.decode()
    yesterday = client.get(LOG, {"until": "2000-01-01"}).content.decode()

    assert "By otto." in by_otto and "By mona." not in by_otto
    assert "By mona." in hides and "By otto." not in hides
    assert "By otto." in about_alice and "By mona." not in about_alice
    assert "By otto." in today_only and "By mona." in today_only
    assert "No event matches." in yesterday


def test_the_log_costs_the_same_queries_whatever_its_length(
    alice, work, mona, django_assert_max_num_queries
):
    client = client_for(mona)
    comments = [set_status(c, Status.PENDING) for c in bulk_roots(alice, work, 60)]
    for comment in comments[:3]:
        comment_moderate(action="approve", comment=comment, moderator=mona)
    with django_assert_max_num_queries(10) as few:
        client.get(LOG)
    for comment in comments[3:]:
        comment_moderate(action="approve", comment=comment, moderator=mona)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LOG)

    assert response.content.decode().count("<tr>") == 51  # the header and a page of 50


# Flagging from the thread


def flag_url(comment: Comment) -> str:
    return f"/comments/{comment.pk}/flag/"


def test_members_see_a_flag_action_on_others_comments_only(alice, bob, work):
    comment = post(alice, work, body="Alice's words.")
    discussion = "/works/october-1917/p/p3/discussion/"

    as_bob = client_for(bob).get(discussion, headers=htmx_headers()).content.decode()
    as_alice = client_for(alice).get(discussion, headers=htmx_headers()).content.decode()
    anonymous = client_for().get(discussion, headers=htmx_headers()).content.decode()

    assert f'href="{flag_url(comment)}"' in as_bob
    assert f'href="{flag_url(comment)}"' not in as_alice
    assert f'href="{flag_url(comment)}"' not in anonymous


def test_a_comment_once_flagged_says_flagged_instead_of_offering_flag_again(alice, bob, work):
    flagged = post(alice, work, body="Flagged by bob.")
    other = post(alice, work, body="Not flagged.")
    flag_create(comment=flagged, user=bob, reason=Flag.Reason.SPAM)
    discussion = "/works/october-1917/p/p3/discussion/"
    client = client_for(bob)

    in_panel = client.get(discussion, headers=htmx_headers()).content.decode()
    on_permalink = client.get(f"/comments/{flagged.pk}/").content.decode()

    for html in (in_panel, on_permalink):
        assert f'href="{flag_url(flagged)}"' not in html
        assert f'<span class="comment-flagged" id="c{flagged.pk}-flag">Flagged</span>' in html
    assert f'href="{flag_url(other)}"' in in_panel
    as_carol = client_for(make_flaggers(1)[0]).get(discussion, headers=htmx_headers())
    assert f'href="{flag_url(flagged)}"' in as_carol.content.decode()


def test_the_flag_form_comes_as_a_fragment_or_a_page(alice, bob, work):
    comment = post(alice, work)
    client = client_for(bob)

    fragment = client.get(flag_url(comment), headers=htmx_headers()).content.decode()
    page = client.get(flag_url(comment)).content.decode()

    assert "<html" not in fragment and 'name="reason"' in fragment and "Off topic" in fragment
    assert "<html" in page and "Flag a comment" in page and "A comment." in page


def test_flagging_asks_anonymous_visitors_to_sign_in(alice, work):
    comment = post(alice, work)

    response = client_for().post(flag_url(comment), {"reason": "spam"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Flag.objects.exists()


def test_a_member_flags_a_comment_without_javascript(alice, bob, work):
    comment = post(alice, work)
    client = client_for(bob)

    response = client.post(flag_url(comment), {"reason": "off_topic", "note": "Not the text."})

    assert response.status_code == 302
    assert response["Location"] == "/works/october-1917/?discussion=p3#p3"
    flag = Flag.objects.get()
    assert (flag.user, flag.reason, flag.note) == (bob, "off_topic", "Not the text.")
    assert (
        "Thank you: the moderators will look at this comment."
        in client.get(response["Location"]).content.decode()
    )


def test_a_member_flags_a_comment_in_place_with_htmx(alice, bob, work):
    comment = post(alice, work)

    response = client_for(bob).post(flag_url(comment), {"reason": "spam"}, headers=htmx_headers())

    assert response.status_code == 200
    assert "Thank you: the moderators will look at this comment." in response.content.decode()
    assert "Thank you" in response["HX-Trigger-After-Settle"]
    # The Flag action above the form becomes the comment's state.
    assert (
        f'<span class="comment-flagged" id="c{comment.pk}-flag" data-hx-swap-oob="true">'
        "Flagged</span>" in response.content.decode()
    )
    assert Flag.objects.filter(comment=comment, user=bob).exists()


def test_the_flag_that_hides_a_comment_says_so(alice, work):
    comment = post(alice, work)
    first, second, third = make_flaggers(3)
    for flagger in (first, second):
        flag_create(comment=comment, user=flagger, reason=Flag.Reason.SPAM)

    response = client_for(third).post(flag_url(comment), {"reason": "spam"}, headers=htmx_headers())

    assert "The comment is hidden until a moderator decides." in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Status.HIDDEN


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"reason": "other"}, "Say what is wrong when the reason is “other”."),
        ({"reason": ""}, "Choose a reason"),
    ],
)
def test_an_incomplete_flag_is_refused_next_to_the_form(alice, bob, work, form, message):
    comment = post(alice, work)

    response = client_for(bob).post(flag_url(comment), form, headers=htmx_headers())

    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'name="reason"' in response.content.decode()
    assert not Flag.objects.exists()


def test_flagging_ones_own_comment_is_refused(alice, work):
    comment = post(alice, work)

    response = client_for(alice).post(flag_url(comment), {"reason": "spam"})

    assert response.status_code == 400
    assert "You cannot flag your own comment." in response.content.decode()
    assert not Flag.objects.exists()


def test_flagging_twice_is_refused(alice, bob, work):
    comment = post(alice, work)
    flag_create(comment=comment, user=bob, reason=Flag.Reason.SPAM)

    response = client_for(bob).post(flag_url(comment), {"reason": "offensive"})

    assert response.status_code == 400
    assert "You have already flagged this comment." in response.content.decode()
    assert Flag.objects.count() == 1


def test_a_suspended_member_is_told_why_and_until_when(alice, bob, work, mona):
    comment = post(alice, work)
    until = timezone.now() + timedelta(days=3)
    user_suspend(user=bob, moderator=mona, until=until, reason="Rude.")

    response = client_for(bob).post(flag_url(comment), {"reason": "spam"})

    assert response.status_code == 400
    assert "suspended" in response.content.decode()
    assert not Flag.objects.exists()


def test_a_member_flagging_too_fast_is_told_when_to_try_again(alice, bob, work, settings):
    comments = [post(alice, work, body=f"Words {n}.") for n in range(2)]
    settings.SCHOLIA_FLAG_RATE = "1/3600"
    client = client_for(bob)
    client.post(flag_url(comments[0]), {"reason": "spam"})

    response = client.post(flag_url(comments[1]), {"reason": "spam"})

    assert response.status_code == 429
    assert "You are flagging too fast. Try again in" in response.content.decode()


def test_a_comment_the_member_may_not_see_cannot_be_flagged(alice, bob, work):
    comment = set_status(post(alice, work), Status.PENDING)

    assert client_for(bob).post(flag_url(comment), {"reason": "spam"}).status_code == 404
