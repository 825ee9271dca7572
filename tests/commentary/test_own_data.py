"""A member downloads all their data, as JSON and Markdown, from the settings page and the
API; a large account's is written in the background. Nobody else's is in it, and nobody
else can fetch it."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from commentary.accounts.models import MemberExport
from commentary.accounts.tokens import token_create
from commentary.groups.invitations import group_join
from commentary.groups.services import group_create
from commentary.moderation.decisions import flag_create
from commentary.moderation.models import Flag
from commentary.services import comment_edit
from tests.commentary.builders import client_for, make_user, make_work, post

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def work():
    return make_work()


@pytest.fixture
def alice(work):
    alice = make_user("alice", "Alice Liddell")
    EmailAddress.objects.create(user=alice, email="alice@example.org", primary=True, verified=True)
    return alice


@pytest.fixture
def alices_life(alice, work):
    """Alice wrote, edited, flagged, joined a group and made a token; bob wrote too."""
    bob = make_user("bob")
    first = post(alice, work, "p3", "Alice's first remark.")
    comment_edit(comment=first, editor=alice, body="Alice's remark, reworded.")
    bobs = post(bob, work, "p4", "Bob's own words.")
    flag_create(comment=bobs, user=alice, reason=Flag.Reason.OTHER, note="Needs a source.")
    group = group_create(owner=bob, name="Tuesday seminar", works=[work.slug])
    group_join(user=alice, code=group.invite_code)
    token_create(user=alice, name="my script")
    return {"first": first, "bobs": bobs, "group": group}


def test_the_settings_page_prepares_a_download_with_everything_of_the_member(alice, alices_life):
    client = client_for(alice)

    response = client.post("/settings/data/")
    assert response.status_code == 302
    export = MemberExport.objects.get(user=alice)
    assert export.is_ready
    page = client.get("/settings/data/")
    assert page.status_code == 200
    assert f"/settings/data/{export.pk}/scholia-data.json" in page.content.decode()

    downloaded = client.get(f"/settings/data/{export.pk}/scholia-data.json")
    assert downloaded["Content-Disposition"] == (
        f'attachment; filename="scholia-data-{export.pk}.json"'
    )
    data = json.loads(downloaded.content)
    assert data["profile"]["username"] == "alice"
    assert data["profile"]["display_name"] == "Alice Liddell"
    assert data["profile"]["email_addresses"] == [
        {"email": "alice@example.org", "primary": True, "verified": True}
    ]
    (comment,) = data["comments"]
    assert comment["body"] == "Alice's remark, reworded."
    assert [w["body"] for w in comment["earlier_wordings"]] == ["Alice's first remark."]
    assert data["flags"][0]["note"] == "Needs a source."
    assert data["groups"] == [
        {
            "slug": alices_life["group"].slug,
            "name": "Tuesday seminar",
            "role": "member",
            "joined": data["groups"][0]["joined"],
        }
    ]
    assert data["api_tokens"][0]["name"] == "my script"
    # Nobody else's words: bob's comment is named by its id, in her flag, and no more.
    assert "Bob's own words." not in downloaded.content.decode()

    markdown = client.get(f"/settings/data/{export.pk}/scholia-data.md").content.decode()
    assert markdown.startswith("# Your data on Scholia: Alice Liddell")
    assert "Alice's remark, reworded." in markdown
    assert "> Alice's first remark." in markdown
    assert "Tuesday seminar" in markdown


def test_another_members_download_is_not_found(alice, alices_life):
    client_for(alice).post("/settings/data/")
    export = MemberExport.objects.get(user=alice)
    bob = make_user("mallory")

    assert client_for(bob).get(f"/settings/data/{export.pk}/scholia-data.json").status_code == 404
    api = APIClient()
    api.force_authenticate(bob)
    assert api.get(f"/api/v1/account/exports/{export.pk}/").status_code == 404
    assert api.get(f"/api/v1/account/exports/{export.pk}/json/").status_code == 404


def test_the_pages_ask_to_sign_in_and_the_api_answers_401(client):
    assert client.get("/settings/data/").status_code == 302
    assert APIClient().post("/api/v1/account/exports/").status_code == 401


def test_the_api_exports_at_once_for_a_small_account(alice, alices_life):
    api = APIClient()
    api.force_authenticate(alice)

    created = api.post("/api/v1/account/exports/")

    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "ready"
    assert body["comment_count"] == 1
    assert created["Location"] == body["url"]
    data = api.get(body["json_url"])
    assert data["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(data.content)["profile"]["username"] == "alice"
    markdown = api.get(body["markdown_url"])
    assert markdown["Content-Type"] == "text/markdown; charset=utf-8"
    assert [e["id"] for e in api.get("/api/v1/account/exports/").json()] == [body["id"]]


@pytest.mark.django_db(transaction=True)
@override_settings(SCHOLIA_EXPORT_INLINE_COMMENTS=2, TASKS=DATABASE_TASKS)
def test_a_large_accounts_export_is_written_by_the_worker(work):
    alice = make_user("alice")
    for n in range(3):
        post(alice, work, "p3", f"Remark {n}.")
    api = APIClient()
    api.force_authenticate(alice)

    accepted = api.post("/api/v1/account/exports/")

    assert accepted.status_code == 202
    assert accepted.json()["status"] == "pending"
    assert accepted.json()["json_url"] is None
    assert api.get(f"/api/v1/account/exports/{accepted.json()['id']}/json/").status_code == 400
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path == "commentary.accounts.export.member_export_build"
    assert queued.args_kwargs["kwargs"]["request_id"] == accepted["X-Request-ID"]

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    ready = api.get(accepted.json()["url"]).json()
    assert ready["status"] == "ready"
    assert ready["comment_count"] == 3
    data = json.loads(api.get(ready["json_url"]).content)
    assert [c["body"] for c in data["comments"]] == ["Remark 0.", "Remark 1.", "Remark 2."]
