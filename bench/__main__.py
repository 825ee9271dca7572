"""One command: seed, serve with gunicorn on 127.0.0.1 (DEBUG off), load each page for a
bounded time, and print requests/s, p50 and p99 next to bare Django and bare DRF views
measured in the same run.

    .venv/bin/python -m bench [--seconds 10] [--comments 10000] [--database-url URL]
    .venv/bin/python -m bench --large 1000000    # then again with 1,000,000 comments

Before the load, it times the editor's path on a 5,000-paragraph draft (upload, review,
discard, publish; ``bench.drafts``); ``--drafts-only`` runs that part alone, in seconds.

With ``--large N``, a second run seeds N comments afresh (the signed-in reader then owns
N/200 + 1 of them, most not public) and measures the signed-in and group targets and the
baselines again, printed next to the first run's figures.

By default it uses PostgreSQL (database ``scholia_bench``, dropped and created afresh) and
Redis (db 14) at 127.0.0.1 when they answer, SQLite and the local-memory cache otherwise.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.load import WHY_NOT_PYTHON, measure, wrk_installed
from bench.targets import POSTING, targets

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
        # Posting measures the work of a post, not the rate limit's refusal.
        SCHOLIA_COMMENT_RATE="1000000000/60",
        PYTHONPATH=str(ROOT),
    )
    return env


def start_gunicorn(port: int, workers: int, env: dict, stdout=None) -> subprocess.Popen:
    """The project served as the benchmarks measure it: gunicorn's sync workers on 127.0.0.1."""
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
        ],
        cwd=ROOT,
        env=env,
        stdout=stdout,
    )


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


# What the large run measures again: the baselines, and what a signed-in reader costs.
LARGE_TARGETS = (
    "bare Django view, 50 KB HTML",
    "bare DRF view, small JSON",
    "reading page, signed in",
    "reading page, signed in, group layer",
    "API comment list, token",
    "API comment list, token, ?group=",
    POSTING,
)


def _fresh_database(database_url: str) -> None:
    if database_url.startswith("postgres"):
        _fresh_postgres(database_url)
    else:
        Path(database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)


