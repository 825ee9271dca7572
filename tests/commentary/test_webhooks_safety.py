"""Where webhooks may not go (SSRF): loopback, private, link-local, multicast, reserved and
metadata addresses, refused when registering (what can be told from the URL) and when
sending (every address the name resolves to, resolved once and connected to as checked).
The tests' settings allow 127.0.0.1; these tests take that away where they need to."""

import socket
import threading

import pytest

from commentary.webhooks import addresses, sending
from commentary.webhooks.addresses import AddressRefused, address_check, url_check

REFUSED = [
    "127.0.0.1",
    "127.5.5.5",
    "::1",
    "10.0.0.8",
    "172.16.3.4",
    "192.168.1.1",
    "169.254.1.1",
    "169.254.169.254",
    "fd00:ec2::254",
    "fe80::1",
    "224.0.0.1",
    "ff02::1",
    "0.0.0.0",
    "240.0.0.1",
    "100.64.0.1",
    "::ffff:10.0.0.1",
    "::ffff:127.0.0.1",
]


@pytest.fixture
def no_allowance(settings):
    settings.SCHOLIA_WEBHOOKS_ALLOWED_NETWORKS = []


@pytest.mark.parametrize("address", REFUSED)
def test_it_refuses_addresses_inside_networks(no_allowance, address):
    with pytest.raises(AddressRefused):
        address_check(address)


def test_it_accepts_public_addresses(no_allowance):
    address_check("93.184.216.34")
    address_check("2606:2800:220:1:248:1893:25c8:1946")


def test_an_allowed_network_is_allowed_but_never_the_metadata_address(settings):
    settings.SCHOLIA_WEBHOOKS_ALLOWED_NETWORKS = ["127.0.0.1/32", "169.254.0.0/16"]
    address_check("127.0.0.1")
    with pytest.raises(AddressRefused):
        address_check("127.0.0.2")
    with pytest.raises(AddressRefused, match="metadata"):
        address_check("169.254.169.254")


@pytest.mark.parametrize(
    "url, message",
    [
        ("ftp://example.org/hook", "http"),
        ("file:///etc/passwd", "http"),
        ("https:///hook", "no host"),
        ("https://user:pw@example.org/hook", "user name"),
        ("http://127.0.0.1:8000/hook", "loopback"),
        ("http://localhost/hook", "loopback"),
        ("http://[::1]/hook", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://10.1.2.3/hook", "private"),
        ("http://example.org:99999/", "valid"),
    ],
)
def test_it_refuses_bad_urls_when_registering(no_allowance, url, message):
    with pytest.raises(AddressRefused, match=message):
        url_check(url)


def test_a_host_name_is_checked_when_sending_not_when_registering(no_allowance):
    url_check("https://hooks.example.org/scholia")


def test_a_name_resolving_to_a_private_address_is_refused_and_never_connected(
    no_allowance, monkeypatch
):
    looked_up = []

    def fake_getaddrinfo(host, port, *args, **kwargs):
        looked_up.append(host)
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port)),
        ]

    def no_connection(*args, **kwargs):
        raise AssertionError("connected to a refused address")

    monkeypatch.setattr(addresses.socket, "getaddrinfo", fake_getaddrinfo)
    monkeypatch.setattr(sending.socket, "create_connection", no_connection)
    answer = sending.post("http://rebound.example.org/hook", body=b"{}", headers={})
    assert answer.status_code is None
    assert answer.error.startswith("refused:") and "10.0.0.5" in answer.error
    assert looked_up == ["rebound.example.org"]


def test_loopback_is_refused_when_sending_unless_allowed(no_allowance):
    answer = sending.post("http://127.0.0.1:9/hook", body=b"{}", headers={})
    assert answer.error.startswith("refused:")


