"""Request bodies are refused on their declared length, before a byte of them is read.

A client that declares a large body and sends it slowly must not hold a worker: under
/api/ the limit is SCHOLIA_API_MAX_BODY_BYTES (64 KiB) and the answer the API's JSON 413;
elsewhere it is Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) and the answer a 413 page.
A chunked body, which Django would read as empty, is refused under /api/ with a 411.
"""

import io
import json

import pytest
from django.core.exceptions import RequestDataTooBig
from django.test import Client
from django.urls import include, path
from rest_framework.decorators import api_view

from commentary.accounts.tokens import token_create
from commentary.models import Comment
from tests.api.comment_fixtures import COMMENTS, client_for, comment_url, make_people, post

API_LIMIT = 64 * 1024
PAGE_LIMIT = 2_621_440  # Django's default DATA_UPLOAD_MAX_MEMORY_SIZE


class RecordingStream(io.BytesIO):
    """A request body that remembers how much of it the server read."""

    def __init__(self, data: bytes = b""):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.bytes_read += len(line)
        return line


def declaring(length: int, stream: RecordingStream, content_type: str) -> dict:
    """Environ entries of a request that declares ``length`` bytes but has sent only some."""
    return {"CONTENT_LENGTH": str(length), "CONTENT_TYPE": content_type, "wsgi.input": stream}


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def alice_token(people) -> str:
    return token_create(user=people.alice, name="script", scopes=["read", "write"])[1]


def assert_too_large_for_the_api(response) -> None:
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": 413,
        "code": "request_too_large",
        "detail": f"The request body can be at most {API_LIMIT} bytes.",
    }


# Under /api/ -------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
@pytest.mark.parametrize("signed_in", ["session", "token", "nobody"])
def test_it_refuses_a_declared_api_body_over_64_kib_before_reading_it(
    october, people, alice_token, signed_in, content_type
):
    client = Client(enforce_csrf_checks=True)
    headers = {}
    if signed_in == "session":
        client.force_login(people.alice)
    elif signed_in == "token":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {alice_token}"
    stream = RecordingStream(b'{"body": "The first bytes of a slow upload')

    response = client.generic(
        "POST", COMMENTS, **declaring(API_LIMIT + 1, stream, content_type), **headers
    )

    assert_too_large_for_the_api(response)
    assert stream.bytes_read == 0
    assert not Comment.objects.exists()


def test_it_refuses_a_declared_edit_over_64_kib_before_reading_it(october, people, alice_token):
    comment = post(people.alice, october, body="As is.")
    stream = RecordingStream()

    response = Client().generic(
        "PATCH",
        comment_url(comment.pk),
        HTTP_AUTHORIZATION=f"Bearer {alice_token}",
        **declaring(10 * 1024 * 1024, stream, "application/json"),
    )

    assert_too_large_for_the_api(response)
    assert stream.bytes_read == 0
    comment.refresh_from_db()
    assert comment.body == "As is."


def test_it_still_reads_an_api_body_of_exactly_64_kib(october, people, alice_token):
    payload = {"work": "october-1917", "paragraph": "p2", "body": ""}
    padding = API_LIMIT - len(json.dumps(payload).encode())
    raw = json.dumps({**payload, "body": "x" * padding}).encode()
    assert len(raw) == API_LIMIT

    response = Client().generic(
        "POST",
        COMMENTS,
        raw,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {alice_token}",
    )

    # Read and judged on its content: longer than a comment may be, not too large to read.
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"body"}


def test_it_answers_411_to_a_chunked_api_body(october, people, alice_token):
    stream = RecordingStream(
        json.dumps({"work": "october-1917", "paragraph": "p2", "body": "x"}).encode()
    )

    response = Client().generic(
        "POST",
        COMMENTS,
        CONTENT_TYPE="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
        HTTP_AUTHORIZATION=f"Bearer {alice_token}",
        **{"wsgi.input": stream},
    )

    assert response.status_code == 411
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": 411,
        "code": "length_required",
        "detail": "Send the body with a Content-Length header; a chunked body is not read.",
    }
    assert not Comment.objects.exists()


def test_it_takes_a_body_with_its_length_as_before(october, people, alice_token):
    response = client_for(people.alice).post(
        COMMENTS, {"work": "october-1917", "paragraph": "p2", "body": "Fine."}, format="json"
    )

    assert response.status_code == 201


# Pages -------------------------------------------------------------------------------------

FORM = "application/x-www-form-urlencoded"
COMMENT_FORM = "/works/october-1917/p/p2/comments/"


def test_it_answers_a_form_post_over_the_upload_limit_with_a_413_page(october, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.alice)
    stream = RecordingStream(b"body=A+very+long+comment")

    response = client.generic("POST", COMMENT_FORM, **declaring(PAGE_LIMIT + 1, stream, FORM))

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Too large to send" in page
    assert "at most 2.5\xa0MB" in page
    assert stream.bytes_read == 0
    assert not Comment.objects.exists()


def test_it_reads_a_form_post_over_the_api_limit_on_a_page(october, people):
    client = Client()
    client.force_login(people.alice)

    response = client.post(COMMENT_FORM, {"body": "x" * (API_LIMIT + 1)})

    # The page reads it and says what is wrong with it: too long for a comment.
    assert response.status_code == 400
    assert "at most" in response.content.decode()


# Django's own refusal of a large body -------------------------------------------------------


@api_view(["POST"])
def api_view_reading_too_much(request):
    raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")


def page_reading_too_much(request):
    raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")


urlpatterns = [
    path("api/v1/test/too-much/", api_view_reading_too_much),
    path("test/too-much/", page_reading_too_much),
    path("", include("edition.pages.urls")),
]
handler400 = "config.request_limits.bad_request"


@pytest.mark.urls(__name__)
def test_it_answers_413_in_json_when_django_finds_an_api_body_too_large(db):
    response = Client().post("/api/v1/test/too-much/", {}, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {
        "status": 413,
        "code": "request_too_large",
        "detail": "The request body is too large.",
    }


@pytest.mark.urls(__name__)
def test_it_answers_a_413_page_when_django_finds_a_form_too_large(db):
    response = Client().post("/test/too-much/", {"body": "x"})

    assert response.status_code == 413
    assert "Too large to send" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "method"), [("/api/v1/comments/", "post"), ("/api/v1/comments/{id}/", "patch")]
)
def test_the_schema_documents_both_refusals_of_a_body(client, db, path, method):
    schema = json.loads(client.get("/api/v1/schema/?format=json").content)

    responses = schema["paths"][path][method]["responses"]
    assert {"411", "413"} <= set(responses)
    assert "Content-Length" in responses["411"]["description"]
