#!/usr/bin/env python3
"""An example Scholia API client: a local mirror kept in step through the change log, and
webhooks received and verified. Python's standard library plus ``standardwebhooks``.

    python docs/example_client.py --base-url http://127.0.0.1:8000 --token sch_...

1. Sync: the first run reads the comment list in full (after noting the change log's
   latest cursor); every run then reads ``/api/v1/changes/`` from its cursor, following
   ``next`` while ``more``, and applies each change to a JSON mirror (``--mirror``).
2. Webhooks: it serves a receiver on 127.0.0.1, registers it as a webhook endpoint (the
   server must allow that address: ``SCHOLIA_WEBHOOKS_ALLOWED_NETWORKS=127.0.0.1/32``),
   asks for a ``webhook.test`` event and verifies what arrives with ``standardwebhooks``.
   With ``--comment-on WORK PARAGRAPH`` it then writes a comment there, waits for its
   ``comment.created`` event, verifies it, fetches the comment from the URL it names, and
   syncs again. The endpoint is deleted at the end.

The token needs the ``read`` and ``write`` scopes (write: to register the webhook).
"""

import argparse
import json
import os
import queue
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from standardwebhooks import Webhook, WebhookVerificationError


class Api:
    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token

    def call(self, method: str, url: str, body: dict | None = None) -> dict | None:
        if url.startswith("/"):
            url = self.base_url + url
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            raise SystemExit(
                f"{method} {url}: {error.code} {error.read().decode()[:300]}"
            ) from None
        return json.loads(raw) if raw else None


def load_mirror(path: Path) -> dict:
    if path.exists():
        return json.loads(path.read_text())
    return {"cursor": None, "comments": {}, "groups": []}


def full_read(api: Api, mirror: dict) -> None:
    """The cursor first, then every comment: a change made meanwhile comes again later."""
    mirror["cursor"] = api.call("GET", "/api/v1/changes/?since=latest")["cursor"]
    url = "/api/v1/comments/?page_size=200"
    while url:
        page = api.call("GET", url)
        for comment in page["results"]:
            mirror["comments"][str(comment["id"])] = comment
        url = page["next"]


def sync(api: Api, mirror: dict) -> int:
    """Apply the changes after the mirror's cursor; returns how many were read."""
    count = 0
    url = f"/api/v1/changes/?since={mirror['cursor']}"
    while url:
        page = api.call("GET", url)
        for change in page["changes"]:
            count += 1
            if change["type"] in ("comment.created", "comment.updated"):
                mirror["comments"][str(change["id"])] = change["object"]
            elif change["type"] in ("comment.deleted", "comment.removed"):
                mirror["comments"].pop(str(change["id"]), None)
            elif change["type"] == "group.joined":
                mirror["groups"] = sorted({*mirror["groups"], change["id"]})
            elif change["type"] == "group.left":
                mirror["groups"] = [g for g in mirror["groups"] if g != change["id"]]
        mirror["cursor"] = page["cursor"]
        url = page["next"] if page["more"] else None
    return count


def start_receiver() -> tuple[ThreadingHTTPServer, "queue.Queue[tuple[bytes, dict]]"]:
    """A receiver on 127.0.0.1: each delivery goes on the queue, answered 204."""
    arrived: queue.Queue = queue.Queue()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            arrived.put((body, dict(self.headers.items())))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, arrived


def receive(arrived: queue.Queue, secret: str, wanted: str, timeout: float) -> dict:
    """The next delivery of type ``wanted``, verified; others are verified and skipped."""
    while True:
        try:
            body, headers = arrived.get(timeout=timeout)
        except queue.Empty:
            raise SystemExit(f"No {wanted} event came within {timeout:.0f} s.") from None
        try:
            payload = Webhook(secret).verify(body, headers)
        except WebhookVerificationError as error:
            raise SystemExit(f"A delivery failed verification: {error}") from None
        print(f"{payload['type']}: received {headers.get('webhook-id')}, signature verified")
        if payload["type"] == wanted:
            return payload


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", default=os.environ.get("SCHOLIA_TOKEN"))
    parser.add_argument("--mirror", type=Path, default=Path("scholia-mirror.json"))
    parser.add_argument("--comment-on", nargs=2, metavar=("WORK", "PARAGRAPH"))
    parser.add_argument("--timeout", type=float, default=30.0)
    options = parser.parse_args(argv)
    if not options.token:
        parser.error("give --token or set SCHOLIA_TOKEN")
    api = Api(options.base_url, options.token)

    mirror = load_mirror(options.mirror)
    if mirror["cursor"] is None:
        full_read(api, mirror)
        print(f"mirror: {len(mirror['comments'])} comments read in full, cursor {mirror['cursor']}")
    changed = sync(api, mirror)
    print(f"sync: {changed} changes applied, cursor {mirror['cursor']}")
    options.mirror.write_text(json.dumps(mirror, indent=1, sort_keys=True))

    server, arrived = start_receiver()
    receiver_url = f"http://127.0.0.1:{server.server_address[1]}/scholia"
    print(f"receiver: listening on {receiver_url}")
    endpoint = api.call(
        "POST",
        "/api/v1/webhooks/",
        {
            "target_url": receiver_url,
            "description": "docs/example_client.py",
            "events": ["comment.created", "comment.updated", "comment.deleted"],
        },
    )
    secret = endpoint["secret"]
    print(f"webhook: endpoint {endpoint['id']} registered, secret {secret[:10]}…")
    try:
        api.call("POST", f"/api/v1/webhooks/{endpoint['id']}/test/")
        receive(arrived, secret, "webhook.test", options.timeout)
        if options.comment_on:
            work, paragraph = options.comment_on
            body = "Written by docs/example_client.py."
            written = api.call(
                "POST", "/api/v1/comments/", {"work": work, "paragraph": paragraph, "body": body}
            )
            print(f"comment: {written['id']} written on {work} {paragraph}")
            event = receive(arrived, secret, "comment.created", options.timeout)
            comment = api.call("GET", event["data"]["url"])
            mirror["comments"][str(comment["id"])] = comment
            print(f"comment.created: comment {comment['id']} fetched from {event['data']['url']}")
            changed = sync(api, mirror)
            print(f"sync: {changed} changes applied, cursor {mirror['cursor']}")
            options.mirror.write_text(json.dumps(mirror, indent=1, sort_keys=True))
    finally:
        api.call("DELETE", f"/api/v1/webhooks/{endpoint['id']}/")
        server.shutdown()
        print(f"webhook: endpoint {endpoint['id']} deleted")
    print(f"mirror: {len(mirror['comments'])} comments in {options.mirror}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
