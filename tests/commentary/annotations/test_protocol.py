"""The W3C Web Annotation Protocol (https://www.w3.org/TR/annotation-protocol/), one test
per MUST of sections 4 to 7, against a live server. Every annotation a test fetches goes
through the model's checks (the W3C suite's schemas and the hand checks)."""

import re

import pytest
import requests

from commentary.accounts.tokens import token_create
from commentary.models import Comment
from commentary.services import comment_create
from edition.models import VersionParagraph
from tests.commentary.annotations.w3c import (
    collection_failures,
    hand_failures,
    page_failures,
    require_suite,
    schema_failures,
)
from tests.commentary.builders import make_user, make_work, post
from tests.commentary.group_people import CANARY, group_post, make_seminar
from tests.commentary.moderation_people import make_moderator

pytestmark = pytest.mark.django_db(transaction=True)

ANNO = "http://www.w3.org/ns/anno.jsonld"
PROFILED = f'application/ld+json; profile="{ANNO}"'
LDP = "http://www.w3.org/ns/ldp#"
OA = "http://www.w3.org/ns/oa#"


def wording(source: str, state: dict) -> str:
    key = source.rstrip("/").rsplit("/", 1)[-1]
    number = int(re.search(r"/v/(\d+)/", state["cached"]).group(1))
    return VersionParagraph.objects.get(
        version__number=number, version__work__slug="october-1917", paragraph__key=key
    ).revision.text


def checked(annotation: dict, parent: str | None = None) -> dict:
    """``annotation``, once it passed the model's checks."""
    failures = schema_failures(annotation) + hand_failures(
        annotation, text_of=wording, parent_iri=parent
    )
    assert failures == [], failures
    return annotation


@pytest.fixture(autouse=True)
def _suite():
    require_suite()


@pytest.fixture
def site(live_server, settings):
    settings.SCHOLIA_ANNOTATION_PAGE_SIZE = 2
    work = make_work()
    alice = make_user("alice", "Alice")
    root = post(alice, work, body="On denigration.", quote={"exact": "denigrate"})
    reply = comment_create(author=make_user("bob"), parent=root, body="A reply.")
    post(alice, work, "p4", body="On nostalgia.")
    _token, key = token_create(user=alice, name="annotations", scopes=["read", "write"])
    container = f"{live_server.url}/api/v1/works/october-1917/annotations/"
    return {
        "work": work,
        "alice": alice,
        "key": key,
        "root": root,
        "reply": reply,
        "container": container,
        "root_iri": f"{container}{root.pk}/",
        "reply_iri": f"{container}{reply.pk}/",
        "paragraph": f"{live_server.url}/works/october-1917/p/p3/",
    }


def bearer(key: str, **headers) -> dict:
    return {"Authorization": f"Bearer {key}", **headers}


def new_annotation(site, **changes) -> dict:
    annotation = {
        "@context": ANNO,
        "type": "Annotation",
        "body": {
            "type": "TextualBody",
            "value": "Posted through the protocol.",
            "format": "text/markdown",
        },
        "target": {
            "source": site["paragraph"],
            "selector": {"type": "TextQuoteSelector", "exact": "socialist project"},
        },
    }
    annotation.update(changes)
    return annotation


def post_annotation(site, annotation: dict, **headers) -> requests.Response:
    return requests.post(
        site["container"],
        json=annotation,
        headers=bearer(site["key"], **{"Content-Type": PROFILED, **headers}),
        timeout=30,
    )


# 4. Annotation retrieval ----------------------------------------------------------------


def test_an_annotation_answers_get_head_and_options(site):
    got = requests.get(site["root_iri"], timeout=30)
    head = requests.head(site["root_iri"], timeout=30)
    options = requests.options(site["root_iri"], timeout=30)
    assert (got.status_code, head.status_code, options.status_code) == (200, 200, 200)
    assert head.content == b""
    # Compressed on the way, the GET's tag is marked weak (Django's GZipMiddleware).
    assert head.headers["ETag"] == got.headers["ETag"].removeprefix("W/")
    checked(got.json())


