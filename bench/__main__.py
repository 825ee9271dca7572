"""One command: seed, serve with gunicorn on 127.0.0.1 (DEBUG off), load each page for a
bounded time with wrk, and print requests/s, p50 and p99 next to bare Django and bare DRF
views measured in the same run, each target's ratio to its baseline and whether it meets
issue 20's goal.

    .venv/bin/python -m bench [--seconds 1] [--rounds 10] [--comments 10000] [--json PATH]
    .venv/bin/python -m bench --large 1000000 --plans   # make bench-million

First it times the editor's path on a 5,000-paragraph draft in-process (upload, review,
discard, publish; ``bench.drafts``), then loads that draft's review page as its editor
(staff) with wrk; ``--drafts-only`` runs that part alone.

Then ``--comments`` and (with ``--large N``) N comments are seeded afresh, each in a database
of its own served by a gunicorn of its own, and:

- every target of ``bench.targets`` straight to gunicorn, each right after its baseline (the
  bare Django or DRF view), ``--rounds`` times at each size, the targets taking turns and the
  sizes alternating which goes first; each figure is its round of middle ratio to the
  baseline just before it: the two sizes are compared under the same moments of the
  machine, not a quarter of an hour apart, and the two halves of a ratio under the same
  second;
- then, for one size after the other: through HAProxy in front of that app server, then in
  front of two (a second gunicorn with as many workers): the reading page, anonymous and
  signed in (``--no-haproxy``: not);
- behind HAProxy with one app server, the signed-in reading page while 200 open discussions
  poll (``bench.live``'s pollers; ``--pollers 0``: not), against the same page alone, in
  ``--poll-rounds`` alternating rounds (the round of middle ratio);
- a one-word search, in-process, on a database of its own with as many comments
  (``bench.search``; PostgreSQL only; ``--no-search``: not).

At the end it prints every target at each number of comments, with its goal and three
flags (the goal met, p99 <= 3 x p50, the large run within 10% of the first), the run's
wall time, and writes all of it to ``--json`` (and ``bench/results/latest.json``).

By default it uses PostgreSQL (databases ``scholia_bench`` for the draft and
``scholia_bench_<comments>`` for each size, dropped and created afresh) and
Redis (db 14) at 127.0.0.1 when they answer, SQLite and the local-memory cache otherwise.
"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import NamedTuple

from bench import figures as bench_figures
from bench.live import (
    WARM_UP_SECONDS,
    _pollers_report,
    _prepare_polls,
    _start_pollers,
    poll_script,
)
from bench.load import WHY_NOT_PYTHON, Result, measure, wrk_installed
from bench.search import COMMON, RARE, STEADY
from bench.serve import (
    PYTHON,
    ROOT,
    answers,
    environment,
    free_port,
    fresh_database,
    haproxy_installed,
    settle,
    start_gunicorn,
    start_haproxy,
    stop,
    wait_until_up,
)
from bench.targets import (
    LIVE,
    READING_SIGNED_IN,
    SEARCH,
    SEARCH_COMMON,
    SEARCH_RARE,
    Target,
    balanced_targets,
    behind_haproxy,
    review_target,
    targets,
)

# A review page takes a second or more (five to ten on a busy machine): it is loaded with as
# many connections as workers, for --seconds or, if longer, the time of about ten answers
# (two minutes at most), and a request counts as timed out after a minute.
REVIEW_TIMEOUT = 60.0
REVIEW_ANSWERS = 10
REVIEW_MOST_SECONDS = 120.0


def review_seconds(seconds: float, one_answer: float, workers: int) -> float:
    """How long to load the review page: ``seconds``, or the time ``workers`` workers take
    to give about ``REVIEW_ANSWERS`` answers of ``one_answer`` seconds each if longer, at
    most ``REVIEW_MOST_SECONDS``."""
    enough = REVIEW_ANSWERS * one_answer / max(1, workers)
    return min(REVIEW_MOST_SECONDS, max(seconds, enough))


def _manage(env: dict, *command: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *command],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _warm(base: str, target: Target, requests: int = 21) -> int:
    """Request ``target`` a few times (templates, caches); the size of its answer."""
    size = 0
    for serial in range(requests):
        request = urllib.request.Request(
            base + target.path,
            headers={**target.headers, "Content-Type": "application/json"},
            data=(
                json.dumps(target.body).replace("{serial}", f"warm-{serial}").encode()
                if target.body
                else None
            ),
        )
        with urllib.request.urlopen(request, timeout=REVIEW_TIMEOUT) as response:
            size = size or len(response.read())
    return size


def _drafts(args, database_url: str, redis_url: str) -> tuple[dict, dict | None]:
    """Time the editor's path on a long draft (``bench.drafts``) in a fresh database, print
    its table; then load the review page of the draft it left with wrk. Its figures, and
    the review page's measurement (None with ``--no-review``)."""
    fresh_database(database_url)
    env = environment(database_url, redis_url)
    # The in-process client names its host "testserver".
    env["ALLOWED_HOSTS"] += ",testserver"
    for command in (("migrate", "--no-input"), ("collectstatic", "--no-input")):
        _manage(env, *command, "-v", "0")
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
            *(["--leave-draft"] if args.review else []),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout.strip()
    *table, line = output.splitlines()
    print("\n".join(table), flush=True)
    drafted = json.loads(line)
    if not args.review:
        return drafted, None
    target = review_target(drafted)
    drafted.pop("session_cookie")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = start_gunicorn(port, args.workers, env)
    try:
        wait_until_up(base, server)
        size = _warm(base, target, requests=1)
        timed = time.perf_counter()
        _warm(base, target, requests=1)
        seconds = review_seconds(args.seconds, time.perf_counter() - timed, args.workers)
        result = measure(
            base + target.path,
            seconds=seconds,
            connections=args.workers,
            headers=target.headers,
            python_client=args.python_client,
            timeout=REVIEW_TIMEOUT,
        )
    finally:
        stop(server)
    print(
        f"  measured {target.name} ({size / 1e6:.1f} MB, {args.workers} connections, "
        f"{seconds:.0f} s): "
        f"{result.requests_per_second:.1f} req/s, p50 {result.p50_ms:.0f} ms, "
        f"{result.requests} answered",
        flush=True,
    )
    review = bench_figures.figure(
        target.name,
        args.comments,
        result.__dict__,
        path=target.path,
        bytes=size,
        connections=args.workers,
        load_seconds=round(seconds, 1),
        paragraphs=drafted["revised_paragraphs"],
    )
    return drafted, review


