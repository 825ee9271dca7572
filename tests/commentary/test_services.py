"""The write services: what the pages, the API and the admin all call."""

import pytest
from django.test import override_settings

from commentary.models import Comment, CommentRevision
from commentary.permissions import allowed
from commentary.services import CommentError, comment_create, comment_delete, comment_edit
from edition.models import ModerationPolicy
from tests.commentary.builders import FIRST, paragraph_of, post
from tests.edition.builders import build_version, chapter_specs, para

pytestmark = pytest.mark.django_db


def error_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_it_posts_a_comment_on_the_wording_of_the_current_version(alice, work):
    comment = post(alice, work, body="A *first* thought.")

    assert comment.status == Comment.Status.PUBLISHED
    assert comment.version == work.current_version
    assert comment.revision.text == FIRST
    assert comment.body_html == "<p>A <em>first</em> thought.</p>"
    assert (comment.parent, comment.root, comment.depth) == (None, None, 0)


def test_it_strips_the_body(alice, work):
    assert post(alice, work, body="  padded \n").body == "padded"


def test_it_replies_on_the_parent_paragraph_in_its_thread(alice, bob, work):
    root = post(alice, work)
    reply = comment_create(author=bob, parent=root, body="A reply.")
    answer = comment_create(author=alice, parent=reply, body="An answer.")

    assert reply.paragraph == root.paragraph
    assert (reply.root, reply.depth) == (root, 1)
    assert (answer.root, answer.depth) == (root, 2)


def test_it_refuses_a_reply_beyond_the_depth_cap(alice, bob, work, settings):
    settings.SCHOLIA_COMMENT_MAX_DEPTH = 2
    comment = post(alice, work)
    for _ in range(2):
        comment = comment_create(author=bob, parent=comment, body="Deeper.")

    with pytest.raises(CommentError) as excinfo:
        comment_create(author=alice, parent=comment, body="Too deep.")

    assert "reply higher up" in error_of(excinfo)["parent"][0]
    assert Comment.objects.count() == 3


def test_it_refuses_a_parent_on_another_paragraph(alice, bob, work):
    root = post(alice, work, key="p3")

    with pytest.raises(CommentError) as excinfo:
        comment_create(
            author=bob, parent=root, paragraph=paragraph_of(work, "p4"), body="Elsewhere."
        )

    assert "another paragraph" in error_of(excinfo)["parent"][0]
    assert Comment.objects.count() == 1


def test_it_refuses_a_reply_to_a_deleted_comment(alice, bob, work):
    root = post(alice, work)
    comment_delete(comment=root, by=alice)

    with pytest.raises(CommentError) as excinfo:
        comment_create(author=bob, parent=root, body="Too late.")

    assert "deleted" in error_of(excinfo)["parent"][0]


def test_it_stores_a_quote_found_in_the_paragraph(alice, work):
    comment = post(alice, work, quote={"exact": "first socialist project"})

    assert comment.quote == {
        "exact": "first socialist project",
        "prefix": "The aim of this chapter is certainly not to denigrate this "[-32:],
        "suffix": ".",
        "start": FIRST.index("first socialist"),
        "end": FIRST.index("first socialist") + len("first socialist project"),
    }


