"""The group canary on the annotations' surfaces: the group's container and annotations,
the work's public container, the TEI and Markdown exports, citations, and an import's
report. Outsiders (anonymous, a signed-in non-member, a site moderator outside the group)
get exactly what they get for a group that does not exist, and never the canary's words."""

import re

import pytest
from rest_framework.test import APIClient

from commentary.annotations.models import AnnotationImport
from commentary.services import comment_create
from tests.commentary.builders import client_for, make_user
from tests.commentary.group_people import CANARY, group_post, join, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db
REPLY = "A reply that stays in the seminar."
CSRF = re.compile(rb'(name="csrfmiddlewaretoken"|csrf[-_]token[^>]*?) (value|content)="[^"]*"')


def api_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def surfaces(user, group_slug: str, comment_id: int, import_id: int) -> dict:
    """What ``user`` gets from each surface: (status, body)."""
    api, pages = api_for(user), client_for(user)
    answers = {
        "group container": api.get(f"/api/v1/groups/{group_slug}/annotations/"),
        "group container, minimal": api.get(
            f"/api/v1/groups/{group_slug}/annotations/",
            headers={
                "Prefer": 'return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer"'
            },
        ),
        "group page": api.get(f"/api/v1/groups/{group_slug}/annotations/?iris=1&page=0"),
        "group annotation": api.get(f"/api/v1/groups/{group_slug}/annotations/{comment_id}/"),
        "group annotation options": api.options(
            f"/api/v1/groups/{group_slug}/annotations/{comment_id}/"
        ),
        "public annotation of it": api.get(f"/api/v1/works/october-1917/annotations/{comment_id}/"),
        "import report (API)": api.get(f"/api/v1/imports/{import_id}/"),
        "tei in the group": pages.get(f"/works/october-1917/export/tei/?group={group_slug}"),
        "markdown in the group": pages.get(
            f"/works/october-1917/export/markdown/?group={group_slug}"
        ),
        "citation": pages.get(f"/comments/{comment_id}/cite/csl/"),
        "import report page": pages.get(f"/imports/{import_id}/"),
    }
    # A page may name the address it was asked for (a sign-in link); only that may differ.
    return {
        name: (
            r.status_code,
            CSRF.sub(b"", r.content)
            .replace(group_slug.encode(), b"G")
            .replace(f"/{comment_id}/".encode(), b"/N/")
            .replace(f"/{import_id}/".encode(), b"/I/"),
        )
        for name, r in answers.items()
    }


def public_surfaces(user) -> dict:
    api, pages = api_for(user), client_for(user)
    answers = {
        "public container": api.get("/api/v1/works/october-1917/annotations/"),
        "public tei": pages.get("/works/october-1917/export/tei/"),
        "public markdown": pages.get("/works/october-1917/export/markdown/"),
    }
    return {name: (r.status_code, r.content) for name, r in answers.items()}


def test_outsiders_see_the_annotations_surfaces_as_if_the_group_did_not_exist(work):
    group, olga, gus = make_seminar(work)
    una = make_user("una")
    join(group, una)
    canary = group_post(gus, work, group)
    comment_create(author=una, parent=canary, body=REPLY)
    run = AnnotationImport.objects.create(
        work=work,
        group=group,
        imported_by=olga,
        report={
            "imported": [],
            "fuzzy": [],
            "orphaned": [{"source": "h:1", "quote": CANARY}],
            "skipped": [],
        },
    )
    outsiders = {
        "anonymous": None,
        "non-member": make_user("nina"),
        "site moderator": make_moderator(),
    }
    for name, user in outsiders.items():
        seen = surfaces(user, group.slug, canary.pk, run.pk)
        nothing = surfaces(user, "no-such-group", 10**9, 10**9)
        for surface, (status, body) in seen.items():
            assert status in (401, 403, 404, 302), (name, surface, status)
            assert CANARY.encode() not in body and REPLY.encode() not in body, (name, surface)
            assert (status, body) == nothing[surface], (name, surface)
        for surface, (_status, body) in public_surfaces(user).items():
            assert CANARY.encode() not in body, (name, surface)
    member = surfaces(gus, group.slug, canary.pk, run.pk)
    for surface in (
        "group container",
        "group annotation",
        "tei in the group",
        "markdown in the group",
        "citation",
    ):
        assert member[surface][0] == 200, surface
        assert CANARY.encode() in member[surface][1], surface
    assert member["import report (API)"][0] == 404  # a plain member leads nothing
    owner = surfaces(olga, group.slug, canary.pk, run.pk)
    assert owner["import report (API)"][0] == owner["import report page"][0] == 200
    assert CANARY.encode() in owner["import report page"][1]