def _seed(args, env: dict, comments: int) -> dict:
    print(f"seeding {comments:,} comments…", flush=True)
    started = time.perf_counter()
    output = subprocess.run(
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
    ).stdout
    seeded = json.loads(output.strip().splitlines()[-1])
    print(
        f"seeded {seeded['comments']:,} comments in {time.perf_counter() - started:.0f} s, one "
        f"thread of {seeded['thread_size']:,}; the signed-in reader wrote "
        f"{seeded['readers_comments']:,}, {seeded['readers_public_comments']:,} of them public",
        flush=True,
    )
    return seeded


def _load(
    args,
    base: str,
    target: Target,
    name: str | None = None,
    *,
    warm: int = 21,
    said: bool = True,
) -> tuple[Result, int]:
    """Load ``target`` for ``--seconds`` after ``warm`` requests (0: none); the result and
    the size of its answer (0 unwarmed)."""
    size = _warm(base, target, requests=warm) if warm else 0
    result = measure(
        base + target.path,
        seconds=args.seconds,
        connections=args.connections,
        headers=target.headers,
        body=target.body,
        python_client=args.python_client,
    )
    if said:
        errors = f" ({result.errors} errors)" if result.errors else ""
        print(
            f"  measured {name or target.name}: {result.requests_per_second:.0f} req/s{errors}",
            flush=True,
        )
    return result, size


# Before a target's later rounds a few requests are enough: the first warmed its templates,
# these rebuild what the round before (the posting target's comments) made stale.
LATER_WARM = 3