def _drafts(args, database_url: str, redis_url: str) -> dict:
    """Time the editor's path on a long draft (``bench.drafts``) in a fresh database; print
    its table and return its figures."""
    _fresh_database(database_url)
    env = _environment(database_url, redis_url)
    # The in-process client names its host "testserver".
    env["ALLOWED_HOSTS"] += ",testserver"
    for command in (("migrate", "--no-input"), ("collectstatic", "--no-input")):
        subprocess.run([PYTHON, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True)
    print(f"timing the editor's path on a {args.draft_paragraphs:,}-paragraph draft…", flush=True)
    output = subprocess.run(
        [
            PYTHON,
            "-m",
            "bench.drafts",
            "--paragraphs",
            str(args.draft_paragraphs),
            "--rounds",
            str(args.draft_rounds),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout.strip()
    *table, figures = output.splitlines()
    print("\n".join(table), flush=True)
    return json.loads(figures)


def _run(args, database_url: str, redis_url: str, comments: int, only=None) -> tuple[dict, list]:
    """Seed ``comments`` comments in a fresh database, serve, and measure each target (those
    named in ``only``, if given): (what the seed printed, [(target, size, Result)], the
    queries of one request per target name)."""
    _fresh_database(database_url)
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
    print(f"seeding {comments:,} comments…", flush=True)
    started = time.perf_counter()
    seeded = json.loads(
        subprocess.run(
            [
                PYTHON,
                "-m",
                "bench.seed",
                "--comments",
                str(comments),
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
        f"seeded {seeded['comments']:,} comments in {time.perf_counter() - started:.0f} s, one "
        f"thread of {seeded['thread_size']:,}; the signed-in reader wrote "
        f"{seeded['readers_comments']:,}, {seeded['readers_public_comments']:,} of them public",
        flush=True,
    )

    if args.plans and database_url.startswith("postgres"):
        paths = {
            "/" + path: None
            for name, path, headers, _kind, body in targets(seeded)
            if headers and body is None and "thread" not in name and (only is None or name in only)
        }
        print(
            subprocess.run(
                [PYTHON, "-m", "bench.plans", *paths],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout,
            flush=True,
        )

    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    server = start_gunicorn(port, args.workers, env)
    results = []
    try:
        _wait_until_up(base, server)
        for target in targets(seeded):
            name, path, headers, _kind, body = target
            if only is not None and name not in only:
                continue
            size = 0
            for serial in range(21):
                request = urllib.request.Request(
                    base + path,
                    headers={**headers, "Content-Type": "application/json"},
                    data=(
                        json.dumps(body).replace("{serial}", f"warm-{serial}").encode()
                        if body
                        else None
                    ),
                )
                with urllib.request.urlopen(request, timeout=30) as response:
                    size = size or len(response.read())
            result = measure(
                base + path,
                seconds=args.seconds,
                connections=args.connections,
                headers=headers,
                body=body,
                python_client=args.python_client,
            )
            results.append((target, size, result))
            print(f"  measured {name}: {result.requests_per_second:.0f} req/s", flush=True)
        if only is None and redis_url:
            seeded["book_cache"] = _book_cache(base, seeded["book_chapter_path"], env)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return seeded, results, _queries_per_request(env, seeded)


def _queries_per_request(env: dict, seeded: dict) -> dict[str, int]:
    """The SQL queries one request of each target runs (``bench.profile --queries``: Django's
    test client on the seeded database, after the load)."""
    env = {**env, "ALLOWED_HOSTS": env["ALLOWED_HOSTS"] + ",testserver"}
    with tempfile.NamedTemporaryFile("w", suffix=".json") as seed_file:
        seed_file.write(json.dumps(seeded))
        seed_file.flush()
        output = subprocess.run(
            [PYTHON, "-m", "bench.profile", seed_file.name, "--queries"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _book_cache(base: str, chapter_path: str, env: dict) -> dict:
    """What 1,000 comments on a chapter of the book leave in Redis (``bench.book``)."""
    print("posting 1,000 comments on a chapter of the book, reading it after each…", flush=True)
    env = {**env, "SCHOLIA_COMMENT_RATE": "1000000/60", "SCHOLIA_NEW_MEMBER_HELD": "0"}
    output = subprocess.run(
        [PYTHON, "-m", "bench.book", base, chapter_path],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _ratios(results: list) -> dict[str, float]:
    """Each target's rate over its baseline's in the same run."""
    rates = {target.name: result.requests_per_second for target, _size, result in results}
    bare = {
        "html": rates["bare Django view, 50 KB HTML"],
        "api": rates["bare DRF view, small JSON"],
    }
    return {
        target.name: result.requests_per_second / bare[target.kind] if target.kind else 1.0
        for target, _size, result in results
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="load time per target")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument(
        "--large",
        type=int,
        default=0,
        metavar="N",
        help="then seed N comments afresh and measure the signed-in targets again",
    )
    parser.add_argument("--thread-size", type=int, default=1_000)
    parser.add_argument(
        "--plans",
        action="store_true",
        help="print PostgreSQL's plans of the signed-in targets' comment queries (bench.plans)",
    )
    parser.add_argument(
        "--drafts-only",
        action="store_true",
        help="only time the editor's path on a long draft (bench.drafts), then stop",
    )
    parser.add_argument("--draft-paragraphs", type=int, default=5_000)
    parser.add_argument("--draft-rounds", type=int, default=3)
    parser.add_argument(
        "--python-client",
        action="store_true",
        help="load with the Python client instead of wrk (its figures are off: it says why)",
    )
    parser.add_argument(
        "--json",
        metavar="PATH",
        help="write every figure (target, req/s, p50, p99, ratio, queries, tool) to PATH",
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL"))
    args = parser.parse_args()
    if args.python_client:
        print(f"Loading with the Python client, as asked. {WHY_NOT_PYTHON}", flush=True)
    elif not args.drafts_only and not wrk_installed():
        raise SystemExit(
            "wrk is the benchmark's load tool and is not installed (Debian: apt-get install "
            f"wrk). {WHY_NOT_PYTHON} To measure with it anyway: --python-client."
        )

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

    drafts = _drafts(args, database_url, redis_url)
    if args.drafts_only:
        return
    print()
    seeded, results, queries = _run(args, database_url, redis_url, args.comments)
    ratios = _ratios(results)
    print()
    print(
        f"{args.workers} gunicorn sync workers, {args.connections} connections, "
        f"{args.seconds:.0f} s each, load by {results[0][2].tool}, {args.comments:,} comments"
    )
    print(
        f"{'target':40} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7} {'KB':>6} {'SQL':>4}"
    )
    report: list[dict] = [{"target": "editor's path on a long draft", **drafts}]
    for (name, path, _headers, _kind, _body), size, result in results:
        errors = f"  ({result.errors} errors)" if result.errors else ""
        print(
            f"{name:40} {result.requests_per_second:8.0f} {result.p50_ms:8.1f} "
            f"{result.p99_ms:8.1f} {ratios[name]:7.2f} {size / 1024:6.0f} "
            f"{queries.get(name, 0):4d}{errors}"
        )
        report.append(
            {
                "target": name,
                "path": path,
                "comments": args.comments,
                "bytes": size,
                "ratio": ratios[name],
                "queries": queries.get(name, 0),
                **result.__dict__,
            }
        )
    print("ratio: to the bare Django view for pages, to the bare DRF view for the API")
    book = seeded.get("book_cache")
    if book:
        print(
            f"pages' cache in Redis after {book['comments']:,} comments on a chapter of the "
            f"book, each followed by an anonymous read of it and of another chapter: "
            f"{book['keys_after']:,} keys, {book['bytes_after'] / 1024:,.0f} KB (before: "
            f"{book['keys_before']:,} keys, {book['bytes_before'] / 1024:,.0f} KB); the other "
            f"chapter was served from the cache {book['other_chapter_hits']:,} times of "
            f"{book['comments']:,}"
        )
        report.append({"target": "pages' cache after comments on a chapter", **book})

    if args.large:
        print()
        _seeded, large, large_queries = _run(
            args, database_url, redis_url, args.large, only=LARGE_TARGETS
        )
        large_ratios = _ratios(large)
        first = {target.name: result for target, _size, result in results}
        small, big = f"{args.comments:,}", f"{args.large:,}"
        print()
        print(f"the same targets with {small} and with {big} comments (req/s, ratio to baseline)")
        print(f"{'target':40} {small:>15} {big:>15} {'change':>8}")
        for (name, path, _headers, _kind, _body), size, result in large:
            change = large_ratios[name] / ratios[name] - 1
            shown = f"{change:+8.0%}" if _kind else ""
            print(
                f"{name:40} {first[name].requests_per_second:8.0f} {ratios[name]:6.2f} "
                f"{result.requests_per_second:8.0f} {large_ratios[name]:6.2f} {shown}"
            )
            report.append(
                {
                    "target": name,
                    "path": path,
                    "comments": args.large,
                    "bytes": size,
                    "ratio": large_ratios[name],
                    "queries": large_queries.get(name, 0),
                    **result.__dict__,
                }
            )
        print("change: of the ratio to the baseline, from the first run to the large one")

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(report, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
        print(f"every figure written to {args.json}")


if __name__ == "__main__":
    main()
