"""Where a new comment goes: one resolver for the form views and the API.

It turns what a client names (work slug, paragraph key, version number, parent id, quote)
into the objects the write service takes, for one user. Whatever the user may not read
answers like something that does not exist.
"""

import pytest

from commentary.services import CommentError, comment_create
from commentary.targets import resolve_comment_target
from tests.commentary.builders import FIRST, make_user, post, set_status
from tests.edition.builders import build_version, build_work, para

pytestmark = pytest.mark.django_db

SLUG = "october-1917"


def refusal(user, **named) -> dict:
    with pytest.raises(CommentError) as excinfo:
        resolve_comment_target(user, **named)
    return excinfo.value.message_dict


@pytest.fixture
def draft(work):
    """Version 2 of the work, still a draft, with a paragraph only it holds (p14)."""
    return build_version(work, [para(FIRST, key="p3"), para("Only in the draft.")], publish=False)


def test_it_resolves_a_paragraph_of_the_current_version(alice, work):
    target = resolve_comment_target(alice, work=SLUG, paragraph="p3")

    assert target.work == work
    assert target.paragraph.key == "p3"
    assert (target.version, target.parent, target.quote) == (None, None, None)


def test_it_resolves_the_published_version_the_reader_had_on_screen(alice, work):
    build_version(work, [para("A new wording.", key="p3")])

    target = resolve_comment_target(alice, work=SLUG, paragraph="p3", version=1)

    assert target.version.number == 1
    assert target.version.work == work


def test_it_passes_the_quote_on_for_the_service_to_find(alice, work):
    quote = {"exact": "first socialist project"}

    assert resolve_comment_target(alice, work=SLUG, paragraph="p3", quote=quote).quote == quote


def test_it_takes_the_work_and_paragraph_of_a_reply_from_its_parent(alice, bob, work):
    root = post(alice, work, key="p4")

    target = resolve_comment_target(bob, parent=root.pk)

    assert target.parent == root
    assert target.work == work
    assert target.paragraph.key == "p4"


@pytest.mark.parametrize(
    ("named", "field", "message"),
    [
        ({}, "work", "Say which work the comment is on, or give the parent it replies to."),
        ({"work": SLUG}, "paragraph", "Say which paragraph it is on."),
        ({"work": "nowhere", "paragraph": "p3"}, "work", "No such work."),
        ({"work": SLUG, "paragraph": "p99"}, "paragraph", "No paragraph p99 in october-1917."),
        ({"work": SLUG, "paragraph": "p14"}, "paragraph", "No paragraph p14 in october-1917."),
        (
            {"work": SLUG, "paragraph": "p3", "version": 2},
            "version",
            "That version does not exist. The work october-1917 has no published version 2.",
        ),
        (
            {"work": SLUG, "paragraph": "p3", "version": 9},
            "version",
            "That version does not exist. The work october-1917 has no published version 9.",
        ),
        ({"parent": 999_999}, "parent", "No such comment."),
    ],
    ids=[
        "nothing",
        "no-paragraph",
        "unknown-work",
        "unknown-paragraph",
        "paragraph-only-in-a-draft",
        "draft-version",
        "unknown-version",
        "unknown-parent",
    ],
)
def test_it_refuses_a_place_that_does_not_exist(alice, draft, named, field, message):
    assert refusal(alice, **named) == {field: [message]}


def test_it_refuses_a_work_still_in_draft_as_one_that_does_not_exist(alice, work):
    build_version(build_work(slug="in-draft"), [para("Not yet.")], publish=False)

    assert refusal(alice, work="in-draft", paragraph="p1") == {"work": ["No such work."]}


def test_it_refuses_a_parent_the_user_may_not_see(alice, bob, work):
    held = set_status(post(alice, work), "pending")

    assert refusal(bob, parent=held.pk) == {"parent": ["No such comment."]}
    assert resolve_comment_target(alice, parent=held.pk).parent == held


def test_it_refuses_a_parent_on_another_work(alice, work):
    other = build_work(slug="other", title="Another work")
    build_version(other, [para("Elsewhere.")])
    root = post(make_user("charlie"), other, key="p1")

    assert refusal(alice, work=SLUG, paragraph="p3", parent=root.pk) == {
        "parent": ["The parent comment is on another work."]
    }


# Posting on the current text reads the place and its wording at once


def test_it_reads_a_paragraph_of_the_current_text_with_its_wording_in_one_query(
    alice, work, django_assert_num_queries
):
    build_version(work, [para("A new wording.", key="p3")])

    with django_assert_num_queries(1):
        target = resolve_comment_target(alice, work=SLUG, paragraph="p3")
        wording = target.wording
        assert (wording.version.number, wording.revision.text) == (2, "A new wording.")
        assert target.work.current_version == wording.version
        assert target.paragraph.work == target.work

    comment = comment_create(author=alice, body="On the new wording.", **target.arguments())
    assert (comment.version.number, comment.revision.text) == (2, "A new wording.")


def test_a_paragraph_the_current_text_no_longer_holds_is_refused_by_the_service(alice, work):
    build_version(work, [para("Only this one now.", key="p4")])

    target = resolve_comment_target(alice, work=SLUG, paragraph="p3")

    assert target.wording is None
    with pytest.raises(CommentError) as refused:
        comment_create(author=alice, body="Too late.", **target.arguments())
    assert refused.value.message_dict == {"paragraph": [f"Paragraph p3 is not in {work.title} v2."]}


def test_a_reply_or_an_earlier_version_is_not_read_with_the_current_wording(alice, work):
    root = post(alice, work, key="p4")
    build_version(work, [para("A new wording.", key="p3"), para(FIRST, key="p4")])

    assert resolve_comment_target(alice, parent=root.pk).wording is None
    earlier = resolve_comment_target(alice, work=SLUG, paragraph="p3", version=1)
    assert earlier.wording is None
    comment = comment_create(author=alice, body="As I read it.", **earlier.arguments())
    assert comment.version.number == 1
    assert comment.revision.text != "A new wording."