def _rounds(args, served: dict[int, "Served"]) -> dict[int, list[dict]]:
    """Each target loaded ``--rounds`` times at each number of comments, each time right
    after its baseline (the bare Django or DRF view, loaded as long), the targets taking
    turns and the sizes alternating which goes first. A target's figure is its round of
    middle ratio to the baseline just before it (``bench.figures.paired``), so that a slow
    moment of the shared machine falls on both halves of one ratio alike; a baseline's is
    its round of middle rate among all its loads at that size.

    Every round warms each target first (``_warm``): the posting target's comments of the
    round before made the pages stale, and a page measured as kept is measured kept, not
    with the first requests of the round rebuilding it together (a rebuild's cost is its
    own figure: a miss)."""
    rounds: dict[int, dict[str, list]] = {comments: {} for comments in served}
    bare: dict[int, dict[str, list[dict]]] = {comments: {} for comments in served}
    order = list(served)
    for round_number in range(args.rounds):
        warm = 21 if round_number == 0 else LATER_WARM
        for comments in order if round_number % 2 == 0 else order[::-1]:
            one = served[comments]
            baselines = {target.name: target for target in one.targets if target.kind is None}
            for target in one.targets:
                if target.kind is None:
                    continue
                baseline = baselines[bench_figures.BASELINES[target.kind]]
                before, size = _load(args, one.base, baseline, warm=warm, said=False)
                one.sizes.setdefault(baseline.name, size)
                bare[comments].setdefault(baseline.name, []).append(before.__dict__)
                result, size = _load(args, one.base, target, warm=warm, said=False)
                one.sizes.setdefault(target.name, size)
                rounds[comments].setdefault(target.name, []).append(
                    (result.__dict__, before.__dict__)
                )
                errors = f" ({result.errors} errors)" if result.errors else ""
                ratio = (
                    result.requests_per_second / before.requests_per_second
                    if before.requests_per_second
                    else 0.0
                )
                print(
                    f"  {comments:,}, round {round_number + 1}: {target.name}: "
                    f"{result.requests_per_second:.0f} req/s{errors}, "
                    f"{ratio:.3f} of {baseline.name.split(',')[0]}'s "
                    f"{before.requests_per_second:.0f}",
                    flush=True,
                )
    figures = {}
    for comments, one in served.items():
        figures[comments] = []
        for target in one.targets:
            if target.kind is None:
                each = bare[comments].get(target.name, [])
                if not each:
                    continue
                measured = {
                    **bench_figures.median_round(each),
                    "rounds_requests_per_second": [item["requests_per_second"] for item in each],
                }
            else:
                measured = bench_figures.paired(rounds[comments][target.name])
            figures[comments].append(
                bench_figures.figure(
                    target.name, comments, measured, kind=target.kind, path=target.path
                )
            )
    return figures


def _balanced(args, seeded: dict, env: dict, port: int, comments: int) -> list[dict]:
    """Through HAProxy: the reading page with one app server (the one on ``port``), the
    signed-in page again while open discussions poll, and the reading page with two app
    servers (a second gunicorn started for it)."""
    measured = []
    folder = Path(tempfile.mkdtemp(prefix="scholia-bench-haproxy-"))
    balancer = second = None
    try:
        balancer, base = _balancer(args, folder, [port])
        alone = _load_balanced(args, seeded, base, comments, 1, measured)
        if args.pollers and not args.python_client:
            measured.append(_polled(args, seeded, base, folder, alone[READING_SIGNED_IN], comments))
        elif args.pollers:
            print("  not measured: the pollers (they are wrk's; with --python-client, no wrk)")
        stop(balancer)

        port_2 = free_port()
        second = start_gunicorn(port_2, args.workers, env)
        wait_until_up(f"http://127.0.0.1:{port_2}/", second)
        balancer, base = _balancer(args, folder, [port, port_2])
        _load_balanced(args, seeded, base, comments, 2, measured)
    finally:
        stop(balancer)
        stop(second)
        shutil.rmtree(folder, ignore_errors=True)
    return measured


def _balancer(args, folder: Path, ports: list[int]):
    """HAProxy in front of the app servers on ``ports``, answering; and its address."""
    front = free_port()
    balancer = start_haproxy(folder, front, ports, args.workers)
    base = f"http://127.0.0.1:{front}/"
    wait_until_up(base, balancer)
    return balancer, base


def _load_balanced(
    args, seeded: dict, base: str, comments: int, servers: int, measured: list[dict]
) -> dict:
    """Each balanced target loaded through ``base`` (``servers`` app servers behind it),
    its figure added to ``measured``; the results by target name."""
    results = {}
    for target in balanced_targets(seeded):
        name = behind_haproxy(target.name, servers)
        result, size = _load(args, base, target, name)
        results[target.name] = result
        measured.append(
            bench_figures.figure(
                name,
                comments,
                result.__dict__,
                kind=target.kind,
                path=target.path,
                bytes=size,
                of=target.name,
            )
        )
    return results


