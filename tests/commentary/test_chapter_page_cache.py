"""A comment expires the cached page of its chapter, never the other chapters'."""

import pytest
from django.contrib.auth import get_user_model

from commentary.services import comment_create
from edition.services import version_publish
from tests.edition.builders import build_version, build_work, heading, para

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def work():
    work = build_work()
    build_version(
        work,
        [
            heading("Chapter One"),
            para("The first chapter's paragraph."),
            heading("A section", level=3),
            para("More of the first chapter."),
            heading("Chapter Two"),
            para("The second chapter's paragraph."),
        ],
    )
    work.refresh_from_db()
    return work


@pytest.fixture
def alice():
    return get_user_model().objects.create_user("alice", "alice@example.org", "pw-alice-1917")


def test_a_comment_expires_its_chapter_and_leaves_the_others_cached(client, work, alice):
    one, two = "/works/october-1917/chapter-one/", "/works/october-1917/chapter-two/"
    assert client.get(one)["X-Page-Cache"] == "miss"
    assert client.get(two)["X-Page-Cache"] == "miss"
    assert client.get(one)["X-Page-Cache"] == "hit"

    comment_create(author=alice, paragraph=work.paragraphs.get(key="p6"), body="On two.")

    assert client.get(one)["X-Page-Cache"] == "hit"
    response = client.get(two)
    assert response["X-Page-Cache"] == "miss"
    assert "1 comment" in response.content.decode()
    assert client.get(two)["X-Page-Cache"] == "hit"


def test_a_comment_in_a_chapter_expires_that_chapters_page_of_an_earlier_version(
    client, work, alice
):
    build_version(
        work,
        [
            heading("Chapter One", key="p1"),
            para("The first chapter's paragraph.", key="p2"),
            heading("Chapter Two", key="p5"),
            para("The second chapter's paragraph, reworded.", key="p6"),
        ],
    )
    old = "/works/october-1917/v/1/chapter-two/"
    assert client.get(old)["X-Page-Cache"] == "miss"
    comment_create(author=alice, paragraph=work.paragraphs.get(key="p6"), body="On two.")
    assert client.get(old)["X-Page-Cache"] == "miss"


def test_a_passage_a_new_version_moves_to_another_chapter_expires_that_chapter(client, work, alice):
    passage = work.paragraphs.get(key="p4")
    comment_create(author=alice, paragraph=passage, body="In chapter one.")  # its chapters kept
    draft = build_version(
        work,
        [
            heading("Chapter One", key="p1"),
            para("The first chapter's paragraph.", key="p2"),
            heading("Chapter Two", key="p5"),
            para("More of the first chapter, now in the second.", key="p4"),
            para("The second chapter's paragraph.", key="p6"),
        ],
        publish=False,
    )
    version_publish(version=draft)
    two = "/works/october-1917/chapter-two/"
    assert client.get(two)["X-Page-Cache"] == "miss"
    assert client.get(two)["X-Page-Cache"] == "hit"

    comment_create(author=alice, paragraph=passage, body="Now in chapter two.")

    response = client.get(two)
    assert response["X-Page-Cache"] == "miss"
    assert "2 comments" in response.content.decode()


def test_a_group_comment_counts_for_nobody_outside_it_on_a_chapter_page(client, work):
    from commentary.groups.models import Membership, ReadingGroup

    member = get_user_model().objects.create_user("bob", "bob@example.org", "pw-bob-1917")
    group = ReadingGroup.objects.create(slug="tuesday", name="Tuesday reading group")
    group.works.add(work)
    Membership.objects.create(group=group, user=member)
    comment_create(
        author=member, paragraph=work.paragraphs.get(key="p6"), body="Ours.", group=group
    )
    page = client.get("/works/october-1917/chapter-two/").content.decode()
    assert "1 comment" not in page
    assert (
        "Ours." not in client.get("/works/october-1917/chapter-two/?discussion=p6").content.decode()
    )


def test_every_comment_in_reading_order_links_to_its_passage_in_its_chapter(client, work, alice):
    comment_create(author=alice, paragraph=work.paragraphs.get(key="p6"), body="On two.")
    page = client.get("/works/october-1917/comments/").content.decode()
    assert 'href="/works/october-1917/chapter-two/#p6"' in page