def test_an_annotation_is_json_ld_without_an_accept_header(site):
    response = requests.get(site["root_iri"], headers={"Accept": None}, timeout=30)
    assert response.headers["Content-Type"] == PROFILED
    assert checked(response.json())["@context"] == ANNO


def test_an_annotation_is_json_ld_with_the_profile_when_asked(site):
    response = requests.get(site["root_iri"], headers={"Accept": PROFILED}, timeout=30)
    assert response.headers["Content-Type"] == PROFILED
    checked(response.json())


def test_an_annotation_links_its_ldp_resource_type(site):
    response = requests.get(site["root_iri"], timeout=30)
    assert f'<{LDP}Resource>; rel="type"' in response.headers["Link"]


def test_an_annotation_has_an_etag(site):
    response = requests.get(site["root_iri"], timeout=30)
    assert re.fullmatch(r'(W/)?"[0-9a-f]{64}"', response.headers["ETag"])


def test_an_annotation_lists_its_methods_in_allow(site):
    for response in (
        requests.get(site["root_iri"], timeout=30),
        requests.options(site["root_iri"], timeout=30),
    ):
        assert {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"} <= set(
            response.headers["Allow"].replace(" ", "").split(",")
        )


def test_an_annotation_varies_with_accept(site):
    response = requests.get(site["root_iri"], timeout=30)
    assert "Accept" in [part.strip() for part in response.headers["Vary"].split(",")]


def test_a_reply_targets_its_parents_iri(site):
    reply = requests.get(site["reply_iri"], timeout=30).json()
    assert reply["motivation"] == "replying"
    checked(reply, parent=site["root_iri"])


# 5. Containers ------------------------------------------------------------------------


def test_a_container_answers_get_head_and_options(site):
    got = requests.get(site["container"], timeout=30)
    head = requests.head(site["container"], timeout=30)
    options = requests.options(site["container"], timeout=30)
    assert (got.status_code, head.status_code, options.status_code) == (200, 200, 200)
    assert head.content == b""


def test_a_container_is_json_ld_with_or_without_accept(site):
    for accept in (None, PROFILED, "application/ld+json", "*/*"):
        response = requests.get(site["container"], headers={"Accept": accept}, timeout=30)
        assert response.headers["Content-Type"] == PROFILED, accept


def test_a_container_links_the_basic_container_type(site):
    response = requests.get(site["container"], timeout=30)
    assert f'<{LDP}BasicContainer>; rel="type"' in response.headers["Link"]


def test_a_container_links_what_constrains_it(site):
    response = requests.get(site["container"], timeout=30)
    assert f'rel="{LDP}constrainedBy"' in response.headers["Link"]


def test_a_container_has_an_etag_that_changes_with_its_content(site):
    before = requests.get(site["container"], timeout=30).headers["ETag"]
    assert post_annotation(site, new_annotation(site)).status_code == 201
    assert requests.get(site["container"], timeout=30).headers["ETag"] != before


def test_a_container_lists_its_methods_in_allow(site):
    for response in (
        requests.get(site["container"], timeout=30),
        requests.options(site["container"], timeout=30),
    ):
        assert {"GET", "HEAD", "OPTIONS", "POST"} <= set(
            response.headers["Allow"].replace(" ", "").split(",")
        )


def test_a_container_varies_with_accept_and_prefer(site):
    vary = requests.get(site["container"], timeout=30).headers["Vary"]
    assert {"Accept", "Prefer"} <= {part.strip() for part in vary.split(",")}


def test_a_container_says_what_it_accepts_in_a_post(site):
    for response in (
        requests.get(site["container"], timeout=30),
        requests.head(site["container"], timeout=30),
        requests.options(site["container"], timeout=30),
    ):
        assert response.headers["Accept-Post"] == PROFILED


def test_a_container_names_the_representation_it_sent_in_content_location(site):
    response = requests.get(site["container"], timeout=30)
    assert response.headers["Content-Location"] == response.json()["id"]
    assert response.json()["id"].startswith(site["container"])


