"""One POST to a receiver, made safely (``post``).

The host is resolved once and every address checked (``addresses.resolve_checked``); the
connection goes to the first checked address, with the URL's host in the Host header and,
for https, in SNI and the certificate check. Everything is bounded: ``TIMEOUT`` seconds in
all, ``MAX_RESPONSE_BYTES`` of the answer read. Redirects are never followed: a 3xx is an
answer like any other, and only 2xx is success (the caller's rule).
"""

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from commentary.webhooks.addresses import AddressRefused, resolve_checked

TIMEOUT = 5.0
MAX_RESPONSE_BYTES = 64 * 1024
USER_AGENT = "Scholia-Webhooks/1"


@dataclass
class Answer:
    """What came of a POST: the status (None if none came), how long it took, the error
    (empty if an answer came), and the start of the answer's body."""

    status_code: int | None
    latency_ms: int
    error: str = ""
    body: bytes = b""


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to ``address``, whatever address the host name would resolve to now."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = 443

    def connect(self) -> None:
        super().connect()
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


def _read_capped(response: http.client.HTTPResponse, deadline: float) -> bytes:
    body = b""
    while len(body) < MAX_RESPONSE_BYTES:
        if time.monotonic() > deadline:
            raise TimeoutError("the answer took longer than the timeout")
        chunk = response.read1(MAX_RESPONSE_BYTES - len(body))
        if not chunk:
            break
        body += chunk
    return body


def post(url: str, *, body: bytes, headers: dict) -> Answer:
    """POST ``body`` to ``url`` with ``headers``; never raises for what the network or the
    receiver does (the error is in the Answer)."""
    started = time.monotonic()
    deadline = started + TIMEOUT

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        parts = urlsplit(url)
        secure = parts.scheme == "https"
        port = parts.port or (443 if secure else 80)
        address = resolve_checked(parts.hostname or "", port)[0]
    except (AddressRefused, ValueError) as refused:
        return Answer(status_code=None, latency_ms=elapsed(), error=f"refused: {refused}")
    connection_class = _PinnedHTTPSConnection if secure else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, address=address, timeout=TIMEOUT)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                **headers,
            },
        )
        connection.sock.settimeout(max(0.1, deadline - time.monotonic()))
        response = connection.getresponse()
        answer_body = _read_capped(response, deadline)
        return Answer(status_code=response.status, latency_ms=elapsed(), body=answer_body)
    except (OSError, http.client.HTTPException, TimeoutError) as error:
        message = "timed out" if isinstance(error, TimeoutError) else str(error) or repr(error)
        return Answer(status_code=None, latency_ms=elapsed(), error=message[:300])
    finally:
        connection.close()
