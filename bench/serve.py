"""What the benchmarks serve the app with: a fresh database, the environment of a production
server with DEBUG off, gunicorn's sync workers on 127.0.0.1 and HAProxy in front of one or
more of them. Everything listens on 127.0.0.1 and is stopped by whoever started it."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def settle(database_url: str) -> float:
    """Write out what seeding left to write (PostgreSQL's ``CHECKPOINT``) before anything is
    measured, so that the checkpoint of a million rows' writes does not run during the first
    rounds; seconds it took (0 for SQLite)."""
    if not database_url.startswith("postgres"):
        return 0.0
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("CHECKPOINT")
    return time.perf_counter() - started


def fresh_database(database_url: str) -> None:
    if database_url.startswith("postgres"):
        fresh_postgres(database_url)
    else:
        Path(database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)


def environment(database_url: str, redis_url: str, scope: str = "") -> dict:
    """The settings a benchmark's processes run with; ``scope`` keeps their cache keys apart
    from another server's sharing the Redis database (another seeded database's)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="false",
        SECRET_KEY="bench-only-secret-key-" + "k" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=f"bench{os.getpid()}{scope}",
        # Posting measures the work of a post, not the rate limit's refusal (a small seed
        # leaves the reader a new member, whose rate is another).
        SCHOLIA_COMMENT_RATE="1000000000/60",
        SCHOLIA_NEW_MEMBER_COMMENT_RATE="1000000000/60",
        PYTHONPATH=str(ROOT),
    )
    return env


def start_gunicorn(
    port: int, workers: int, env: dict, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
) -> subprocess.Popen:
    """The project served as the benchmarks measure it: gunicorn's sync workers on 127.0.0.1.
    Its output, the request log among it (one JSON line a request, on with DEBUG off), is
    written and thrown away: the load's errors are counted by the load tool."""
    return subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "bench.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            # No control socket: its default path is one per user, shared with any other gunicorn.
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=stdout,
        stderr=stderr,
    )


def stop(process: subprocess.Popen | None) -> None:
    """Stop a server this run started (gunicorn stops its workers itself)."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def wait_until_up(base: str, server: subprocess.Popen, path: str = "bench/bare/") -> None:
    for _ in range(100):
        if server.poll() is not None:
            raise SystemExit("A server exited before serving; see its output above.")
        try:
            urllib.request.urlopen(base + path, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{base} did not answer within 20 s.")


HAPROXY_CONFIG = """global
    maxconn 4000

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout queue 60s
    # A poller's connection waits up to 20 s between its polls.
    timeout http-request 60s
    timeout http-keep-alive 60s

frontend www
    bind 127.0.0.1:%(front)d
    default_backend app

backend app
    balance roundrobin
    # As many requests at a time as each gunicorn has workers: the others wait here, so that
    # a sync worker never waits on a client (docs/deploy.md puts HAProxy in front likewise).
%(servers)s
"""


def haproxy_config(front: int, backs: list[int], workers: int) -> str:
    """HAProxy on 127.0.0.1:``front`` spreading requests over the app servers on ``backs``."""
    servers = "\n".join(
        f"    server app{n} 127.0.0.1:{port} maxconn {workers}"
        for n, port in enumerate(backs, start=1)
    )
    return HAPROXY_CONFIG % {"front": front, "servers": servers}


def haproxy_installed() -> bool:
    return bool(shutil.which("haproxy")) or Path("/usr/sbin/haproxy").is_file()


def start_haproxy(folder: Path, front: int, backs: list[int], workers: int) -> subprocess.Popen:
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).is_file():
        raise SystemExit("HAProxy is required: apt-get install haproxy")
    config = folder / f"haproxy-{front}.cfg"
    config.write_text(haproxy_config(front, backs, workers))
    subprocess.run([haproxy, "-c", "-q", "-f", str(config)], check=True, timeout=30)
    return subprocess.Popen([haproxy, "-db", "-f", str(config)], stdout=subprocess.DEVNULL)
