"""Where a new comment starts: published, or held for a moderator."""

import pytest

from commentary.models import Comment
from commentary.moderation.decisions import initial_status
from edition.models import ModerationPolicy
from tests.commentary.builders import post

pytestmark = pytest.mark.django_db


def test_a_comment_on_an_open_work_starts_published(alice, work):
    assert initial_status(author=alice, work=work) == Comment.Status.PUBLISHED


def test_a_comment_on_a_premoderated_work_waits_for_a_moderator(alice, work):
    work.moderation_policy = ModerationPolicy.PREMODERATED

    assert initial_status(author=alice, work=work) == Comment.Status.PENDING


def test_the_write_service_gives_a_new_comment_that_status(alice, work):
    work.moderation_policy = ModerationPolicy.PREMODERATED
    work.save(update_fields=["moderation_policy"])

    assert post(alice, work).status == Comment.Status.PENDING
