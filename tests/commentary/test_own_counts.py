"""A signed-in reader's own held comments in the margin counts: theirs, in this text, in
the public discussion, live; nobody else's, nothing of another work or of a group."""

import pytest
from django.utils import timezone

from commentary.access import paragraph_comment_counts
from commentary.models import Comment
from edition.models import VersionParagraph
from tests.commentary.builders import make_user, make_work, paragraph_of, post, set_status
from tests.commentary.group_people import group_post, make_seminar

pytestmark = pytest.mark.django_db


def page_ids(work) -> list[int]:
    return list(
        VersionParagraph.objects.filter(version=work.current_version).values_list(
            "paragraph_id", flat=True
        )
    )


def test_it_counts_only_the_readers_own_held_comments_of_this_text(work):
    _group, _olga, gus = make_seminar(work)
    elsewhere = make_work(slug="another-text", title="Another text")
    set_status(post(gus, work, body="Held here."), Comment.Status.PENDING)
    set_status(post(gus, work, body="Hidden here."), Comment.Status.HIDDEN)
    set_status(post(gus, elsewhere, body="Held elsewhere."), Comment.Status.PENDING)
    set_status(post(make_user("nina"), work, body="Someone else's."), Comment.Status.PENDING)
    set_status(group_post(gus, work, _group, body="In the group."), Comment.Status.HIDDEN)
    deleted = set_status(post(gus, work, body="Deleted."), Comment.Status.PENDING)
    Comment.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    paragraph = paragraph_of(work)

    counts = paragraph_comment_counts(gus, page_ids(work))

    assert counts == {paragraph.pk: 2}
    assert paragraph_comment_counts(gus, page_ids(elsewhere)) == {paragraph_of(elsewhere).pk: 1}
    assert paragraph_comment_counts(make_user("ted"), page_ids(work)) == {}
