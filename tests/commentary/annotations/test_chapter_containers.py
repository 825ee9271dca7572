"""The W3C containers scoped to one chapter (``?chapter=<slug>``): the annotations on that
chapter's passages, paged as the whole container is, still passing the W3C suite's
assertions; a chapter the work lacks is a 404 that says so; a reading group's chapter
reaches its members only."""

import pytest
from rest_framework.test import APIClient

from commentary.services import comment_create
from edition.seed import book_import
from tests.commentary.annotations.test_chapter_exports import chapter_key
from tests.commentary.annotations.w3c import (
    collection_failures,
    hand_failures,
    page_failures,
    require_suite,
    schema_failures,
)
from tests.commentary.builders import make_user, post
from tests.commentary.group_people import CANARY, group_post, join, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db
ANNO = "http://www.w3.org/ns/anno.jsonld"
CONTAINER = "/api/v1/works/october-1917-book/annotations/"


def api_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def book(db, settings):
    settings.SCHOLIA_ANNOTATION_PAGE_SIZE = 2
    work = book_import(chapters=3)
    alice = make_user("alice", "Alice")
    comments = {}
    for number in (1, 2, 3):
        root = post(alice, work, chapter_key(work, number), body=f"On chapter {number}.")
        comments[number] = root
    comment_create(author=make_user("bob"), parent=comments[2], body="A reply in two.")
    post(alice, work, chapter_key(work, 2, 3), body="More on chapter 2.")
    return work


def walk(collection: dict) -> list[dict]:
    """Every annotation of the collection, page by page, each page checked."""
    url, seen = collection["first"]["id"], []
    while url:
        page = api_for().get(url.split("testserver", 1)[1]).json()
        assert page_failures(page) == [], page_failures(page)
        assert page["partOf"]["id"] == collection["id"]
        assert page["startIndex"] == len(seen)
        seen += page["items"]
        url = page.get("next")
    return seen


def test_a_chapters_container_holds_that_chapters_annotations_only(book):
    require_suite()
    response = api_for().get(f"{CONTAINER}?chapter=chapter-two")
    assert response.status_code == 200
    collection = response.json()
    assert collection_failures(collection) == [], collection_failures(collection)
    assert collection["total"] == 3
    assert collection["id"].endswith("?chapter=chapter-two&iris=0")
    assert response["Content-Location"] == collection["id"]
    assert "chapter-two" in collection["last"]
    items = walk(collection)
    bodies = sorted(item["body"]["value"] for item in items)
    assert bodies == ["A reply in two.", "More on chapter 2.", "On chapter 2."]
    for item in items:
        annotation = {"@context": ANNO, **item}
        parent = item["target"] if item["motivation"] == "replying" else None
        assert schema_failures(annotation) + hand_failures(annotation, parent_iri=parent) == []


def test_the_whole_works_container_holds_every_chapter(book):
    assert api_for().get(CONTAINER).json()["total"] == 5


def test_the_iris_of_a_chapter_are_paged_in_that_chapter(book):
    require_suite()
    collection = api_for().get(f"{CONTAINER}?chapter=chapter-one&iris=1").json()
    assert collection["total"] == 1
    assert collection_failures(collection) == []
    assert len(collection["first"]["items"]) == 1


def test_a_chapter_the_work_lacks_is_a_404_that_says_so(book):
    response = api_for().get(f"{CONTAINER}?chapter=chapter-nine")
    assert response.status_code == 404
    assert "chapter-nine" in response.content.decode()
    undivided = api_for().get("/api/v1/works/october-1917/annotations/?chapter=chapter-one")
    assert undivided.status_code == 404


def test_a_chapter_that_is_not_a_slug_is_refused(book):
    response = api_for().get(f"{CONTAINER}?chapter=chapter%20two")
    assert response.status_code == 400
    assert "chapter" in response.json()["errors"]


def test_a_groups_chapter_container_reaches_its_members_only(book):
    group, _olga, gus = make_seminar(book)
    una = make_user("una")
    join(group, una)
    group_post(gus, book, group, key=chapter_key(book, 2))
    url = f"/api/v1/groups/{group.slug}/annotations/?chapter=chapter-two"
    for member in (gus, una):
        response = api_for(member).get(url)
        assert response.status_code == 200 and CANARY in response.content.decode()
        assert response.json()["total"] == 1
    other = api_for(gus).get(f"/api/v1/groups/{group.slug}/annotations/?chapter=chapter-one")
    assert other.json()["total"] == 0
    outsiders = {"anonymous": None, "non-member": make_user("nina"), "moderator": make_moderator()}
    for name, user in outsiders.items():
        seen = api_for(user).get(url)
        nothing = api_for(user).get("/api/v1/groups/no-such-group/annotations/?chapter=chapter-two")
        assert (seen.status_code, seen.content) == (nothing.status_code, nothing.content), name
        assert seen.status_code == 404 and CANARY not in seen.content.decode(), name
        public = api_for(user).get(f"{CONTAINER}?chapter=chapter-two")
        assert public.status_code == 200 and CANARY not in public.content.decode(), name
