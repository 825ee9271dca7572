"""The import page and the report page: staff, and a group's owner into the group;
everybody else gets 404."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commentary.annotations.models import AnnotationImport
from commentary.models import Comment
from tests.commentary.builders import client_for, make_user
from tests.commentary.group_people import make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db
EXPORT = Path(__file__).with_name("hypothesis_export.json").read_bytes()


def upload(name: str = "export.json", content: bytes = EXPORT) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/json")


def make_staff():
    user = make_user("stella", "Stella")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_staff_import_and_are_taken_to_the_report(work):
    client = client_for(make_staff())
    page = client.get(f"/works/{work.slug}/import/")
    assert page.status_code == 200 and "The public discussion" in page.content.decode()
    response = client.post(f"/works/{work.slug}/import/", {"export": upload(), "into": "public"})
    run = AnnotationImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{run.pk}/"
    report = client.get(response["Location"]).content.decode()
    assert "a page note" in report and "an empty highlight" in report
    assert "a sentence that no version of the text contains" in report
    # This chapter has no astral paragraph: that quote is an orphan here.
    assert "opens the gloss" in report
    assert Comment.objects.filter(group__isnull=True).count() == 6


def test_a_file_that_is_not_json_is_refused(work):
    response = client_for(make_staff()).post(
        f"/works/{work.slug}/import/", {"export": upload(content=b"<html>"), "into": "public"}
    )
    assert response.status_code == 400
    assert "The file is not JSON." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_groups_owner_imports_into_the_group_only(work):
    group, olga, gus = make_seminar(work)
    client = client_for(olga)
    page = client.get(f"/works/{work.slug}/import/").content.decode()
    assert "Tuesday seminar" in page and "The public discussion" not in page
    refused = client.post(f"/works/{work.slug}/import/", {"export": upload(), "into": "public"})
    assert refused.status_code == 400 and not Comment.objects.exists()
    done = client.post(f"/works/{work.slug}/import/", {"export": upload(), "into": group.slug})
    assert done.status_code == 302
    assert set(Comment.objects.values_list("group", flat=True)) == {group.pk}
    assert client.get(done["Location"]).status_code == 200
    for outsider in (gus, make_user("nina"), make_moderator(), make_staff()):
        assert client_for(outsider).get(done["Location"]).status_code == 404, outsider
        assert client_for(outsider).get(f"/works/{work.slug}/import/").status_code in (
            200 if outsider.is_staff else 404,
        )


def test_readers_who_may_import_nowhere_get_404(work):
    assert client_for(make_user("nina")).get(f"/works/{work.slug}/import/").status_code == 404
    assert client_for().get(f"/works/{work.slug}/import/").status_code == 302  # sign in