def _polled(args, seeded: dict, base: str, folder: Path, alone: Result, comments: int) -> dict:
    """The signed-in reading page while ``--pollers`` open discussions poll every
    ``--poll-every`` seconds (``bench.live``), against the same page with nothing else
    running: ``--poll-rounds`` rounds, each the page alone and then with the pollers, and
    the slowdown of the round of middle ratio (polled over alone just before), so that the
    machine's drift falls on both alike (``alone``, the page's figure just before, is the
    first round's alone)."""
    cookie, reading = seeded["session_cookie"], seeded["reading_path"]
    polls = _prepare_polls(base, reading, cookie, args.pollers)
    script = poll_script(folder, polls, cookie, args.poll_every)
    span = WARM_UP_SECONDS + args.seconds + 2
    alone_rates, polled, said = [alone.requests_per_second], [], []
    for round_number in range(args.poll_rounds):
        if round_number:
            alone_rates.append(_page_alone(args, base, reading, cookie).requests_per_second)
        pollers = _start_pollers(base, script, args.pollers, span)
        try:
            time.sleep(WARM_UP_SECONDS)
            polled.append(_page_alone(args, base, reading, cookie))
        finally:
            said.append(_pollers_report(pollers, span))
    # Each round's polled page against the page alone just before it.
    middle = bench_figures.paired(
        [
            (each.__dict__, {"requests_per_second": rate})
            for each, rate in zip(polled, alone_rates, strict=True)
        ]
    )
    alone_rate = middle.pop("baseline_requests_per_second")
    slowdown = 1 - middle.pop("ratio") if alone_rate else None
    rounds_ratio = middle.pop("rounds_ratio")
    middle.pop("rounds_requests_per_second")
    print(
        f"  measured {LIVE}: {middle['requests_per_second']:.0f} req/s against {alone_rate:.0f} "
        f"alone just before (the round of middle ratio of {len(polled)}); pollers: "
        f"{'; '.join(said)}",
        flush=True,
    )
    return bench_figures.figure(
        LIVE,
        comments,
        middle,
        kind="html",
        path=reading.lstrip("/"),
        of=READING_SIGNED_IN,
        alone_requests_per_second=alone_rate,
        alone_rounds=alone_rates,
        polled_rounds=[each.requests_per_second for each in polled],
        slowdown=slowdown,
        rounds_slowdown=[round(1 - ratio, 4) for ratio in rounds_ratio],
        pollers=args.pollers,
        poll_every_seconds=args.poll_every,
        pollers_said="; ".join(said),
    )


def _page_alone(args, base: str, reading: str, cookie: str) -> Result:
    return measure(
        base + reading.lstrip("/"),
        seconds=args.seconds,
        connections=args.connections,
        headers={"Cookie": cookie},
    )


