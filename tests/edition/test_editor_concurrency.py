"""Two editors acting on one draft at the same moment, through the pages, on PostgreSQL."""

import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client

from edition.drafts import draft_checksum
from edition.models import Version, Work
from tests.api.test_comments_concurrency import run_together
from tests.edition.builders import build_version, build_work, para

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite takes one writer at a time, so there is no race to test; "
        "run with DATABASE_URL=postgres://… to test row locking",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def draft(django_user_model) -> Version:
    work = build_work()
    build_version(work, [para("First wording.")])
    return build_version(work, [para("Second wording.", key="p1")], publish=False)


def editors(django_user_model, count: int) -> list[Client]:
    clients = []
    for index in range(count):
        client = Client()
        client.force_login(django_user_model.objects.create_user(f"editor{index}", is_staff=True))
        clients.append(client)
    return clients


def test_two_editors_publishing_one_draft_at_once_one_wins_the_other_is_told(
    draft, django_user_model
):
    clients = editors(django_user_model, 2)
    reviewed = {"checksum": draft_checksum(draft)}

    def publish(index: int, barrier: threading.Barrier):
        barrier.wait()
        response = clients[index].post("/works/october-1917/v/2/publish/", reviewed)
        return response.status_code, [str(m) for m in get_messages(response.wsgi_request)]

    results = run_together(publish, 2)

    assert [status for status, _ in results] == [302, 302], results
    said = sorted(messages[0] for _, messages in results)
    winner = Version.objects.get(pk=draft.pk).published_by.get_username()
    assert said == [
        f"Version 2 could not be published. It was published by {winner} meanwhile.",
        "Version 2 is published.",
    ]
    assert Work.objects.get().current_version_id == draft.pk


def test_a_publication_racing_a_discard_leaves_one_of_them_whole(draft, django_user_model):
    publisher, discarder = editors(django_user_model, 2)
    reviewed = {"checksum": draft_checksum(draft)}

    def act(index: int, barrier: threading.Barrier):
        barrier.wait()
        if index == 0:
            return publisher.post("/works/october-1917/v/2/publish/", reviewed).status_code
        return discarder.post("/works/october-1917/v/2/discard/", {"confirm": "on"}).status_code

    # Whichever comes first, the other editor is answered with a page, never a 404: a
    # discard read before the publication began leaves "no such draft" to say.
    assert run_together(act, 2) == [302, 302]
    survivor = Version.objects.filter(pk=draft.pk).first()
    work = Work.objects.get()
    if survivor is None:
        assert work.current_version.number == 1
    else:
        assert survivor.is_published
        assert work.current_version_id == survivor.pk
