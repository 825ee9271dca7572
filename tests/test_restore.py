"""The restore docs/deploy.md describes, performed: dump the database with ``pg_dump``, drop
it, create it again, ``pg_restore`` the dump, and find the same rows in every table and the
same reading page, byte for byte. PostgreSQL only (it is what production runs); skipped on
SQLite with a reason.
"""

import os
import shutil
import subprocess
from pathlib import Path

import psycopg
import psycopg.conninfo
import pytest
from django.apps import apps
from django.db import connection, connections

from tests.commentary.builders import make_user, make_work, post

pytestmark = pytest.mark.django_db(transaction=True)

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def _tool(name: str) -> str:
    found = PG_BIN / name
    if found.is_file():
        return str(found)
    on_path = shutil.which(name)
    if on_path is None:
        pytest.skip(f"{name} not found: apt-get install postgresql-client-15")
    return on_path


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.using("default").count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def libpq_environment() -> dict:
    settings = connection.settings_dict
    return {
        **os.environ,
        "PGHOST": settings["HOST"] or "127.0.0.1",
        "PGPORT": str(settings["PORT"] or 5432),
        "PGUSER": settings["USER"] or "postgres",
        "PGPASSWORD": settings["PASSWORD"] or "",
    }


def test_a_dump_dropped_and_restored_gives_back_every_row_and_the_same_page(
    client, settings, tmp_path
):
    if connection.vendor != "postgresql":
        pytest.skip("The restore is PostgreSQL's (pg_dump, pg_restore): set DATABASE_URL.")
    settings.SCHOLIA_PAGE_CACHE = False
    work = make_work()
    alice, bob = make_user("alice", "Alice Liddell"), make_user("bob")
    root = post(alice, work, "p3", "A first remark.")
    post(bob, work, "p3", "A reply.", parent=root)
    post(bob, work, "p4", "Another passage.")
    before = row_counts()
    page_before = client.get(f"/works/{work.slug}/").content
    assert b"Another passage." not in page_before  # the reading page shows counts
    thread_before = client.get(f"/comments/{root.pk}/").content

    name = connection.settings_dict["NAME"]
    dump = tmp_path / "scholia.dump"
    environment = libpq_environment()
    subprocess.run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", name],
        env=environment,
        check=True,
    )
    for alias in connections:
        connections[alias].close()
    admin = psycopg.conninfo.make_conninfo(
        host=environment["PGHOST"],
        port=environment["PGPORT"],
        user=environment["PGUSER"],
        password=environment["PGPASSWORD"],
        dbname="postgres",
    )
    with psycopg.connect(admin, autocommit=True) as server:
        server.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={name}", str(dump)],
        env=environment,
        check=True,
    )

    assert row_counts() == before
    assert before["commentary.Comment"] == 3
    assert client.get(f"/works/{work.slug}/").content == page_before
    assert client.get(f"/comments/{root.pk}/").content == thread_before
