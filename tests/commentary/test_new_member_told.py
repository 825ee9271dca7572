"""A new member learns, before posting and after, that a moderator reads their first
comments: on the comment form, then in a visible note, with htmx and without JavaScript.

Personas: nina is new (none of her comments approved yet); alice is trusted.
"""

import json

import pytest

from commentary.accounts.models import Profile
from commentary.models import Comment
from tests.commentary.builders import client_for, htmx_headers, make_user

pytestmark = pytest.mark.django_db

DISCUSSION = "/works/october-1917/p/p3/discussion/"
CREATE = "/works/october-1917/p/p3/comments/"
BEFORE = "A moderator reads a new member’s first comments before others can see them."
AFTER = (
    "Your comment was posted. A moderator reads a new member’s first comments: "
    "others will see it once a moderator approves it."
)


@pytest.fixture(autouse=True)
def _held(settings):
    settings.SCHOLIA_NEW_MEMBER_HELD = 3
    settings.SCHOLIA_PAGE_CACHE = False


@pytest.fixture
def nina():
    return make_user("nina")


@pytest.fixture
def trusted():
    user = make_user("tess")
    Profile.objects.filter(user=user).update(trusted=True)
    return user


def test_the_form_tells_a_new_member_before_posting(work, nina, trusted):
    as_nina = client_for(nina).get(DISCUSSION, headers=htmx_headers()).content.decode()
    on_page = client_for(nina).get("/works/october-1917/p/p3/").content.decode()
    as_trusted = client_for(trusted).get(DISCUSSION, headers=htmx_headers()).content.decode()

    assert BEFORE in as_nina and BEFORE in on_page
    assert BEFORE not in as_trusted


def test_after_posting_with_htmx_the_note_is_visible_in_place_of_the_form(work, nina):
    response = client_for(nina).post(CREATE, {"body": "My first words."}, headers=htmx_headers())

    html = response.content.decode()
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert f'<p class="discussion-note discussion-posted">{AFTER}</p>' in html
    assert json.loads(response["HX-Trigger-After-Settle"])["commentary:changed"]["message"] == AFTER


def test_after_posting_without_javascript_the_note_is_on_the_page_it_leads_to(work, nina):
    response = client_for(nina).post(CREATE, {"body": "My first words."}, follow=True)

    assert AFTER in response.content.decode()


def test_a_trusted_member_is_told_only_that_it_was_posted(work, trusted):
    response = client_for(trusted).post(CREATE, {"body": "Words."}, follow=True)

    html = response.content.decode()
    assert "Your comment was posted." in html
    assert "new member" not in html
