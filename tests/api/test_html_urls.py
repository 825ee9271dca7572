"""Every comment the API shows, wherever it shows one, links to its page (``html_url``)."""

import pytest
from rest_framework.test import APIClient

from tests.api.comment_fixtures import make_user, post

pytestmark = pytest.mark.django_db


def test_every_representation_of_a_comment_in_the_schema_has_an_html_url():
    schema = APIClient().get("/api/v1/schema/?format=json").json()
    comments = {
        name: component.get("properties", {})
        for name, component in schema["components"]["schemas"].items()
        if {"id", "body"} <= set(component.get("properties", {}))
        or {"id", "author"} <= set(component.get("properties", {}))
    }

    assert {"Comment", "ThreadComment", "SearchComment", "RepliedTo"} <= set(comments)
    assert [name for name, properties in comments.items() if "html_url" not in properties] == []


def test_a_comment_found_by_search_links_to_its_page(october):
    comment = post(make_user("alice"), october, "p2", "Lenin and the marmalade question.")

    hits = APIClient().get("/api/v1/search/", {"q": "marmalade"}).json()["results"]

    found = [hit["comment"] for hit in hits if hit["comment"]]
    assert [c["html_url"] for c in found] == [f"http://testserver/comments/{comment.pk}/"]
    assert APIClient().get(found[0]["html_url"]).status_code == 200
