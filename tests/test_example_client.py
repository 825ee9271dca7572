"""docs/example_client.py against a live server, so that it cannot rot: it mirrors the
discussion through the change log, receives a test event and a comment.created webhook on
127.0.0.1 and verifies both with ``standardwebhooks``, then syncs its mirror again."""

import importlib.util
import json
from pathlib import Path

import pytest

from commentary.accounts.tokens import token_create
from commentary.webhooks.models import WebhookEndpoint
from tests.commentary.builders import make_user, make_work, post

CLIENT = Path(__file__).resolve().parent.parent / "docs" / "example_client.py"


def _example_client():
    spec = importlib.util.spec_from_file_location("example_client", CLIENT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=True)
def test_the_example_client_syncs_and_verifies_webhooks(live_server, tmp_path, capsys):
    work = make_work()
    alice = make_user("alice")
    for number in range(3):
        post(alice, work, body=f"Comment {number}.")
    _, key = token_create(user=alice, name="example", scopes=["read", "write"])
    mirror = tmp_path / "mirror.json"

    arguments = ["--base-url", live_server.url, "--token", key, "--mirror", str(mirror)]
    assert _example_client().main([*arguments, "--comment-on", work.slug, "p3"]) == 0

    output = capsys.readouterr().out
    print(output)
    assert "mirror: 3 comments read in full" in output
    assert "webhook.test: received msg_" in output and "signature verified" in output
    assert "comment.created: received msg_" in output
    saved = json.loads(mirror.read_text())
    assert len(saved["comments"]) == 4
    assert "Written by docs/example_client.py." in json.dumps(saved)
    assert not WebhookEndpoint.objects.exists()  # it cleans up after itself

    # A second run reads on from its cursor.
    post(alice, work, body="Written meanwhile.")
    assert _example_client().main(arguments) == 0
    assert "sync: 1 changes applied" in capsys.readouterr().out
    assert len(json.loads(mirror.read_text())["comments"]) == 5
