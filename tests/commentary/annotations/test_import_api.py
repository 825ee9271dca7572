"""``POST /api/v1/works/<slug>/imports/`` and the report at ``/api/v1/imports/<id>/``:
staff into the public discussion, a group's owner into the group; the report reaches the
same people, and everybody else gets 404."""

import json
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from commentary.models import Comment
from tests.commentary.builders import make_user
from tests.commentary.group_people import join, make_seminar
from tests.commentary.moderation_people import make_moderator
from tests.edition.builders import build_version, build_work, chapter_specs

pytestmark = pytest.mark.django_db
EXPORT = json.loads(Path(__file__).with_name("hypothesis_export.json").read_text())


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def staff():
    user = make_user("stella")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_staff_import_into_the_public_discussion(work):
    response = api(staff()).post(
        f"/api/v1/works/{work.slug}/imports/", {"export": EXPORT}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["counts"]["imported"] >= 5
    assert response.json()["group"] is None
    report = api(Comment.objects.first().author).get(response.json()["url"])
    assert report.status_code == 200 and report.json()["report"] == response.json()["report"]


def test_a_member_who_is_not_staff_cannot_import_publicly(work, alice):
    response = api(alice).post(
        f"/api/v1/works/{work.slug}/imports/", {"export": EXPORT}, format="json"
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_a_bad_export_is_refused_with_400(work):
    response = api(staff()).post(
        f"/api/v1/works/{work.slug}/imports/", {"export": {"rows": "nope"}}, format="json"
    )
    assert response.status_code == 400


def test_a_groups_owner_imports_into_the_group_and_only_its_leaders_read_the_report(work):
    group, olga, gus = make_seminar(work)
    response = api(olga).post(
        f"/api/v1/works/{work.slug}/imports/",
        {"export": EXPORT, "group": group.slug},
        format="json",
    )
    assert response.status_code == 201
    assert set(Comment.objects.values_list("group", flat=True)) == {group.pk}
    url = response.json()["url"]
    assert api(olga).get(url).status_code == 200
    for outsider in (gus, make_user("nina"), make_moderator(), staff()):
        assert api(outsider).get(url).status_code == 404, outsider
    assert api().get(url).status_code in (401, 403)
    # A plain member may not import into the group: the 404 of a group that is not there.
    join(group, make_user("una"))
    refused = api(gus).post(
        f"/api/v1/works/{work.slug}/imports/",
        {"export": EXPORT, "group": group.slug},
        format="json",
    )
    assert refused.status_code == 404


def test_a_group_that_does_not_read_the_work_takes_no_import(work):
    other = build_work(slug="another-work")
    build_version(other, chapter_specs())
    group, olga, _gus = make_seminar(work)
    response = api(olga).post(
        f"/api/v1/works/{other.slug}/imports/",
        {"export": EXPORT, "group": group.slug},
        format="json",
    )
    assert response.status_code == 400
    assert not Comment.objects.exists()
