"""The API's thread, made once for everybody and served to every reader who sees no more of
it than everybody does (``CommentThread``); a reader who sees more gets their own.

alice started the thread, bob replied; charlie's reply waits for a moderator. In the Tuesday
seminar, gus wrote the canary; nina is outside it.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commentary.models import Comment
from tests.api.comment_fixtures import client_for, comment_url, make_people, post, set_status
from tests.commentary.builders import make_user
from tests.commentary.group_people import CANARY, group_post, make_seminar

pytestmark = pytest.mark.django_db

HELD = "Charlie's reply, held for the moderators."


@pytest.fixture
def people(db):
    return make_people()


def bodies(node: dict) -> list[str]:
    own = [] if node.get("placeholder") else [node["body"]]
    return own + [body for reply in node["replies"] for body in bodies(reply)]


def test_readers_who_see_what_everybody_sees_get_the_tree_made_once(october, people):
    root = post(people.alice, october, body="Alice starts.")
    post(people.bob, october, parent=root, body="Bob answers.")
    url = comment_url(root.pk, "thread/")
    assert bodies(client_for(people.alice).get(url).json()) == ["Alice starts.", "Bob answers."]

    with CaptureQueriesContext(connection) as captured:
        tree = client_for(people.bob).get(url).json()

    assert bodies(tree) == ["Alice starts.", "Bob answers."]
    assert not any("tag_names" in query["sql"] for query in captured.captured_queries)


def test_a_held_reply_reaches_its_author_only(october, people):
    root = post(people.alice, october, body="Alice starts.")
    charlie = people.charlie
    set_status(post(charlie, october, parent=root, body=HELD), Comment.Status.PENDING)
    url = comment_url(root.pk, "thread/")

    assert HELD not in bodies(client_for(people.bob).get(url).json())
    assert HELD in bodies(client_for(charlie).get(url).json())
    assert HELD not in bodies(client_for(people.bob).get(url).json())
    assert HELD not in bodies(client_for().get(url).json())


def test_a_group_thread_reaches_its_members_only(october):
    group, olga, gus = make_seminar(october)
    canary = group_post(gus, october, group)
    url = comment_url(canary.pk, "thread/")

    assert bodies(client_for(olga).get(url).json()) == [CANARY]
    assert client_for(make_user("nina")).get(url).status_code == 404
    assert client_for().get(url).status_code == 404
