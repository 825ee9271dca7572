"""Every error under /api/ is JSON in one shape, whoever raised it and whatever was asked."""

import pytest
from django.http import Http404
from django.urls import include, path
from rest_framework import exceptions
from rest_framework.decorators import api_view

READ_ONLY_ROUTES = [
    "/api/v1/",
    "/api/v1/works/",
    "/api/v1/works/october-1917/",
    "/api/v1/works/october-1917/versions/",
    "/api/v1/works/october-1917/versions/1/",
    "/api/v1/works/october-1917/paragraphs/p1/",
    "/api/v1/works/october-1917/compare/1/2/",
]
NOT_FOUND = {"status": 404, "code": "not_found", "detail": "Not found."}
SERVER_ERROR = {"status": 500, "code": "server_error", "detail": "A server error occurred."}


def exploding_django_view(request):
    raise RuntimeError("the secret reason")


@api_view(["GET"])
def exploding_api_view(request):
    raise RuntimeError("the secret reason")


@api_view(["GET"])
def invalid_api_view(request):
    raise exceptions.ValidationError({"body": ["This field is required."]})


@api_view(["GET"])
def nested_invalid_api_view(request):
    raise exceptions.ValidationError(
        {
            "quote": {"exact": ["Not in the paragraph."], "non_field_errors": ["Bad quote."]},
            "tags": [{}, {"name": ["Too long."]}],
            "body": ["This field is required."],
        }
    )


@api_view(["GET"])
def throttled_api_view(request):
    raise exceptions.Throttled(wait=30)


@api_view(["GET"])
def telling_404_api_view(request):
    raise Http404("No such comment in the group of Alice")


# Used by the tests marked @pytest.mark.urls(__name__): the real routes plus views that fail.
urlpatterns = [
    path("api/v1/test/django-500/", exploding_django_view),
    path("api/v1/test/api-500/", exploding_api_view),
    path("api/v1/test/invalid/", invalid_api_view),
    path("api/v1/test/nested-invalid/", nested_invalid_api_view),
    path("api/v1/test/throttled/", throttled_api_view),
    path("api/v1/test/telling-404/", telling_404_api_view),
    path("api/v1/", include("config.api.urls")),
    path("", include("edition.pages.urls")),
]


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v2/", "/api/"])
def test_it_answers_an_unknown_api_address_with_json(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == NOT_FOUND


def test_it_answers_an_unknown_api_address_with_json_even_in_debug(client, settings):
    settings.DEBUG = True

    response = client.get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_it_answers_404_in_json_to_a_browser_too(client, october):
    response = client.get("/api/v1/works/nowhere/", HTTP_ACCEPT="text/html")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize("route", READ_ONLY_ROUTES)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_refuses_writes_with_405_and_allow(reader_client, october, route, method):
    response = getattr(reader_client, method)(route, {}, content_type="application/json")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": 405,
        "code": "method_not_allowed",
        "detail": f'Method "{method.upper()}" not allowed.',
    }
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


@pytest.mark.parametrize("route", [*READ_ONLY_ROUTES, "/api/v1/schema/"])
def test_it_answers_406_in_json_to_an_unsupported_accept(client, october, route):
    response = client.get(route, HTTP_ACCEPT="application/xml")

    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == 406
    assert response.json()["code"] == "not_acceptable"


@pytest.mark.parametrize("route", READ_ONLY_ROUTES)
def test_it_answers_head_and_options(client, october, route):
    assert client.head(route).status_code == 200
    assert client.options(route).status_code == 200


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("path", ["/api/v1/test/django-500/", "/api/v1/test/api-500/"])
def test_it_answers_a_crash_with_json_that_tells_nothing(client, settings, debug, path):
    settings.DEBUG = debug
    client.raise_request_exception = False

    response = client.get(path, HTTP_ACCEPT="text/html")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == SERVER_ERROR
    assert b"secret" not in response.content


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_it_lists_field_errors_in_a_400(client, accept):
    response = client.get("/api/v1/test/invalid/", HTTP_ACCEPT=accept)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": 400,
        "code": "invalid",
        "detail": "Some fields are not valid.",
        "errors": {"body": ["This field is required."]},
    }


@pytest.mark.urls(__name__)
def test_it_lists_nested_field_errors_under_dotted_names(client):
    response = client.get("/api/v1/test/nested-invalid/")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "quote.exact": ["Not in the paragraph."],
        "quote": ["Bad quote."],
        "tags.1.name": ["Too long."],
        "body": ["This field is required."],
    }


@pytest.mark.urls(__name__)
def test_it_says_when_to_retry_after_throttling(client):
    response = client.get("/api/v1/test/throttled/")

    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert response.json()["code"] == "throttled"


@pytest.mark.urls(__name__)
def test_it_never_repeats_why_something_was_not_found(client):
    response = client.get("/api/v1/test/telling-404/")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
