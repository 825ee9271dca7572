"""A webhook receiver on 127.0.0.1 for the tests: a real HTTP server in a thread.

It records every request (path, headers, raw body) and answers with the next of
``statuses`` (200 once they run out). With a ``secret`` it checks each request with
PyPI's ``standardwebhooks``, as a receiver would, and answers 400 to one that fails
(recorded with ``verified=False``). ``delay`` makes it answer late; ``redirect_to`` makes
a 3xx carry a Location.
"""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    verified: bool | None = None


@dataclass
class Receiver:
    server: ThreadingHTTPServer
    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    secret: str | None = None
    delay: float = 0.0
    redirect_to: str = ""

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_receiver(**options) -> Receiver:
    receiver: Receiver

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            record = Received(path=self.path, headers=dict(self.headers.items()), body=body)
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            if receiver.secret is not None:
                try:
                    Webhook(receiver.secret).verify(body, record.headers)
                    record.verified = True
                except WebhookVerificationError:
                    record.verified = False
                    status = 400
            receiver.received.append(record)
            if receiver.delay:
                time.sleep(receiver.delay)
            self.send_response(status)
            if receiver.redirect_to:
                self.send_header("Location", receiver.redirect_to)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver = Receiver(server=server, **options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver
