"""The API's root links to every collection: walking the URL conf, each route must be one
the root names or lie under one of its links, so a new collection left out fails here."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from config.api.root import COLLECTIONS, TEMPLATES

pytestmark = pytest.mark.django_db

ROOT = "/api/v1/"
# Routes no collection leads to, each for a reason: actions on a member, reached by the
# usernames the moderation queue and log give; an import's report, reached by the
# Location its import answered with.
REACHED_OTHERWISE = {"users", "imports"}


def api_routes(patterns=None, prefix: str = "") -> list[tuple[str, URLPattern]]:
    """Every route of the API as (its pattern from the site's root, the route)."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found += api_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif (prefix + str(pattern.pattern)).startswith(ROOT.lstrip("/")):
            found.append(("/" + prefix + str(pattern.pattern), pattern))
    return found


def as_template(route: str) -> str:
    """``/api/v1/works/<slug:slug>/`` as ``/api/v1/works/{slug}/``."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def answers_get(pattern: URLPattern) -> bool:
    view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
    return view is not None and "get" in view.http_method_names and hasattr(view, "get")


@pytest.fixture
def root_paths() -> set[str]:
    answer = APIClient().get(ROOT)
    assert answer.status_code == 200
    return {link.removeprefix("http://testserver") for link in answer.json().values()}


def test_it_links_every_collection_and_template_it_declares(root_paths):
    assert len(root_paths) == len(COLLECTIONS) + len(TEMPLATES)
    assert "/api/v1/works/{slug}/annotations/" in root_paths
    assert "/api/v1/groups/{slug}/annotations/" in root_paths
    for expected in ("works", "comments", "changes", "tokens", "groups", "notifications"):
        assert f"/api/v1/{expected}/" in root_paths
    assert {"/api/v1/moderation/queue/", "/api/v1/moderation/events/"} <= root_paths
    assert {"/api/v1/search/", "/api/v1/schema/", "/api/v1/docs/"} <= root_paths


def test_every_collection_without_arguments_is_linked_from_the_root(root_paths):
    fixed = {
        route
        for route, pattern in api_routes()
        if "<" not in route and answers_get(pattern) and route != ROOT
    }
    assert fixed, "the URL conf was not walked"
    assert fixed - root_paths == set()


def test_every_route_lies_under_a_link_of_the_root(root_paths):
    unreached = set()
    for route, _pattern in api_routes():
        if route == ROOT:
            continue
        top = route.removeprefix(ROOT).split("/")[0]
        template = as_template(route)
        if top in REACHED_OTHERWISE:
            continue
        if not any(template.startswith(link) for link in root_paths):
            unreached.add(route)
    assert unreached == set()


def test_a_new_top_level_collection_would_be_noticed(root_paths):
    tops = {route.removeprefix(ROOT).split("/")[0] for route, _pattern in api_routes()} - {""}
    linked = {path.removeprefix(ROOT).split("/")[0] for path in root_paths}
    assert tops - linked == REACHED_OTHERWISE


def test_each_link_of_the_root_answers(october):
    client = APIClient()
    links = client.get(ROOT).json()
    for name, link in links.items():
        response = client.get(link.replace("{slug}", "october-1917"))
        # Collections of a signed-in reader ask for a token or a session; the change log
        # and the search, for what to read from or look for; a group is nobody's to read
        # anonymously.
        expected = {"changes": 400, "search": 400, "group_annotations": 404}.get(name)
        assert response.status_code in ((expected,) if expected else (200, 401)), name
