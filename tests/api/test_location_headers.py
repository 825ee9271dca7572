"""Every creating POST answers 201 with a Location header a real WSGI server accepts.

DRF's hyperlinks are a subclass of ``str``; wsgiref (Django's live server, as strict as
PEP 3333 asks) refuses any header value whose type is not exactly ``str`` and answers 500.
The test client never notices, so these requests go through a live server.
"""

import json
import urllib.request

import pytest

from commentary.accounts.tokens import token_create
from tests.commentary.builders import make_user, make_work

pytestmark = pytest.mark.django_db(transaction=True)


def _post(live_server, key: str, path: str, body: dict) -> tuple[int, str]:
    request = urllib.request.Request(
        live_server.url + path,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers["Location"]


def test_each_creation_names_what_it_made_in_a_location_a_wsgi_server_sends(live_server):
    work = make_work()
    alice = make_user("alice")
    _, key = token_create(user=alice, name="script", scopes=["read", "write", "groups:manage"])
    creations = {
        "/api/v1/tokens/": {"name": "another"},
        "/api/v1/comments/": {"work": work.slug, "paragraph": "p2", "body": "A comment."},
        "/api/v1/groups/": {"name": "Seminar", "works": [work.slug]},
        "/api/v1/account/exports/": {},
    }
    for path, body in creations.items():
        code, location = _post(live_server, key, path, body)
        assert code in (201, 202), path
        assert location.startswith(live_server.url + path), (path, location)
