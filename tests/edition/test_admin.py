"""The admin shows a published version read-only and lets a draft be edited."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.edition.builders import build_version, build_work, para

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw-1917")
    client.force_login(user)
    return client


def test_it_shows_a_published_version_read_only(admin_client):
    work = build_work()
    version = build_version(work, [para("One."), para("Two.")])
    page = admin_client.get(f"/admin/edition/version/{version.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_save"' not in html
    assert 'name="entries-0-position"' not in html
    posted = admin_client.post(
        f"/admin/edition/version/{version.pk}/change/", {"note": "sneaky", "work": work.pk}
    )
    assert posted.status_code == 403
    version.refresh_from_db()
    assert version.note == ""


def test_it_refuses_to_delete_a_published_version(admin_client):
    version = build_version(build_work(), [para("One.")])
    response = admin_client.post(f"/admin/edition/version/{version.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert type(version).objects.filter(pk=version.pk).exists()


def test_it_lets_an_editor_change_a_draft(admin_client):
    version = build_version(build_work(), [para("One.")], publish=False)
    page = admin_client.get(f"/admin/edition/version/{version.pk}/change/")
    assert 'name="_save"' in page.content.decode()


def work_form(work, current_version) -> dict:
    """The work's change form as the admin posts it, with ``current_version`` chosen."""
    return {
        "slug": work.slug,
        "title": work.title,
        "subtitle": work.subtitle,
        "author": work.author,
        "publisher": work.publisher,
        "year": work.year or "",
        "language": work.language,
        "description": work.description,
        "moderation_policy": work.moderation_policy,
        "current_version": current_version.pk if current_version else "",
    }


def test_it_refuses_a_draft_as_a_works_current_version(admin_client):
    reader = Client()
    work = build_work()
    published = build_version(work, [para("The published wording.")])
    draft = build_version(work, [para("The draft wording.")], publish=False)

    response = admin_client.post(f"/admin/edition/work/{work.pk}/change/", work_form(work, draft))

    assert response.status_code == 200
    assert "Only a published version can be the current one." in response.content.decode()
    work.refresh_from_db()
    assert work.current_version == published
    assert "The published wording." in reader.get("/works/october-1917/").content.decode()
    assert "October 1917 Revolution" in reader.get("/").content.decode()


def test_it_refuses_a_version_of_another_work_as_the_current_version(admin_client):
    work = build_work()
    build_version(work, [para("One.")])
    other = build_version(build_work(slug="other", title="Another work"), [para("Elsewhere.")])

    response = admin_client.post(f"/admin/edition/work/{work.pk}/change/", work_form(work, other))

    assert response.status_code == 200
    assert "The current version must be a version of this work." in response.content.decode()
    work.refresh_from_db()
    assert work.current_version.work == work
