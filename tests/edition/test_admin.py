"""The admin shows a published version read-only and lets a draft be edited."""

import pytest
from django.contrib.auth import get_user_model

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