def test_a_container_is_an_annotation_collection_with_total_first_and_last(site):
    collection = requests.get(site["container"], timeout=30).json()
    assert set(collection["type"]) == {"BasicContainer", "AnnotationCollection"}
    assert collection["total"] == 3
    assert collection_failures(collection) == []
    assert requests.get(collection["last"], timeout=30).json()["id"] == collection["last"]


def test_prefer_minimal_container_embeds_no_annotations(site):
    prefer = f'return=representation;include="{LDP}PreferMinimalContainer"'
    collection = requests.get(site["container"], headers={"Prefer": prefer}, timeout=30).json()
    assert isinstance(collection["first"], str)
    assert isinstance(collection["last"], str)
    assert collection_failures(collection) == []


def test_prefer_contained_iris_lists_annotations_by_iri(site):
    prefer = f'return=representation;include="{OA}PreferContainedIRIs"'
    response = requests.get(site["container"], headers={"Prefer": prefer}, timeout=30)
    collection = response.json()
    assert collection["first"]["items"] == [site["root_iri"], site["reply_iri"]]
    assert response.headers["Content-Location"] == collection["id"]
    assert collection["id"].endswith("?iris=1")
    assert collection_failures(collection) == []
    page = requests.get(collection["first"]["id"], timeout=30).json()
    assert page["items"] == collection["first"]["items"]
    assert page_failures(page) == []


def test_prefer_contained_descriptions_embeds_annotations(site):
    prefer = f'return=representation;include="{OA}PreferContainedDescriptions"'
    collection = requests.get(site["container"], headers={"Prefer": prefer}, timeout=30).json()
    first, second = ({"@context": ANNO, **item} for item in collection["first"]["items"])
    checked(first)
    checked(second, parent=first["id"])


def test_pages_are_part_of_the_collection_and_lead_to_the_next(site):
    collection = requests.get(site["container"], timeout=30).json()
    url, seen = collection["first"]["id"], []
    while url:
        page = requests.get(url, timeout=30)
        data = page.json()
        assert page.headers["Content-Type"] == PROFILED
        assert data["type"] == "AnnotationPage"
        assert data["partOf"]["id"] == collection["id"]
        assert data["startIndex"] == len(seen)
        assert page_failures(data) == []
        for annotation in data["items"]:
            parent = site["root_iri"] if annotation["motivation"] == "replying" else None
            seen.append(checked({"@context": ANNO, **annotation}, parent=parent)["id"])
        url = data.get("next")
    assert len(seen) == collection["total"] == 3
    assert data["id"] == collection["last"]


def test_a_page_that_is_not_a_number_is_refused(site):
    response = requests.get(f"{site['container']}?page=soon", timeout=30)
    assert response.status_code == 400


def test_an_unknown_query_parameter_is_refused(site):
    response = requests.get(f"{site['container']}?sort=newest", timeout=30)
    assert response.status_code == 400
    assert "sort" in response.json()["errors"]


# 5. Group containers: members only ----------------------------------------------------


def test_a_groups_container_answers_its_members_only(site, live_server):
    group, olga, gus = make_seminar(site["work"])
    canary = group_post(gus, site["work"], group)
    container = f"{live_server.url}/api/v1/groups/{group.slug}/annotations/"
    missing = f"{live_server.url}/api/v1/groups/no-such-group/annotations/"
    outsiders = {
        "anonymous": None,
        "non-member": make_user("nina"),
        "site moderator": make_moderator(),
    }
    for name, user in outsiders.items():
        headers = (
            {}
            if user is None
            else bearer(token_create(user=user, name="t", scopes=["read", "write"])[1])
        )
        for url in (container, f"{container}{canary.pk}/", f"{container}?iris=0&page=0"):
            for method in ("GET", "HEAD", "OPTIONS") if "?" not in url else ("GET", "HEAD"):
                answer = requests.request(method, url, headers=headers, timeout=30)
                assert answer.status_code == 404, (name, method, url)
                assert CANARY not in answer.text
        nothing = requests.get(missing, headers=headers, timeout=30)
        assert nothing.json() == requests.get(container, headers=headers, timeout=30).json()
    headers = bearer(token_create(user=gus, name="t", scopes=["read", "write"])[1])
    collection = requests.get(container, headers=headers, timeout=30).json()
    assert [item["body"]["value"] for item in collection["first"]["items"]] == [CANARY]
    assert collection["first"]["items"][0]["id"] == f"{container}{canary.pk}/"
    public = requests.get(site["container"], headers=headers, timeout=30).text
    assert CANARY not in public


