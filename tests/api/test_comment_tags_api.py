"""Tags through the API: written with a comment or an edit, shown, filtered by."""

import pytest
from django.urls import reverse

from tests.commentary.builders import client_for, make_user, make_work, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def work():
    return make_work()


@pytest.fixture
def alice():
    return make_user("alice")


def create(user, **data):
    payload = {"work": "october-1917", "paragraph": "p3", "body": "Tagged.", **data}
    return client_for(user).post(
        reverse("api:comment-list"), payload, content_type="application/json"
    )


def test_it_takes_tags_with_a_new_comment_lowered_and_once(work, alice):
    response = create(alice, tags=["Question", "source", "question"])
    assert response.status_code == 201
    assert response.json()["tags"] == ["question", "source"]
    detail = client_for().get(response.json()["url"]).json()
    assert detail["tags"] == ["question", "source"]


@pytest.mark.parametrize(
    "tags",
    [["not a word"], ["<b>"], [f"t{n}" for n in range(11)], ["x" * 41], "question", [3]],
)
def test_it_refuses_tags_that_are_not_words_or_too_many(work, alice, tags):
    response = create(alice, tags=tags)
    assert response.status_code == 400
    assert "tags" in str(response.json()["errors"])


def test_an_edit_replaces_the_tags_and_may_change_only_them(work, alice):
    comment = post(alice, work, "p3", "Body stays.", tags=["question"])
    url = reverse("api:comment-detail", kwargs={"id": comment.pk})
    response = client_for(alice).patch(
        url, {"tags": ["objection"]}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["tags"] == ["objection"]
    assert response.json()["body"] == "Body stays."
    assert response.json()["edited"] is None


def test_the_list_filters_by_tag_and_shows_tags(work, alice):
    post(alice, work, "p3", "One.", tags=["question"])
    post(alice, work, "p3", "Two.", tags=["source"])
    listed = client_for().get(reverse("api:comment-list"), {"tag": "Question"}).json()
    assert [c["body"] for c in listed["results"]] == ["One."]
    assert listed["results"][0]["tags"] == ["question"]


def test_a_thread_shows_each_comments_tags(work, alice):
    root = post(alice, work, "p3", "Root.", tags=["question"])
    post(alice, work, parent=root, body="Reply.", tags=["answer"])
    tree = client_for().get(reverse("api:comment-thread", kwargs={"id": root.pk})).json()
    assert tree["tags"] == ["question"]
    assert tree["replies"][0]["tags"] == ["answer"]
