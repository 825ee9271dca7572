"""Two editors publishing at once on PostgreSQL, with real threads and one connection each."""

import threading

import pytest
from django.db import connection

from edition.importer import Block
from edition.models import (
    Paragraph,
    PublishedVersionError,
    Version,
    VersionPublishError,
    Work,
)
from edition.services import version_discard, version_import, version_publish
from tests.edition.builders import merged_into

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite takes one writer at a time, so there is no race to test; "
        "run with DATABASE_URL=postgres://… to test row locking",
    ),
    pytest.mark.django_db(transaction=True),
]

A = "Lenin, along with the Bolshevik leaders, shaped the history of the October revolution."
B = "Then Stalin did too."
C = "The imperialist West could not tolerate the very existence of the Soviet Union at all."


def run_together(work, count: int) -> list:
    """Runs ``work(index, barrier)`` in ``count`` threads released at once; returns their results
    (or the exceptions they raised). Each thread closes its own connection."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            results[index] = work(index, barrier)
        except BaseException as error:  # reported by the assertions of the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.fixture
def draft() -> Version:
    work = Work.objects.create(slug="october-1917", title="October 1917 Revolution")
    blocks = [Block("paragraph", None, A), Block("paragraph", None, B), Block("paragraph", None, C)]
    version_publish(version=version_import(work=work, blocks=blocks).version)
    merged = [Block("paragraph", None, f"{A} {B}"), Block("paragraph", None, C)]
    return version_import(work=work, blocks=merged).version


def test_two_editors_publishing_one_draft_at_once_one_wins_and_the_other_is_told(draft):
    def publish(index: int, barrier: threading.Barrier) -> Version:
        version = Version.objects.get(pk=draft.pk)
        barrier.wait()
        return version_publish(version=version)

    results = run_together(publish, 2)

    won = [result for result in results if isinstance(result, Version)]
    refused = [result for result in results if isinstance(result, PublishedVersionError)]
    assert len(won) == 1 and len(refused) == 1, results
    assert "already published" in refused[0].messages[0]
    work = Work.objects.get()
    assert work.current_version_id == draft.pk
    assert Version.objects.get(pk=draft.pk).published_at == won[0].published_at
    assert merged_into("p2") == "p1"


def test_a_discard_racing_a_publish_leaves_one_whole_outcome(draft):
    def publish_or_discard(index: int, barrier: threading.Barrier):
        version = Version.objects.get(pk=draft.pk)
        barrier.wait()
        if index == 0:
            return version_publish(version=version)
        return version_discard(version=version)

    results = run_together(publish_or_discard, 2)

    # The loser is told why, whichever it is.
    assert [type(result) for result in results] in (
        [Version, PublishedVersionError],
        [VersionPublishError, type(None)],
    ), results
    work = Work.objects.get()
    if Version.objects.filter(pk=draft.pk).exists():
        # The publish won: the discard was refused, and the merge is public.
        assert work.current_version_id == draft.pk
        assert merged_into("p2") == "p1"
    else:
        # The discard won: the first version is still current, with nothing of the draft.
        assert work.current_version.number == 1
        assert merged_into("p2") is None
        assert Paragraph.objects.count() == 3
