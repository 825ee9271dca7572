"""Where a post goes is kept under the text's generation (``commentary.targets``): the work,
its paragraph, its current version and the paragraph's wording there. Every write that
changes any of them (publishing, a work's moderation policy or details, withdrawing it or
making an earlier version current again) shows on the very next post, as if nothing were
kept; and a place that names nothing is refused as before, and never kept.

These tests commit, as the site does: the bumps run once a write is committed.

Personas: alice posts with a token; an editor works in the admin.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from commentary.accounts.tokens import token_create
from commentary.models import Comment
from commentary.targets import resolve_comment_target
from edition.models import ModerationPolicy
from edition.services import version_publish, work_ensure
from tests.commentary.builders import FIRST, make_user, make_work
from tests.edition.builders import build_version, para

pytestmark = pytest.mark.django_db(transaction=True)

COMMENTS = "/api/v1/comments/"
SLUG = "october-1917"


@pytest.fixture
def work():
    return make_work()


@pytest.fixture
def alice():
    client = APIClient()
    _token, key = token_create(user=make_user("alice"), name="posting", scopes=("read", "write"))
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def admin(client):
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw-1917")
    client.force_login(editor)
    return client


def post(client, key: str = "p3", body: str = "A comment."):
    return client.post(COMMENTS, {"work": SLUG, "paragraph": key, "body": body}, format="json")


def posted(client, key: str = "p3", body: str = "A comment.") -> Comment:
    response = post(client, key, body)
    assert response.status_code == 201, response.content
    return Comment.objects.select_related("version", "revision").get(pk=response.json()["id"])


def refusal(client, key: str = "p3") -> dict:
    response = post(client, key)
    assert response.status_code == 400, response.content
    return response.json()["errors"]


def queries_of_the_place(client, key: str = "p3") -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        post(client, key)
    return [
        query["sql"]
        for query in captured
        if query["sql"].startswith('SELECT "edition_versionparagraph"')
        and '"edition_work"."moderation_policy"' in query["sql"]
    ]


def publish(work, specs):
    version_publish(version=build_version(work, specs, publish=False))


def admin_change(admin, work, **changed) -> None:
    work.refresh_from_db()
    form = {
        "slug": work.slug,
        "title": work.title,
        "language": work.language,
        "moderation_policy": work.moderation_policy,
        "current_version": work.current_version_id or "",
        **changed,
    }
    response = admin.post(f"/admin/edition/work/{work.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_second_post_on_a_passage_asks_the_database_nothing_about_its_place(alice, work):
    assert len(queries_of_the_place(alice)) == 1
    assert queries_of_the_place(alice) == []
    assert posted(alice).revision.text == FIRST


def test_the_next_post_after_a_new_version_is_on_its_wording(alice, work):
    assert posted(alice).version.number == 1

    publish(work, [para("A new wording.", key="p3"), para("Beside it.")])

    comment = posted(alice)
    assert (comment.version.number, comment.revision.text) == (2, "A new wording.")


def test_the_next_post_on_a_passage_the_new_version_dropped_is_refused(alice, work):
    posted(alice)

    publish(work, [para("Only this one now.", key="p4")])

    assert refusal(alice) == {"paragraph": [f"Paragraph p3 is not in {work.title} v2."]}


def test_the_next_post_after_comments_are_closed_in_the_admin_is_refused(alice, admin, work):
    posted(alice)

    admin_change(admin, work, moderation_policy=ModerationPolicy.CLOSED)

    assert refusal(alice) == {"work": ["Comments on this work are closed."]}
    admin_change(admin, work, moderation_policy=ModerationPolicy.OPEN)
    assert posted(alice).status == Comment.Status.PUBLISHED


def test_the_next_post_after_premoderation_is_held(alice, admin, work):
    assert posted(alice).status == Comment.Status.PUBLISHED

    admin_change(admin, work, moderation_policy=ModerationPolicy.PREMODERATED)

    assert posted(alice).status == Comment.Status.PENDING


def test_the_next_post_on_a_work_withdrawn_in_the_admin_is_refused(alice, admin, work):
    posted(alice)

    admin_change(admin, work, current_version="")

    assert refusal(alice) == {"work": ["No such work."]}


def test_the_next_post_on_a_work_made_current_again_in_the_admin_is_on_that_version(
    alice, admin, work
):
    first = work.current_version
    publish(work, [para("A new wording.", key="p3")])
    assert posted(alice).version.number == 2

    admin_change(admin, work, current_version=first.pk)

    assert posted(alice).revision.text == FIRST


def test_the_place_read_after_a_new_import_of_the_works_details_has_them(alice, work):
    # What the listeners of a new comment show of its work (a notification's subject).
    author = get_user_model().objects.get(username="alice")
    posted(alice)

    work_ensure(slug=SLUG, title="The Long Revolution")

    assert resolve_comment_target(author, work=SLUG, paragraph="p3").work.title == (
        "The Long Revolution"
    )


def test_a_paragraph_that_names_nothing_is_refused_as_before_and_never_kept(alice, work):
    message = {"paragraph": ["No paragraph p99 in october-1917."]}
    assert refusal(alice, "p99") == message
    assert refusal(alice, "p99") == message
    assert len(queries_of_the_place(alice, "p99")) == 1

    publish(work, [para(FIRST, key="p3"), para("The new one.")])  # p13

    assert refusal(alice, "p99") == message
    assert posted(alice, "p13").revision.text == "The new one."