def _search(args, database_url: str, comments: int) -> tuple[list[dict], dict]:
    """A one-word search on a database of ``comments`` comments of its own
    (``bench.search``): its figures, and what it printed of the plans."""
    url = database_url + "_search"
    print(f"search: seeding {comments:,} comments in {url.rsplit('/', 1)[1]}…", flush=True)
    with tempfile.NamedTemporaryFile("r", suffix=".json") as out:
        subprocess.run(
            [PYTHON, "-m", "bench.search", "--comments", str(comments), "--database-url", url]
            + ["--runs", str(args.search_runs), "--json", out.name],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        found = json.load(out)
    measured = []
    for item in found["figures"]:
        # The word in as many comments at every size is the one compared between sizes; the
        # others' hits grow with the database.
        named = {STEADY: SEARCH, RARE: SEARCH_RARE, COMMON: SEARCH_COMMON}[item["query"]]
        name = named.format(reader=item["reader"])
        figure = bench_figures.figure(
            name,
            comments,
            {"p50_ms": item["p50_ms"], "p99_ms": item["p99_ms"], "tool": "in-process"},
            query=item["query"],
            hits=item["hits"],
            runs=item["runs"],
        )
        measured.append(figure)
        print(
            f"  measured {name}: p50 {item['p50_ms']:.1f} ms, p99 {item['p99_ms']:.1f} ms, "
            f"{item['hits']:,} hits",
            flush=True,
        )
    return measured, {"plans": found["plans"]}


class Served(NamedTuple):
    """One seeded database served by its own gunicorn."""

    comments: int
    env: dict
    seeded: dict
    database_url: str
    base: str
    port: int
    server: subprocess.Popen
    targets: list[Target]
    sizes: dict


def _sized(database_url: str, comments: int) -> str:
    """The database of the run with ``comments`` comments: each size has its own."""
    if database_url.startswith("sqlite"):
        return database_url.removesuffix(".sqlite3") + f"-{comments}.sqlite3"
    return f"{database_url}_{comments}"


def _prepare(args, database_url: str, redis_url: str, comments: int) -> tuple[dict, dict]:
    """Seed ``comments`` comments in a fresh database of their own: its environment (its own
    cache keys) and what the seed printed."""
    database_url = _sized(database_url, comments)
    fresh_database(database_url)
    env = environment(database_url, redis_url, scope=f"-{comments}")
    print()
    print(f"database: {database_url.split('@')[-1]}   cache: {redis_url or 'local memory'}")
    print("migrating and collecting static files…", flush=True)
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "collectstatic", "--no-input", "-v", "0")
    seeded = _seed(args, env, comments)
    if args.plans and database_url.startswith("postgres"):
        paths = {
            "/" + target.path: None
            for target in targets(seeded)
            if target.headers and target.body is None and "thread" not in target.name
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
    return env, seeded


def _runs(args, database_url: str, redis_url: str, sizes: list[int]) -> dict[int, dict]:
    """Seed every size's database, serve each with its own gunicorn, and measure every
    target at every size in alternating rounds (``_rounds``); then, one size after the
    other, HAProxy, the pollers, the queries and the search.
    {comments: {"figures": [...], "seeded": ..., "book_cache": ..., "search": ...}}."""
    prepared = {comments: _prepare(args, database_url, redis_url, comments) for comments in sizes}
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
    for env, _seeded in prepared.values():
        print(f"checkpoint after seeding: {settle(env['DATABASE_URL']):.1f} s", flush=True)
    served: dict[int, Served] = {}
    runs: dict[int, dict] = {}
    try:
        for comments, (env, seeded) in prepared.items():
            port = free_port()
            base = f"http://127.0.0.1:{port}/"
            server = start_gunicorn(port, args.workers, env)
            served[comments] = Served(
                comments, env, seeded, env["DATABASE_URL"], base, port, server, targets(seeded), {}
            )
            wait_until_up(base, server)
        print()
        print(f"loading every target at {' and '.join(f'{size:,}' for size in sizes)} comments…")
        figures = _rounds(args, served)
        for comments, one in served.items():
            runs[comments] = {"seeded": one.seeded, "figures": figures[comments]}
            if comments == sizes[0] and redis_url:
                runs[comments]["book_cache"] = _book_cache(
                    one.base, one.seeded["book_chapter_path"], one.env
                )
            if args.haproxy:
                if haproxy_installed():
                    print(f"through HAProxy, {comments:,} comments:", flush=True)
                    runs[comments]["figures"] += _balanced(
                        args, one.seeded, one.env, one.port, comments
                    )
                else:
                    print("  not measured through HAProxy: not installed (apt-get install haproxy)")
    finally:
        for one in served.values():
            stop(one.server)
    for comments, one in served.items():
        run = runs[comments]
        queries = _queries_per_request(one.env, one.seeded)
        for item in run["figures"]:
            # Through HAProxy, a target is the same request as straight to gunicorn.
            of = item.get("of", item["target"])
            item.setdefault("bytes", one.sizes.get(of))
            item["queries"] = queries.get(of)
        if args.search:
            if database_url.startswith("postgres"):
                found, run["search"] = _search(args, database_url, comments)
                run["figures"] += found
            else:
                print(
                    "  search not measured: it is PostgreSQL's (give a postgres:// --database-url)"
                )
    return runs


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


def _print_book_cache(book: dict) -> None:
    print(
        f"pages' cache in Redis after {book['comments']:,} comments on a chapter of the "
        f"book, each followed by an anonymous read of it and of another chapter: "
        f"{book['keys_after']:,} keys, {book['bytes_after'] / 1024:,.0f} KB (before: "
        f"{book['keys_before']:,} keys, {book['bytes_before'] / 1024:,.0f} KB); the other "
        f"chapter was served from the cache {book['other_chapter_hits']:,} times of "
        f"{book['comments']:,}"
    )


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=1.0, help="load time per target and round (wrk: whole s)"
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's, per app server")
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument(
        "--large",
        type=int,
        default=0,
        metavar="N",
        help="then seed N comments afresh and measure every target again",
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
        help="only the editor's path on a long draft (bench.drafts) and its review page",
    )
    parser.add_argument("--draft-paragraphs", type=int, default=5_000)
    parser.add_argument("--draft-rounds", type=int, default=3)
    parser.add_argument(
        "--review",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="load the long draft's review page, as its editor, with wrk",
    )
    parser.add_argument(
        "--haproxy",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="measure the reading page through HAProxy with one and two app servers",
    )
    parser.add_argument(
        "--pollers",
        type=int,
        default=200,
        help="open discussions polling while the signed-in page is loaded (0: not measured)",
    )
    parser.add_argument("--poll-every", type=float, default=15.0, help="seconds, on average")
    parser.add_argument(
        "--rounds",
        type=int,
        default=10,
        help="load every target this many times, each right after its baseline, the targets "
        "taking turns (the round of middle ratio)",
    )
    parser.add_argument(
        "--poll-rounds",
        type=int,
        default=10,
        help="rounds of the signed-in page alone, then with the pollers (middle ratio)",
    )
    parser.add_argument(
        "--search",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="time a one-word search on as many comments (bench.search; PostgreSQL)",
    )
    parser.add_argument("--search-runs", type=int, default=200)
    parser.add_argument(
        "--python-client",
        action="store_true",
        help="load with the Python client instead of wrk (its figures are off: it says why)",
    )
    parser.add_argument(
        "--json",
        metavar="PATH",
        help="write every figure, with its ratio, goal and flags, to PATH",
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL"))
    return parser.parse_args()


def refuse_python_client(python_client: bool, wrk: bool) -> str:
    """What to say before loading: why the Python client's figures are off when asked for
    it; a refusal (SystemExit) without wrk unless asked for."""
    if python_client:
        return f"Loading with the Python client, as asked. {WHY_NOT_PYTHON}"
    if not wrk:
        raise SystemExit(
            "wrk is the benchmark's load tool and is not installed (Debian: apt-get install "
            f"wrk). {WHY_NOT_PYTHON} To measure with it anyway: --python-client."
        )
    return ""


def main() -> None:
    args = _arguments()
    started, started_at = time.perf_counter(), datetime.datetime.now(datetime.UTC)
    load_before = os.getloadavg()
    # Only the editor's path in-process, with no review page, loads nothing.
    if not (args.drafts_only and not args.review):
        said = refuse_python_client(args.python_client, wrk_installed())
        if said:
            print(said, flush=True)

    database_url = args.database_url
    if not database_url:
        if answers("127.0.0.1", 5432):
            database_url = "postgres://postgres@127.0.0.1:5432/scholia_bench"
        else:
            (ROOT / "var").mkdir(exist_ok=True)
            database_url = f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
    redis_url = args.redis_url
    if redis_url is None:
        redis_url = "redis://127.0.0.1:6379/14" if answers("127.0.0.1", 6379) else ""

    drafts, review = _drafts(args, database_url, redis_url)
    measured = [review] if review else []
    runs = {}
    if not args.drafts_only:
        runs = _runs(
            args, database_url, redis_url, [args.comments] + ([args.large] if args.large else [])
        )
        for run in runs.values():
            measured += run["figures"]
    sizes = list(runs) or [args.comments]
    wall = time.perf_counter() - started
    tool = "python" if args.python_client else "wrk"

    print()
    print(
        f"{args.workers} gunicorn sync workers per app server, {args.connections} connections, "
        f"{args.seconds:g} s each, load by {tool}; ratio: to the bare Django view for pages, "
        "to the bare DRF view for the API, in the same run and with as many comments"
    )
    report = bench_figures.report(
        measured,
        sizes,
        command="python -m bench " + " ".join(sys.argv[1:]),
        started_at=started_at.isoformat(timespec="seconds"),
        wall_seconds=round(wall, 1),
        cores=os.cpu_count(),
        load_average_before=[round(value, 2) for value in load_before],
        load_average_after=[round(value, 2) for value in os.getloadavg()],
        tool=tool,
        seconds=args.seconds,
        connections=args.connections,
        workers=args.workers,
        drafts=drafts,
        book_cache=runs.get(args.comments, {}).get("book_cache"),
        search_plans={str(size): run.get("search") for size, run in runs.items()},
    )
    print("\n".join(bench_figures.table(report["targets"], sizes)))
    print(
        "goal?: issue 20's goal met at every size; p99?: p99 <= 3 x p50 at every size; "
        f"10%?: at {sizes[-1]:,} comments within 10% of {sizes[0]:,} (the ratio; a baseline's "
        "rate; a search's p50)"
    )
    if report["book_cache"]:
        _print_book_cache(report["book_cache"])
    print(f"the whole run took {wall / 60:.1f} minutes ({wall:.0f} s)")

    text = json.dumps(report, indent=2)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(text)
    if args.json:
        Path(args.json).write_text(text)
        print(f"every figure written to {args.json}")


if __name__ == "__main__":
    main()
