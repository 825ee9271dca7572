"""One command: seed, serve with gunicorn on 127.0.0.1 (DEBUG off), load each page for a
bounded time, and print requests/s, p50 and p99 next to bare Django and bare DRF views
measured in the same run.

    .venv/bin/python -m bench [--seconds 10] [--comments 10000] [--database-url URL]

By default it uses PostgreSQL (database ``scholia_bench``, dropped and created afresh) and
Redis (db 14) at 127.0.0.1 when they answer, SQLite and the local-memory cache otherwise.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.load import measure

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fresh_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _environment(database_url: str, redis_url: str) -> dict:
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
        CACHE_KEY_PREFIX=f"bench{os.getpid()}",
        PYTHONPATH=str(ROOT),
    )
    return env


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    for _ in range(100):
        if server.poll() is not None:
            raise SystemExit("gunicorn exited before serving; see its output above.")
        try:
            urllib.request.urlopen(base + "bench/bare/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 20 s.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="load time per target")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--thread-size", type=int, default=1_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL"))
    args = parser.parse_args()

    database_url = args.database_url
    if not database_url:
        if _answers("127.0.0.1", 5432):
            database_url = "postgres://postgres@127.0.0.1:5432/scholia_bench"
        else:
            (ROOT / "var").mkdir(exist_ok=True)
            database_url = f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
    redis_url = args.redis_url
    if redis_url is None:
        redis_url = "redis://127.0.0.1:6379/14" if _answers("127.0.0.1", 6379) else ""

    if database_url.startswith("postgres"):
        _fresh_postgres(database_url)
    else:
        Path(database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    env = _environment(database_url, redis_url)

    def manage(*command: str) -> str:
        return subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    print(f"database: {database_url.split('@')[-1]}   cache: {redis_url or 'local memory'}")
    print("migrating and collecting static files…", flush=True)
    manage("migrate", "--no-input", "-v", "0")
    manage("collectstatic", "--no-input", "-v", "0")
    print(f"seeding {args.comments} comments…", flush=True)
    seeded = json.loads(
        subprocess.run(
            [
                PYTHON,
                "-m",
                "bench.seed",
                "--comments",
                str(args.comments),
                "--thread-size",
                str(args.thread_size),
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
    print(
        f"seeded {seeded['comments']} comments, one thread of {seeded['thread_size']}",
        flush=True,
    )

    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "bench.wsgi:application",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    signed_in = {"Cookie": seeded["session_cookie"]}
    token = {"Authorization": f"Bearer {seeded['token']}"}
    root = seeded["thread_root"]
    targets = [
        ("bare Django view, 50 KB HTML", "bench/bare/", {}, None),
        ("bare DRF view, small JSON", "bench/bare-drf/", {}, None),
        ("reading page, anonymous", seeded["reading_path"][1:], {}, "html"),
        ("reading page, signed in", seeded["reading_path"][1:], signed_in, "html"),
        ("1,000-comment thread page, anonymous", seeded["thread_path"][1:], {}, "html"),
        ("1,000-comment thread page, signed in", seeded["thread_path"][1:], signed_in, "html"),
        ("API comment list, anonymous", "api/v1/comments/?work=october-1917", {}, "api"),
        ("API comment list, token", "api/v1/comments/?work=october-1917", token, "api"),
        ("API thread of 1,000, anonymous", f"api/v1/comments/{root}/thread/", {}, "api"),
        ("API thread of 1,000, token", f"api/v1/comments/{root}/thread/", token, "api"),
    ]
    results = []
    try:
        _wait_until_up(base, server)
        for name, path, headers, _ in targets:
            request = urllib.request.Request(base + path, headers=headers)
            with urllib.request.urlopen(request, timeout=30) as response:
                size = len(response.read())
            for _ in range(20):
                urllib.request.urlopen(request, timeout=30).read()
            result = measure(
                base + path,
                seconds=args.seconds,
                connections=args.connections,
                headers=headers,
            )
            results.append((name, path, size, result))
            print(f"  measured {name}: {result.requests_per_second:.0f} req/s", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)

    bare = {"html": results[0][3].requests_per_second, "api": results[1][3].requests_per_second}
    print()
    print(
        f"{args.workers} gunicorn sync workers, {args.connections} connections, "
        f"{args.seconds:.0f} s each, load by {results[0][3].tool}"
    )
    print(f"{'target':38} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7} {'KB':>6}")
    report = []
    for (name, path, size, result), (_, _, _, kind) in zip(results, targets, strict=True):
        ratio = result.requests_per_second / bare[kind] if kind else 1.0
        errors = f"  ({result.errors} errors)" if result.errors else ""
        print(
            f"{name:38} {result.requests_per_second:8.0f} {result.p50_ms:8.1f} "
            f"{result.p99_ms:8.1f} {ratio:7.2f} {size / 1024:6.0f}{errors}"
        )
        report.append(
            {"target": name, "path": path, "bytes": size, "ratio": ratio, **result.__dict__}
        )
    print("ratio: to the bare Django view for pages, to the bare DRF view for the API")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
