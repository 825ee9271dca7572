"""A container costs the same few queries however many annotations it holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from commentary.services import comment_create
from tests.commentary.builders import make_user, post

pytestmark = pytest.mark.django_db
CONTAINER = "/api/v1/works/october-1917/annotations/"


def queries_for(url: str, user=None) -> int:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_container_costs_a_fixed_number_of_queries(work, alice, bob, settings):
    settings.SCHOLIA_COMMENT_RATE = "1000/60"
    root = post(alice, work)
    few = (queries_for(CONTAINER), queries_for(f"{CONTAINER}?iris=0&page={root.pk}", bob))
    for number in range(30):
        comment_create(author=bob, parent=root, body=f"Reply {number}.")
        post(make_user(f"reader{number}"), work, "p4", body=f"Comment {number}.")
    many = (queries_for(CONTAINER), queries_for(f"{CONTAINER}?iris=0&page={root.pk}", bob))
    assert many == few
    assert many[0] <= 6