# 6. Creating, updating and deleting ----------------------------------------------------


def test_post_creates_with_201_location_and_the_servers_id(site):
    sent = new_annotation(
        site,
        id="urn:uuid:0d3c1c8e-9f2a-4b1d-8f6e-1a2b3c4d5e6f",
        canonical="urn:uuid:7a7a7a7a-1111-4222-8333-444455556666",
    )
    response = post_annotation(site, sent)
    assert response.status_code == 201
    created = checked(response.json())
    assert response.headers["Location"] == created["id"]
    assert created["id"].startswith(site["container"])
    assert created["canonical"] == sent["canonical"]
    assert created["via"] == sent["id"]
    assert response.headers["Content-Type"] == PROFILED
    assert f'<{LDP}Resource>; rel="type"' in response.headers["Link"]
    assert "ETag" in response.headers
    assert requests.get(created["id"], timeout=30).json() == created


def test_post_keeps_the_quote_in_code_points(site):
    created = post_annotation(site, new_annotation(site)).json()
    quote, position = created["target"]["selector"]
    assert quote["exact"] == "socialist project"
    checked(created)
    assert position["end"] - position["start"] == len("socialist project")


def test_post_of_a_reply_targets_the_parent(site):
    reply = new_annotation(site, target=site["root_iri"], motivation="replying")
    response = post_annotation(site, reply)
    assert response.status_code == 201
    checked(response.json(), parent=site["root_iri"])
    created = Comment.objects.get(pk=int(response.json()["id"].rstrip("/").rsplit("/", 1)[1]))
    assert created.parent_id == site["root"].pk


def test_post_needs_a_token(site):
    response = requests.post(
        site["container"],
        json=new_annotation(site),
        headers={"Content-Type": PROFILED},
        timeout=30,
    )
    assert response.status_code == 401


def test_post_of_something_that_is_no_annotation_is_refused(site):
    response = post_annotation(site, {"@context": ANNO, "type": "Note", "body": "Hello"})
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("application/json")


def test_post_of_a_paragraph_of_another_site_is_refused(site):
    annotation = new_annotation(site, target={"source": "https://elsewhere.example/p/1"})
    assert post_annotation(site, annotation).status_code == 400


def test_post_in_a_media_type_the_container_does_not_take_is_refused(site):
    response = requests.post(
        site["container"],
        data="A comment.",
        headers=bearer(site["key"], **{"Content-Type": "text/plain"}),
        timeout=30,
    )
    assert response.status_code == 415


def test_put_replaces_the_body_and_answers_200(site):
    current = requests.get(site["root_iri"], timeout=30)
    changed = {
        **current.json(),
        "body": {"type": "TextualBody", "value": "Rewritten.", "format": "text/markdown"},
    }
    response = requests.put(
        site["root_iri"],
        json=changed,
        headers=bearer(
            site["key"], **{"Content-Type": PROFILED, "If-Match": current.headers["ETag"]}
        ),
        timeout=30,
    )
    assert response.status_code == 200
    assert checked(response.json())["body"]["value"] == "Rewritten."
    assert response.headers["ETag"] != current.headers["ETag"]


