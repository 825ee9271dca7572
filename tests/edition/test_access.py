"""Who may read what in the edition: one rule, the same on every page and API endpoint.

A reader sees a work whose current version is published, its published versions, and the
paragraphs they hold. Staff also see drafts. Everything else answers 404.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from edition.models import Paragraph, Version, Work
from tests.edition.builders import build_version, build_work, para

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}

# Every address that shows the work, its versions or its paragraph p1.
READER_URLS = [
    "/works/october-1917/",
    "/works/october-1917/v/1/",
    "/works/october-1917/p/p1/",
    "/api/v1/works/october-1917/",
    "/api/v1/works/october-1917/versions/",
    "/api/v1/works/october-1917/versions/1/",
    "/api/v1/works/october-1917/paragraphs/p1/",
    "/api/v1/works/october-1917/compare/1/1/",
]


@pytest.fixture
def staff():
    return get_user_model().objects.create_user("editor", password="pw-1917", is_staff=True)


@pytest.fixture
def reader():
    return get_user_model().objects.create_user("reader", password="pw-1917")


@pytest.fixture
def withdrawn() -> Work:
    """A work published once, whose editor has since cleared its current version."""
    work = build_work()
    build_version(work, [para("Once published.")])
    work.current_version = None
    work.save()
    return work


@pytest.fixture
def draft_only() -> Work:
    work = build_work(slug="in-draft", title="Still in draft")
    build_version(work, [para("Not yet.")], publish=False)
    return work


def test_it_shows_a_work_with_a_published_current_version_everywhere(client):
    work = build_work()
    build_version(work, [para("Published words.")])

    assert "October 1917 Revolution" in client.get("/").content.decode()
    assert [w["slug"] for w in client.get("/api/v1/works/").json()] == ["october-1917"]
    for url in READER_URLS:
        assert client.get(url).status_code == 200, url


def test_it_hides_a_withdrawn_work_on_every_page_and_endpoint(client, withdrawn):
    assert "October 1917 Revolution" not in client.get("/").content.decode()
    assert client.get("/api/v1/works/").json() == []
    for url in READER_URLS:
        assert client.get(url).status_code == 404, url


def test_it_hides_the_discussion_of_a_withdrawn_work(client, withdrawn):
    response = client.get("/works/october-1917/p/p1/discussion/", headers=HTMX)

    assert response.status_code == 404


def test_it_refuses_a_comment_on_a_withdrawn_work_as_on_one_that_does_not_exist(
    client, reader, withdrawn
):
    client.force_login(reader)

    response = client.post(
        "/api/v1/comments/",
        {"work": "october-1917", "paragraph": "p1", "body": "Still there?"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"work": ["No such work."]}


def test_it_shows_a_withdrawn_work_to_staff_in_the_api(client, staff, withdrawn):
    client.force_login(staff)

    assert [w["slug"] for w in client.get("/api/v1/works/").json()] == ["october-1917"]
    assert client.get("/api/v1/works/october-1917/versions/1/").status_code == 200


# The rule as QuerySet methods -------------------------------------------------------------


def test_readers_read_works_with_a_published_current_version_only(reader, withdrawn, draft_only):
    published = build_work(slug="published", title="Published")
    build_version(published, [para("Out.")])

    for user in (AnonymousUser(), reader):
        assert list(Work.objects.readable_by(user)) == [published]
    assert list(Work.objects.published()) == [published]


def test_staff_read_every_work(staff, withdrawn, draft_only):
    assert set(Work.objects.readable_by(staff)) == {withdrawn, draft_only}


def test_readers_read_published_versions_of_readable_works_only(reader):
    work = build_work()
    first = build_version(work, [para("One.")])
    build_version(work, [para("Draft.")], publish=False)
    build_version(build_work(slug="in-draft"), [para("Not yet.")], publish=False)

    assert list(Version.objects.readable_by(reader)) == [first]
    assert Version.objects.readable_by(get_user_model()(is_staff=True)).count() == 3


def test_readers_read_paragraphs_of_published_versions_only(reader):
    work = build_work()
    build_version(work, [para("One.")])
    build_version(work, [para("One.", key="p1"), para("Only in the draft.")], publish=False)

    assert [p.key for p in Paragraph.objects.readable_by(reader)] == ["p1"]
    assert [p.key for p in Paragraph.objects.readable_by(AnonymousUser())] == ["p1"]
    staff = get_user_model()(is_staff=True)
    assert [p.key for p in Paragraph.objects.readable_by(staff)] == ["p1", "p2"]


def test_a_withdrawn_works_paragraphs_are_not_readable(reader, withdrawn):
    assert not Paragraph.objects.readable_by(reader).exists()
    assert not Paragraph.objects.published().exists()
    assert not Version.objects.readable_by(reader).exists()


def test_a_reader_and_staff_see_the_same_404_for_a_missing_work(client, staff):
    anonymous = client.get("/api/v1/works/nowhere/")
    client.force_login(staff)

    assert anonymous.status_code == client.get("/api/v1/works/nowhere/").status_code == 404


def test_staff_read_a_draft_version_but_readers_do_not(staff, reader, draft_only):
    staff_client, reader_client = Client(), Client()
    staff_client.force_login(staff)
    reader_client.force_login(reader)

    assert staff_client.get("/works/in-draft/v/1/").status_code == 200
    assert reader_client.get("/works/in-draft/v/1/").status_code == 404
