"""The OpenAPI document is complete and valid, and its docs page needs no CDN."""

import json
import re
from html.parser import HTMLParser

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema

EDITION_PATHS = {
    "/api/v1/",
    "/api/v1/works/",
    "/api/v1/works/{slug}/",
    "/api/v1/works/{slug}/versions/",
    "/api/v1/works/{slug}/versions/{number}/",
    "/api/v1/works/{slug}/paragraphs/{key}/",
    "/api/v1/works/{slug}/compare/{a}/{b}/",
}


class AssetCollector(HTMLParser):
    """Collects every address a page loads and the text of inline scripts."""

    def __init__(self):
        super().__init__()
        self.addresses: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("src", "href"):
            if attributes.get(name) and tag in {"script", "link", "img", "iframe"}:
                self.addresses.append(attributes[name])
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts.append(data)


def test_it_generates_a_valid_schema_without_a_single_warning(tmp_path):
    GENERATOR_STATS.reset()

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )

    schema = yaml.safe_load((tmp_path / "schema.yaml").read_text())
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= EDITION_PATHS


@pytest.mark.django_db
def test_it_serves_the_schema_as_openapi_yaml(client):
    response = client.get("/api/v1/schema/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert set(schema["paths"]) >= EDITION_PATHS


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "accept"), [("?format=json", "*/*"), ("", "application/vnd.oai.openapi+json")]
)
def test_it_serves_the_schema_as_json(client, query, accept):
    response = client.get(f"/api/v1/schema/{query}", HTTP_ACCEPT=accept)

    assert response.status_code == 200
    assert "json" in response["Content-Type"]
    schema = json.loads(response.content)
    validate_schema(schema)
    assert set(schema["paths"]) >= EDITION_PATHS


@pytest.mark.django_db
def test_it_documents_the_error_shape(client):
    schema = json.loads(client.get("/api/v1/schema/?format=json").content)

    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {
        "status",
        "code",
        "detail",
        "errors",
    }
    version = schema["paths"]["/api/v1/works/{slug}/versions/{number}/"]["get"]
    assert version["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


@pytest.mark.django_db
def test_it_serves_the_docs_from_its_own_static_files(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = AssetCollector()
    page.feed(response.content.decode())
    assert page.addresses
    assert not [address for address in page.addresses if re.match(r"(https?:)?//", address)]
    static = [address for address in page.addresses if address.startswith("/static/")]
    assert {address.rsplit("/", 1)[-1] for address in static} >= {
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
    }
    for address in static:
        assert finders.find(address.removeprefix("/static/")), address
    others = set(page.addresses) - set(static)
    assert others == {"/api/v1/docs/?script="}


@pytest.mark.django_db
def test_the_docs_run_no_inline_script(client):
    """The CSP allows scripts from this site only; the start-up script has its own URL."""
    page = AssetCollector()
    page.feed(client.get("/api/v1/docs/").content.decode())

    assert page.inline_scripts == []


@pytest.mark.django_db
def test_the_docs_start_up_script_points_at_the_schema(client):
    response = client.get("/api/v1/docs/?script=")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert b'"/api/v1/schema/"' in response.content


def schema_document(client) -> dict:
    return json.loads(client.get("/api/v1/schema/?format=json").content)


@pytest.mark.django_db
def test_it_gives_comment_ids_one_bound_in_addresses_and_bodies(client):
    schema = schema_document(client)

    path_ids = [
        parameter["schema"]["maximum"]
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/comments/{id}/")
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "id"
    ]
    parent = schema["components"]["schemas"]["CommentCreateRequest"]["properties"]["parent"]
    assert path_ids
    assert set(path_ids) == {parent["maximum"]} == {2**63 - 1}


@pytest.mark.django_db
@pytest.mark.parametrize("comment_id", [2**63 - 1, 2**63, 10**19 - 1])
def test_it_answers_404_to_any_comment_id_up_to_and_beyond_the_bound(client, comment_id):
    response = client.get(f"/api/v1/comments/{comment_id}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "component", ["CommentCreateRequest", "QuoteInputRequest", "PatchedCommentEditRequest"]
)
def test_it_says_that_request_bodies_refuse_unknown_fields(client, component):
    schema = schema_document(client)

    assert schema["components"]["schemas"][component]["additionalProperties"] is False


@pytest.mark.django_db
def test_it_documents_the_comment_filters_as_the_api_reads_them(client):
    operation = schema_document(client)["paths"]["/api/v1/comments/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}

    for name, longest in [("work", 80), ("paragraph", 16), ("author", 150)]:
        assert parameters[name]["schema"]["minLength"] == 1
        assert parameters[name]["schema"]["maxLength"] == longest
    for name in ("version", "paragraph"):
        assert "Needs `work`: without it, 400." in parameters[name]["description"]
    assert "A filter sent empty answers 400" in operation["description"]


@pytest.fixture(scope="module")
def documented() -> dict:
    from rest_framework.test import APIClient

    return APIClient().get("/api/v1/schema/?format=json").json()


def test_every_operation_documents_the_statuses_any_request_may_get(documented):
    for path, operations in documented["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            # An unknown query parameter, a refused token, a token without the scope.
            assert {"400", "401", "403"} <= statuses, (method, path)
            if "{" in path:
                assert "404" in statuses, (method, path)


def test_joining_a_group_documents_its_404_and_moderation_its_401(documented):
    paths = documented["paths"]
    assert "404" in paths["/api/v1/groups/{slug}/join/"]["post"]["responses"]
    queue = paths["/api/v1/moderation/queue/"]["get"]
    assert "401" in queue["responses"]
    assert "anonymous caller gets 401" in queue["description"]


def test_every_error_answer_is_documented_as_json_with_an_example(documented):
    for path, operations in documented["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) < 400:
                    continue
                content = response["content"]
                assert list(content) == ["application/json"], (method, path, status)
                [example] = content["application/json"]["examples"].values()
                assert example["value"]["status"] == int(status)


def test_the_conditional_reads_document_304(documented):
    paths = documented["paths"]
    for path in (
        "/api/v1/works/{slug}/",
        "/api/v1/works/{slug}/versions/{number}/",
        "/api/v1/works/{slug}/paragraphs/{key}/",
        "/api/v1/works/{slug}/annotations/",
        "/api/v1/comments/",
    ):
        assert "304" in paths[path]["get"]["responses"], path
