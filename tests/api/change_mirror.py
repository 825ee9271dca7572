"""A client of ``GET /api/v1/changes/`` as its documentation tells one to be: it reads the
log from a cursor, and keeps a mirror of the comments it may read in step with it."""

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

CHANGES = "/api/v1/changes/"


@contextmanager
def page_queries(expected: int):
    """Exactly ``expected`` queries besides the session's (which a run with sessions in
    Redis does not send to the database)."""
    with CaptureQueriesContext(connection) as captured:
        yield
    queries = [q["sql"] for q in captured.captured_queries if "django_session" not in q["sql"]]
    assert len(queries) == expected, queries


def latest(client) -> str:
    return client.get(CHANGES, {"since": "latest"}).json()["cursor"]


def read_all(client, since: str) -> tuple[list[dict], str]:
    changes, cursor = [], since
    while True:
        page = client.get(CHANGES, {"since": cursor}).json()
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["more"]:
            return changes, cursor


def told(client, since: str) -> list[tuple[str, object]]:
    """(type, id) of every entry after ``since``."""
    changes, _cursor = read_all(client, since)
    return [(change["type"], change["id"]) for change in changes]


def full_read(client, query: str = "") -> dict[int, dict]:
    comments, url = {}, f"/api/v1/comments/{query}"
    while url:
        page = client.get(url).json()
        comments.update({comment["id"]: comment for comment in page["results"]})
        url = page["next"]
    return comments


def group_read(client, slug: str) -> dict[int, dict]:
    return full_read(client, f"?group={slug}")


def apply(client, mirror: dict[int, dict], changes: list[dict]) -> None:
    """What the changes feed documents a client does with each entry."""
    for change in changes:
        if change["type"] in ("comment.created", "comment.updated"):
            mirror[change["id"]] = change["object"]
        elif change["type"] in ("comment.deleted", "comment.removed"):
            mirror.pop(change["id"], None)
        elif change["type"] == "group.joined":
            mirror.update(group_read(client, change["id"]))
        elif change["type"] in ("group.left", "group.changed"):
            for pk in [pk for pk, c in mirror.items() if c["group"] == change["id"]]:
                del mirror[pk]
            if change["type"] == "group.changed":
                mirror.update(group_read(client, change["id"]))
