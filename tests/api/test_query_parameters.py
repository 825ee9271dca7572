"""A query parameter the API does not know is refused, on every endpoint, naming the ones it
takes: a client that sends ``?updated_after=`` or ``?q=`` must not take the whole list it
would otherwise get for the answer it asked for."""

import pytest
import yaml

from commentary.accounts.tokens import token_create
from commentary.models import Comment
from tests.api.comment_fixtures import COMMENTS, client_for, comment_url, make_people, post
from tests.commentary.moderation_people import make_moderator


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def comment(october, people):
    return post(people.alice, october, "p2", body="On the revolution.")


def assert_unknown(response, names: set[str], accepted: set[str]) -> None:
    assert response.status_code == 400, response.content
    data = response.json()
    assert (data["status"], data["code"]) == (400, "invalid")
    assert set(data["errors"]) == names
    for name in names:
        (message,) = data["errors"][name]
        listed = message.split(": ", 1)[1].rstrip(".")
        assert set(listed.split(", ")) == accepted, message
    assert "takes only" in data["detail"]


LIST_PARAMS = {
    "work",
    "version",
    "written_on",
    "paragraph",
    "chapter",
    "author",
    "group",
    "created_after",
    "created_before",
    "tag",
    "status",
    "modified_after",
    "ordering",
    "cursor",
    "page_size",
    "format",
}


@pytest.mark.parametrize(
    "query", ["updated_after=2020-01-01T00:00:00Z", "q=revolution", "order_by=-id", "sort=id"]
)
@pytest.mark.parametrize("signed_in", [False, True])
def test_it_refuses_a_parameter_the_comment_list_does_not_know(
    october, people, comment, query, signed_in
):
    client = client_for(people.bob if signed_in else None)

    response = client.get(f"{COMMENTS}?work=october-1917&{query}")

    assert_unknown(response, {query.split("=")[0]}, LIST_PARAMS)


def test_it_names_every_unknown_parameter(october, comment):
    response = client_for().get(f"{COMMENTS}?q=a&sort=b&work=october-1917")

    assert_unknown(response, {"q", "sort"}, LIST_PARAMS)


def test_it_refuses_a_parameter_with_a_token_too(october, people, comment):
    _, key = token_create(user=people.bob, name="sync")
    client = client_for()

    response = client.get(f"{COMMENTS}?order_by=id", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert_unknown(response, {"order_by"}, LIST_PARAMS)


def test_the_parameters_it_knows_still_filter(october, people, comment):
    client = client_for()

    response = client.get(f"{COMMENTS}?work=october-1917&paragraph=p2&page_size=5&format=json")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [comment.pk]


def test_a_detail_takes_only_its_version(october, comment):
    response = client_for().get(comment_url(comment.pk, "?version=2&sort=id"))

    assert_unknown(response, {"sort"}, {"version", "format"})


def test_a_write_with_an_unknown_parameter_writes_nothing(october, people):
    client = client_for(people.alice)

    response = client.post(
        f"{COMMENTS}?dry_run=1",
        {"work": "october-1917", "paragraph": "p2", "body": "Hello."},
        format="json",
    )

    assert_unknown(response, {"dry_run"}, {"format"})
    assert not Comment.objects.exists()


def concrete(path: str, comment_id: int) -> str:
    return (
        path.replace("{id}", str(comment_id))
        .replace("{slug}", "october-1917")
        .replace("{number}", "2")
        .replace("{key}", "p2")
        .replace("{a}", "1")
        .replace("{b}", "2")
        .replace("{username}", "alice")
    )


def test_every_read_of_the_schema_refuses_an_unknown_parameter(client, october, comment):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    reads = [path for path, operations in schema["paths"].items() if "get" in operations]
    assert len(reads) >= 15
    api = client_for(make_moderator())

    for path in reads:
        response = api.get(f"{concrete(path, comment.pk)}?unknown_parameter=1")

        assert response.status_code == 400, path
        assert set(response.json()["errors"]) == {"unknown_parameter"}, path


@pytest.mark.parametrize(("path", "query"), [("/api/v1/schema/", "lang=en"), ("/api/v1/docs/", "")])
def test_the_schema_and_docs_keep_their_own_parameters(client, db, path, query):
    assert client.get(f"{path}?{query}").status_code == 200
    assert client.get(f"{path}?{query}&unknown_parameter=1").status_code == 400