def test_the_name_is_resolved_once_and_the_checked_address_is_connected_to(monkeypatch):
    """The name answers a public address, then (rebinding) a private one: the connection
    goes to the address checked, with the name in the Host header."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    requests = []

    def serve():
        connection, _ = server.accept()
        requests.append(_read_request(connection))
        connection.sendall(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
        connection.close()

    threading.Thread(target=serve, daemon=True).start()
    answers = iter(["127.0.0.1", "10.9.9.9"])
    real_getaddrinfo = socket.getaddrinfo
    names_looked_up = []

    def fake_getaddrinfo(host, port, *args, **kwargs):
        if host[0].isdigit():  # an address: no name server asked
            return real_getaddrinfo(host, port, *args, **kwargs)
        names_looked_up.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(addresses.socket, "getaddrinfo", fake_getaddrinfo)
    answer = sending.post(f"http://hooks.example.org:{port}/in", body=b"{}", headers={})
    server.close()
    assert answer.status_code == 204
    assert requests[0].startswith(b"POST /in HTTP/1.1")
    assert f"Host: hooks.example.org:{port}".encode() in requests[0]
    assert names_looked_up == ["hooks.example.org"]


def test_the_answer_read_is_capped_and_bounded_in_time(monkeypatch):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    stop = threading.Event()

    def serve():
        connection, _ = server.accept()
        connection.recv(65536)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n")
        try:
            while not stop.is_set():
                connection.sendall(b"x" * 65536)
        except OSError:
            pass
        connection.close()

    threading.Thread(target=serve, daemon=True).start()
    answer = sending.post(f"http://127.0.0.1:{port}/", body=b"{}", headers={})
    stop.set()
    server.close()
    assert answer.status_code == 200
    assert len(answer.body) == sending.MAX_RESPONSE_BYTES


def _read_request(connection) -> bytes:
    """Read a whole request (headers, then Content-Length bytes): a server that closes
    with part of it unread resets the connection, and the client may lose the answer."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def _tls_receiver(tmp_path, hostname: str):
    """A TLS server on 127.0.0.1 with a self-signed certificate for ``hostname``; returns
    (the listening socket, the certificate's path, the names clients asked for by SNI)."""
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl not found")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", f"/CN={hostname}", "-addext", f"subjectAltName=DNS:{hostname}"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    asked = []
    context.sni_callback = lambda sock, name, ctx: asked.append(name)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(2)

    def serve():
        for _ in range(3):
            try:
                connection, _ = server.accept()
                tls = context.wrap_socket(connection, server_side=True)
                _read_request(tls)
                tls.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                tls.close()
            except (OSError, ssl.SSLError):
                continue

    threading.Thread(target=serve, daemon=True).start()
    return server, cert, asked


def test_https_checks_the_certificate_against_the_host_name(tmp_path, monkeypatch):
    import ssl

    server, cert, asked = _tls_receiver(tmp_path, "hooks.example.org")
    port = server.getsockname()[1]
    real_getaddrinfo = socket.getaddrinfo

    def fake_getaddrinfo(host, port, *args, **kwargs):
        if host[0].isdigit():
            return real_getaddrinfo(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(addresses.socket, "getaddrinfo", fake_getaddrinfo)
    # Not trusted: refused, although it is the right name.
    untrusted = sending.post(f"https://hooks.example.org:{port}/in", body=b"{}", headers={})
    assert untrusted.status_code is None and "certificate" in untrusted.error.lower()

    # Trusted, and asked for by its name (SNI), though the connection goes to 127.0.0.1.
    real_context = ssl.create_default_context

    def trusting():
        return real_context(cafile=str(cert))

    monkeypatch.setattr(sending.ssl, "create_default_context", trusting)
    trusted = sending.post(f"https://hooks.example.org:{port}/in", body=b"{}", headers={})
    # Trusted, but not for this name: refused.
    other = sending.post(f"https://other.example.org:{port}/in", body=b"{}", headers={})
    server.close()
    assert trusted.status_code == 200
    assert other.status_code is None and "hostname" in other.error.lower()
    assert asked == ["hooks.example.org", "hooks.example.org", "other.example.org"]
