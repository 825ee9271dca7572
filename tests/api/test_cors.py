"""Cross-origin requests: a course site on another origin, configured, may call the API with
a token; no other origin may, nothing but the API is offered, and a session cookie never
signs in a request from another origin.

alice has a token; gus reads the seminar, whose canary must not leave it.
"""

import pytest
from django.test import Client, override_settings

from commentary.accounts.tokens import token_create
from tests.api.comment_fixtures import COMMENTS
from tests.commentary.builders import make_user
from tests.commentary.group_people import CANARY, group_post, make_seminar

pytestmark = pytest.mark.django_db

COURSE = "https://course.example.org"
ELSEWHERE = "https://evil.example.net"
configured = override_settings(CORS_ALLOWED_ORIGINS=[COURSE])


def bearer(user, *scopes) -> str:
    return "Bearer " + token_create(user=user, name="t", scopes=scopes or ["read"])[1]


def preflight(client: Client, url: str, origin: str, method: str, headers: str):
    return client.options(
        url,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=headers,
    )


@configured
def test_a_preflight_from_a_configured_origin_allows_the_apis_headers(october):
    response = preflight(
        Client(),
        COMMENTS + "1/",
        COURSE,
        "PATCH",
        "authorization, if-match, if-none-match, idempotency-key, content-type",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == COURSE
    allowed = {header.strip() for header in response["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "if-match", "if-none-match", "idempotency-key"} <= allowed
    assert "PATCH" in response["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in response


@configured
def test_a_token_request_from_a_configured_origin_may_read_the_answer_and_its_headers(october):
    response = Client().get(
        "/api/v1/works/october-1917/",
        HTTP_ORIGIN=COURSE,
        HTTP_AUTHORIZATION=bearer(make_user("alice")),
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == COURSE
    exposed = {header.strip() for header in response["Access-Control-Expose-Headers"].split(",")}
    assert {"ETag", "Last-Modified", "Link", "WWW-Authenticate", "Location"} <= exposed
    assert "Access-Control-Allow-Credentials" not in response
    assert "origin" in response["Vary"].lower()


@configured
def test_a_refused_token_still_tells_the_page_why(october):
    response = Client().get(COMMENTS, HTTP_ORIGIN=COURSE, HTTP_AUTHORIZATION="Bearer not-a-token")

    assert response.status_code == 401
    assert response["Access-Control-Allow-Origin"] == COURSE
    assert "WWW-Authenticate" in response


@configured
def test_another_origin_gets_no_cors_header(october):
    token_request = Client().get(
        COMMENTS, HTTP_ORIGIN=ELSEWHERE, HTTP_AUTHORIZATION=bearer(make_user("alice"))
    )
    asked = preflight(Client(), COMMENTS, ELSEWHERE, "POST", "authorization")

    assert "Access-Control-Allow-Origin" not in token_request
    assert "Access-Control-Allow-Origin" not in asked


@configured
def test_a_request_without_a_token_gets_no_cors_header(october):
    response = Client().get(COMMENTS, HTTP_ORIGIN=COURSE)

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


@configured
def test_pages_are_never_offered_to_other_origins(october):
    page = Client().get("/works/october-1917/", HTTP_ORIGIN=COURSE, HTTP_AUTHORIZATION="Bearer x")
    asked = preflight(Client(), "/works/october-1917/", COURSE, "GET", "authorization")

    assert "Access-Control-Allow-Origin" not in page
    assert "Access-Control-Allow-Origin" not in asked


def test_no_origin_is_configured_by_default(october, settings):
    assert settings.CORS_ALLOWED_ORIGINS == []
    assert settings.CORS_ALLOW_CREDENTIALS is False
    response = preflight(Client(), COMMENTS, COURSE, "GET", "authorization")

    assert "Access-Control-Allow-Origin" not in response


@configured
@pytest.mark.parametrize("origin", [COURSE, ELSEWHERE, "null"])
def test_a_session_cookie_never_signs_in_a_request_from_another_origin(october, origin):
    group, _olga, gus = make_seminar(october)
    group_post(gus, october, group)
    browser = Client()
    browser.force_login(gus)

    own = browser.get(COMMENTS, HTTP_ORIGIN="http://testserver")
    cross = browser.get(COMMENTS, HTTP_ORIGIN=origin)
    group_read = browser.get(f"/api/v1/groups/{group.slug}/annotations/", HTTP_ORIGIN=origin)
    writes = browser.post(
        COMMENTS,
        {"work": "october-1917", "paragraph": "p2", "body": "Written from elsewhere."},
        content_type="application/json",
        HTTP_ORIGIN=origin,
    )

    assert CANARY in own.content.decode()
    assert CANARY not in cross.content.decode()
    assert cross.status_code == 200
    assert group_read.status_code == 404
    assert writes.status_code == 401


@configured
def test_a_token_from_another_origin_reads_what_the_token_may(october):
    group, _olga, gus = make_seminar(october)
    group_post(gus, october, group)

    response = Client().get(COMMENTS, HTTP_ORIGIN=COURSE, HTTP_AUTHORIZATION=bearer(gus))

    assert CANARY in response.content.decode()
    assert response["Access-Control-Allow-Origin"] == COURSE
