"""A suspended or banned member is told before writing: instead of the comment form, on
their own profile and in the header, in the site's one date format.

Personas: mona moderates the site; sam is suspended; bob reads sam's profile.
"""

from datetime import datetime

import pytest
from django.utils import timezone

from commentary.moderation.sanctions import user_ban, user_reinstate, user_suspend
from tests.commentary.builders import client_for, htmx_headers, make_user
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db

DISCUSSION = "/works/october-1917/p/p3/discussion/"
UNTIL = "13 December 2099, 14:05"
TOLD = f"Your account is suspended until {UNTIL}: you cannot post, edit or flag until then."


@pytest.fixture(autouse=True)
def _uncached(settings):
    settings.SCHOLIA_PAGE_CACHE = False


@pytest.fixture
def mona():
    return make_moderator()


@pytest.fixture
def sam(mona, django_capture_on_commit_callbacks):
    user = make_user("sam")
    until = timezone.make_aware(datetime(2099, 12, 13, 14, 5))
    with django_capture_on_commit_callbacks(execute=True):
        user_suspend(user=user, moderator=mona, until=until, reason="Cool off.")
    return user


def test_the_discussion_tells_a_suspended_member_instead_of_offering_the_form(work, sam):
    panel = client_for(sam).get(DISCUSSION, headers=htmx_headers()).content.decode()
    page = client_for(sam).get("/works/october-1917/p/p3/").content.decode()

    for html in (panel, page):
        assert f"{TOLD} Reason: Cool off." in html
        assert 'name="body"' not in html


def test_their_own_profile_and_the_header_tell_it(work, sam, bob):
    own = client_for(sam).get("/users/sam/").content.decode()
    elsewhere = client_for(sam).get("/works/october-1917/").content.decode()
    as_bob = client_for(bob).get("/users/sam/").content.decode()

    assert f"{TOLD} Reason: Cool off." in own
    for html in (own, elsewhere):
        assert (
            f'href="/users/sam/#sanctions" class="account-nav-sanction">Suspended until {UNTIL}'
            in html
        )
    assert "Cool off." not in as_bob and "suspended" not in as_bob.lower()


def test_the_header_follows_a_ban_and_a_reinstatement(
    work, sam, mona, django_capture_on_commit_callbacks
):
    client = client_for(sam)
    client.get("/works/october-1917/")  # the header's answer is kept
    with django_capture_on_commit_callbacks(execute=True):
        user_ban(user=sam, moderator=mona, reason="Spam.")
    assert 'class="account-nav-sanction">Banned</a>' in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        user_reinstate(user=sam, moderator=mona)
    html = client.get("/").content.decode()
    assert "account-nav-sanction" not in html
    assert 'name="body"' in client.get(DISCUSSION, headers=htmx_headers()).content.decode()