def test_put_with_a_stale_etag_answers_412(site):
    current = requests.get(site["root_iri"], timeout=30)
    headers = bearer(site["key"], **{"Content-Type": PROFILED, "If-Match": current.headers["ETag"]})
    first = {**current.json(), "body": {"type": "TextualBody", "value": "First edit."}}
    assert requests.put(site["root_iri"], json=first, headers=headers, timeout=30).ok
    second = {**current.json(), "body": {"type": "TextualBody", "value": "Lost update."}}
    response = requests.put(site["root_iri"], json=second, headers=headers, timeout=30)
    assert response.status_code == 412
    assert requests.get(site["root_iri"], timeout=30).json()["body"]["value"] == "First edit."


def test_put_cannot_move_the_target(site):
    current = requests.get(site["root_iri"], timeout=30).json()
    moved = {**current, "target": {"source": site["paragraph"].replace("/p3/", "/p4/")}}
    response = requests.put(
        site["root_iri"],
        json=moved,
        headers=bearer(site["key"], **{"Content-Type": PROFILED}),
        timeout=30,
    )
    assert response.status_code == 400


def test_put_by_somebody_else_answers_404(site):
    _token, key = token_create(user=make_user("mallory"), name="t", scopes=["read", "write"])
    current = requests.get(site["root_iri"], timeout=30).json()
    response = requests.put(
        site["root_iri"],
        json=current,
        headers=bearer(key, **{"Content-Type": PROFILED}),
        timeout=30,
    )
    assert response.status_code == 404


def test_delete_answers_204_and_the_annotation_is_gone(site):
    response = requests.delete(site["reply_iri"], headers=bearer(site["key"]), timeout=30)
    assert response.status_code == 404  # not alice's
    _token, key = token_create(user=site["reply"].author, name="t", scopes=["read", "write"])
    assert requests.delete(site["reply_iri"], headers=bearer(key), timeout=30).status_code == 204
    assert requests.get(site["reply_iri"], timeout=30).status_code == 404


def test_delete_with_a_stale_etag_answers_412(site):
    response = requests.delete(
        site["root_iri"], headers=bearer(site["key"], **{"If-Match": '"stale"'}), timeout=30
    )
    assert response.status_code == 412
    assert requests.get(site["root_iri"], timeout=30).status_code == 200


# 7. Errors -------------------------------------------------------------------------------


def test_a_method_the_container_does_not_support_answers_405(site):
    response = requests.patch(site["container"], json={}, headers=bearer(site["key"]), timeout=30)
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_an_annotation_that_does_not_exist_answers_404(site):
    assert requests.get(f"{site['container']}999999/", timeout=30).status_code == 404


def test_a_post_sent_again_with_its_idempotency_key_creates_nothing_more(site):
    key = {"Idempotency-Key": "8f14e45f-ceea-467f-a0e6-7e3e0b1a2c3d"}
    first = post_annotation(site, new_annotation(site), **key)
    again = post_annotation(site, new_annotation(site), **key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Content-Type"] == PROFILED
    assert f'<{LDP}Resource>; rel="type"' in again.headers["Link"]
    assert Comment.objects.count() == 4


def test_a_member_posts_into_their_groups_container_and_an_outsider_cannot(site, live_server):
    from commentary.groups.services import group_create
    from commentary.models import Comment

    group = group_create(owner=site["alice"], name="Tuesday seminar", works=["october-1917"])
    container = f"{live_server.url}/api/v1/groups/{group.slug}/annotations/"
    response = requests.post(
        container,
        json=new_annotation(site),
        headers=bearer(site["key"], **{"Content-Type": PROFILED}),
        timeout=30,
    )
    assert response.status_code == 201
    created = checked(response.json())
    assert created["id"].startswith(container)
    assert Comment.objects.get(pk=created["id"].rstrip("/").rsplit("/", 1)[1]).group == group

    _token, outsider_key = token_create(
        user=make_user("otto"), name="annotations", scopes=["read", "write"]
    )
    refused = requests.post(
        container,
        json=new_annotation(site),
        headers=bearer(outsider_key, **{"Content-Type": PROFILED}),
        timeout=30,
    )
    assert refused.status_code == 404
    assert Comment.objects.filter(group=group).count() == 1
