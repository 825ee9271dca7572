"""What open discussions cost the readers: the reading page's requests/s alone, then while
200 open discussions poll for new comments (``commentary.pages.live``), in rounds that
alternate the two so that the machine's drift falls on both alike.

    .venv/bin/python -m bench.live [--pollers 200] [--poll-every 15] [--seconds 10]
                                   [--rounds 3] [--stress-every 1] [--database-url URL]

Seeds as ``make bench`` does (``bench.seed``), serves with gunicorn on 127.0.0.1 behind
HAProxy (as in production, docs/deploy.md: a poller waiting between its polls holds an
idle connection, which would hold a sync worker without a proxy in front), and loads the
reading page through it with wrk (16 connections) for ``--seconds``. The pollers are a second
wrk, one connection per open discussion, each on a paragraph of the chapter in turn, as the
signed-in reader, each sending the ETag its first poll got as If-None-Match, one poll every
``--poll-every`` seconds on average (spread at random from 2/3 to 4/3 of it, so that they do
not fire together; the first at a random moment of one period, so that their rate is steady
from the start) — the page's own rhythm, ``SCHOLIA_LIVE_POLL_SECONDS``. They start
before the page's load and run past it. ``--stress-every`` measures again with polls that
much more often (0: not). The pollers' wrk prints how many polls answered 304. The poll
endpoint is first loaded alone (answering 304) for its own rate, from which the share of
the servers' time the pollers take follows: a steadier figure than the difference of two
rates measured on a busy machine.

wrk and HAProxy are required (Debian: ``apt-get install wrk haproxy``). Everything listens
on 127.0.0.1 and every command is bounded in time.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.load import measure
from bench.serve import (
    PYTHON,
    ROOT,
    answers,
    environment,
    free_port,
    fresh_database,
    start_gunicorn,
    start_haproxy,
    wait_until_up,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/scholia_live_bench"
WARM_UP_SECONDS = 3  # pollers start this long before the page's load is measured

POLLER_SCRIPT = """
-- Open discussions polling with If-None-Match; made by bench/live.py.
local polls = {%(polls)s}
local cookie = "%(cookie)s"
local every = %(every_ms)d
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_modified = 0
  other = 0
  math.randomseed(os.time() + #threads * 7919)
end

function request()
  local poll = polls[math.random(#polls)]
  return wrk.format("GET", poll[1], {["If-None-Match"] = poll[2], ["Cookie"] = cookie})
end

-- Each connection's first poll comes at a random moment of one period, as if it had been
-- polling all along: the polls' rate is steady from the start, with no lull to wait out.
-- The first calls of a thread are its connections' first polls (they all connect at once).
local first_polls = %(first_polls)d
local started = 0

function delay()
  if started < first_polls then
    started = started + 1
    return math.random(0, every)
  end
  return math.random(math.floor(every * 2 / 3), math.floor(every * 4 / 3))
end

function response(status, headers, body)
  if status == 304 then
    not_modified = not_modified + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local unchanged, changed = 0, 0
  for _, thread in ipairs(threads) do
    unchanged = unchanged + thread:get("not_modified")
    changed = changed + thread:get("other")
  end
  io.write(string.format("polls answered 304: %%d, otherwise: %%d\\n", unchanged, changed))
end
"""


def _lua_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _prepare_polls(base: str, reading_path: str, cookie: str, count: int) -> list[tuple]:
    """(path, ETag) of ``count`` open discussions: the paragraphs of the reading page in turn,
    each after its first poll, as the page's poller makes it."""
    request = urllib.request.Request(base + reading_path.lstrip("/"), headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        html = response.read().decode()
    keys = list(dict.fromkeys(re.findall(r'data-discussion-toggle="([^"]+)"', html)))
    if not keys:
        raise SystemExit("No discussion toggles on the reading page: nothing to poll.")
    polls = []
    for number in range(count):
        live = f"{reading_path}p/{keys[number % len(keys)]}/discussion/live/"
        first = urllib.request.Request(f"{base}{live.lstrip('/')}?standalone=0")
        first.add_header("Cookie", cookie)
        with urllib.request.urlopen(first, timeout=30) as response:
            after = re.search(r"after=(\d+)", response.read().decode()).group(1)
            etag = response.headers["ETag"]
        path = f"{live}?after={after}&standalone=0"
        check = urllib.request.Request(base + path.lstrip("/"))
        check.add_header("Cookie", cookie)
        check.add_header("If-None-Match", etag)
        try:
            urllib.request.urlopen(check, timeout=30)
            raise SystemExit(f"{path} answered 200 to its own ETag: the pollers would not 304.")
        except urllib.error.HTTPError as error:
            if error.code != 304:
                raise
        polls.append((path, etag))
    return polls


def _poller_threads(pollers: int) -> int:
    return min(2, pollers)


def _start_pollers(base: str, script: Path, pollers: int, seconds: float) -> subprocess.Popen:
    threads = _poller_threads(pollers)
    command = ["wrk", f"-t{threads}", f"-c{pollers}", f"-d{round(seconds)}s", "-s", str(script)]
    return subprocess.Popen(
        [*command, base], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def _pollers_report(process: subprocess.Popen, seconds: float) -> str:
    try:
        output, _ = process.communicate(timeout=seconds + 30)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output or "")
    answered = re.search(r"polls answered 304: (\d+), otherwise: (\d+)", output or "")
    if not rate or not answered:
        return f"(pollers' wrk said: {output!r})"
    return f"{float(rate.group(1)):.1f} polls/s, {answered.group(1)} answered 304, " + (
        f"{answered.group(2)} otherwise"
    )


def poll_script(folder: Path, polls: list[tuple], cookie: str, every: float) -> Path:
    """The pollers' wrk script: each connection polls one of ``polls`` (path, ETag) every
    ``every`` seconds on average, as the signed-in reader of ``cookie``."""
    script = folder / f"poll-{every:g}.lua"
    script.write_text(
        POLLER_SCRIPT
        % {
            "polls": ", ".join(
                f'{{"{_lua_string(path)}", "{_lua_string(etag)}"}}' for path, etag in polls
            ),
            "cookie": _lua_string(cookie),
            "every_ms": int(every * 1000),
            # wrk gives each of its threads an equal share of the connections.
            "first_polls": -(-len(polls) // _poller_threads(len(polls))),
        }
    )
    return script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pollers", type=int, default=200)
    parser.add_argument("--poll-every", type=float, default=15.0, help="seconds, on average")
    parser.add_argument("--stress-every", type=float, default=1.0, help="0: no stress rounds")
    parser.add_argument("--seconds", type=float, default=10.0, help="the page's load time")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL"))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is required: apt-get install wrk")

    database_url = args.database_url or DEFAULT_URL
    redis_url = args.redis_url
    if redis_url is None:
        redis_url = "redis://127.0.0.1:6379/14" if answers("127.0.0.1", 6379) else ""
    env = environment(database_url, redis_url)
    fresh_database(database_url)

    def manage(*command: str) -> None:
        subprocess.run(
            [PYTHON, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True, timeout=600
        )

    print(f"database: {database_url.split('@')[-1]}   cache: {redis_url or 'local memory'}")
    manage("migrate", "--no-input")
    manage("collectstatic", "--no-input")
    print(f"seeding {args.comments:,} comments…", flush=True)
    seeded = subprocess.run(
        [PYTHON, "-m", "bench.seed", "--comments", str(args.comments)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=1800,
    ).stdout.strip()
    seeded = json.loads(seeded.splitlines()[-1])
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()

    port = free_port()
    front = free_port()
    base = f"http://127.0.0.1:{front}/"
    folder = Path(tempfile.mkdtemp(prefix="scholia-bench-live-"))
    balancer = start_haproxy(folder, front, [port], args.workers)
    # stdout is the request log, one line a request.
    server = start_gunicorn(port, args.workers, env, stdout=subprocess.DEVNULL)
    cookie = seeded["session_cookie"]
    reading = seeded["reading_path"]
    targets = [("reading page, anonymous", {}), ("reading page, signed in", {"Cookie": cookie})]
    rhythms = [
        ("alone", 0.0),
        (f"{args.pollers} polling every {args.poll_every:g} s", args.poll_every),
    ]
    if args.stress_every:
        rhythms.append((f"{args.pollers} polling every {args.stress_every:g} s", args.stress_every))
    rates: dict[tuple[str, str], list[float]] = {}
    try:
        wait_until_up(base, server)
        polls = _prepare_polls(base, reading, cookie, args.pollers)
        print(f"{len(polls)} open discussions prepared; each first poll answered 304 to its ETag")
        # What one poll costs: the endpoint's own rate, alone, answering 304.
        path, etag = polls[0]
        capacity = measure(
            base + path.lstrip("/"),
            seconds=args.seconds,
            connections=args.connections,
            headers={"Cookie": cookie, "If-None-Match": etag},
        ).requests_per_second
        print(f"the poll alone, answering 304: {capacity:.0f} req/s", flush=True)
        for _name, headers in targets:
            for _ in range(20):
                request = urllib.request.Request(base + reading.lstrip("/"), headers=headers)
                urllib.request.urlopen(request, timeout=30).read()
        for round_number in range(1, args.rounds + 1):
            for rhythm, every in rhythms:
                pollers = None
                if every:
                    script = poll_script(folder, polls, cookie, every)
                    span = WARM_UP_SECONDS + len(targets) * (args.seconds + 2) + 2
                    pollers = _start_pollers(base, script, args.pollers, span)
                    time.sleep(WARM_UP_SECONDS)
                for name, headers in targets:
                    result = measure(
                        base + reading.lstrip("/"),
                        seconds=args.seconds,
                        connections=args.connections,
                        headers=headers,
                    )
                    rates.setdefault((name, rhythm), []).append(result.requests_per_second)
                    errors = f" ({result.errors} errors)" if result.errors else ""
                    print(
                        f"  round {round_number}, {name}, {rhythm}: "
                        f"{result.requests_per_second:.0f} req/s{errors}",
                        flush=True,
                    )
                if pollers is not None:
                    print(f"    pollers: {_pollers_report(pollers, span)}", flush=True)
    finally:
        server.terminate()
        balancer.terminate()
        server.wait(timeout=30)
        balancer.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)

    print()
    print(
        f"{args.workers} gunicorn sync workers, {args.connections} connections on the page, "
        f"{args.seconds:.0f} s each, median of {args.rounds} rounds, {args.comments:,} comments"
    )
    print(f"{'target':28} {'pollers':28} {'req/s':>8} {'change':>8}")
    for name, _headers in targets:
        alone = statistics.median(rates[(name, "alone")])
        for rhythm, _every in rhythms:
            rate = statistics.median(rates[(name, rhythm)])
            change = "" if rhythm == "alone" else f"{rate / alone - 1:+8.1%}"
            print(f"{name:28} {rhythm:28} {rate:8.0f} {change:>8}")
    print("change: of the median req/s, to the same page's with no pollers")
    print(
        f"the poll alone answered {capacity:.0f} req/s: {args.pollers} polls every "
        f"{args.poll_every:g} s ({args.pollers / args.poll_every:.1f}/s) take "
        f"{args.pollers / args.poll_every / capacity:.1%} of the servers' time"
        + (
            f", every {args.stress_every:g} s {args.pollers / args.stress_every / capacity:.0%}"
            if args.stress_every
            else ""
        )
    )


if __name__ == "__main__":
    sys.exit(main())