@pytest.mark.parametrize(
    "quote",
    [
        {"exact": "a phrase that is not there"},
        {"exact": "first socialist project", "start": 0, "end": 23},
        {"exact": ""},
    ],
    ids=["absent", "wrong-offsets", "empty"],
)
def test_it_refuses_a_quote_not_in_the_paragraph(alice, work, quote):
    with pytest.raises(CommentError) as excinfo:
        post(alice, work, quote=quote)

    assert list(error_of(excinfo)) == ["quote"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n\t "], ids=["empty", "blank"])
def test_it_refuses_an_empty_body(alice, work, body):
    with pytest.raises(CommentError) as excinfo:
        post(alice, work, body=body)

    assert error_of(excinfo) == {"body": ["A comment cannot be empty."]}
    assert not Comment.objects.exists()


@override_settings(SCHOLIA_COMMENT_MAX_LENGTH=50)
def test_it_refuses_an_over_long_body(alice, work):
    post(alice, work, body="x" * 50)

    with pytest.raises(CommentError) as excinfo:
        post(alice, work, body="x" * 51)

    assert error_of(excinfo) == {"body": ["A comment can be at most 50 characters long."]}
    assert Comment.objects.count() == 1


def test_it_refuses_comments_on_a_closed_work(alice, work):
    root = post(alice, work)
    work.moderation_policy = ModerationPolicy.CLOSED
    work.save(update_fields=["moderation_policy"])
    root.refresh_from_db()

    with pytest.raises(CommentError) as excinfo:
        post(alice, work)
    with pytest.raises(CommentError):
        comment_create(author=alice, parent=root, body="A reply.")

    assert error_of(excinfo) == {"work": ["Comments on this work are closed."]}
    assert Comment.objects.count() == 1


def test_it_holds_comments_on_a_premoderated_work(alice, work):
    work.moderation_policy = ModerationPolicy.PREMODERATED
    work.save(update_fields=["moderation_policy"])

    assert post(alice, work).status == Comment.Status.PENDING


def test_it_refuses_a_paragraph_that_is_not_in_the_version(alice, work):
    build_version(work, [para("A second version with one paragraph.")])

    with pytest.raises(CommentError) as excinfo:
        post(alice, work, key="p3")

    assert list(error_of(excinfo)) == ["paragraph"]


def test_it_writes_on_an_earlier_version_when_asked(alice, work):
    first = work.current_version
    build_version(work, [para("A rewritten opening.", key="p3"), *chapter_specs()[3:]])

    comment = post(alice, work, version=first)

    assert comment.version == first
    assert comment.revision.text == FIRST


def test_it_keeps_every_earlier_body_when_its_author_edits(alice, work):
    comment = post(alice, work, body="First.")
    comment_edit(comment=comment, editor=alice, body="Second.")
    comment = comment_edit(comment=comment, editor=alice, body="*Third.*")

    assert comment.body == "*Third.*"
    assert comment.body_html == "<p><em>Third.</em></p>"
    assert comment.is_edited
    assert list(CommentRevision.objects.filter(comment=comment).values_list("body", flat=True)) == [
        "First.",
        "Second.",
    ]


def test_it_writes_no_revision_for_an_unchanged_body(alice, work):
    comment = post(alice, work, body="Same.")

    comment = comment_edit(comment=comment, editor=alice, body="Same.")

    assert not comment.is_edited
    assert not CommentRevision.objects.exists()


def test_it_refuses_an_edit_by_anyone_but_the_author(alice, bob, work):
    comment = post(alice, work, body="Mine.")

    with pytest.raises(CommentError):
        comment_edit(comment=comment, editor=bob, body="Yours now.")

    comment.refresh_from_db()
    assert comment.body == "Mine."


def test_it_refuses_an_empty_edit(alice, work):
    comment = post(alice, work, body="Mine.")

    with pytest.raises(CommentError) as excinfo:
        comment_edit(comment=comment, editor=alice, body=" ")

    assert list(error_of(excinfo)) == ["body"]


def test_it_leaves_a_tombstone_with_its_replies_in_place(alice, bob, work):
    root = post(alice, work)
    reply = comment_create(author=bob, parent=root, body="A reply.")

    deleted = comment_delete(comment=root, by=alice)

    assert deleted.is_deleted
    assert Comment.objects.filter(pk=root.pk).exists()
    reply.refresh_from_db()
    assert reply.parent_id == root.pk
    assert not allowed(alice, "comment.edit", deleted)


def test_it_refuses_a_delete_by_anyone_but_the_author(alice, bob, work):
    comment = post(alice, work)

    with pytest.raises(CommentError):
        comment_delete(comment=comment, by=bob)

    comment.refresh_from_db()
    assert not comment.is_deleted


def test_it_deletes_once(alice, work):
    comment = post(alice, work)
    first = comment_delete(comment=comment, by=alice).deleted_at

    assert comment_delete(comment=comment, by=alice).deleted_at == first
