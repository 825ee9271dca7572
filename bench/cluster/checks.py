"""The cluster test's five checks, against a running cluster (``bench.cluster.machines``).

1. Two servers agree: a comment posted through one is read through the other at once; a
   session made on one is valid on the other; a rate limit counts across both; a version
   published on one expires the other's cached pages.
2. One app server is killed under a steady mixed load and brought back: no accepted write
   is lost or duplicated (the writers use ``Idempotency-Key`` and retry), and the only
   errors are the requests in flight on the killed server.
3. The pages' Redis, then the counters' Redis, stops for 10 s under load: no 5xx, no write
   lost, pages served uncached meanwhile, cached again once it is back, with no restart.
4. The primary restarts under load: writes answer 503 with ``Retry-After`` while it is down,
   reads go on from the replica, nothing accepted is lost, the app recovers by itself.
5. Requests/s through HAProxy with one and with two app servers, for the anonymous and the
   signed-in reading page (figures, not assertions: wrk's errors there are its 2 s
   timeouts on a busy machine, which the other checks' own loads would catch as failures).

Each check prints what it saw; a failed assertion fails that check and the run goes on.
"""

import os
import re
import signal
import threading
import time
import traceback
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests

from bench.cluster import machines
from bench.cluster.machines import Cluster
from bench.load import measure

COMMENTS = "/api/v1/comments/"
WRITERS = 4
READERS = 4


def say(text: str) -> None:
    print(f"  {text}", flush=True)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def comment_payload(cluster: Cluster, body: str) -> dict:
    return {"work": cluster.seeded["work"], "paragraph": cluster.seeded["paragraph"], "body": body}


def stored_bodies(cluster: Cluster, prefix: str) -> Counter:
    """How many comments the primary holds with each body starting with ``prefix``."""
    with psycopg.connect(cluster.primary_url.replace("postgres://", "postgresql://")) as db:
        rows = db.execute(
            "SELECT body FROM commentary_comment WHERE body LIKE %s", [prefix + "%"]
        ).fetchall()
    return Counter(body for (body,) in rows)


# The load ---------------------------------------------------------------------------------


@dataclass
class Answer:
    at: float
    kind: str
    status: int  # 0: no answer (connection failed)
    retry_after: str | None = None
    page_cache: str | None = None


@dataclass
class Load:
    """Writers posting comments with an Idempotency-Key (retrying each key until it is
    accepted) and readers reading the reading page, anonymous and signed in, through
    HAProxy, until ``stop`` is set."""

    cluster: Cluster
    label: str
    answers: list[Answer] = field(default_factory=list)
    accepted: dict[str, str] = field(default_factory=dict)  # key -> body
    given_up: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    started: float = field(default_factory=time.monotonic)

    def _record(self, kind: str, response: requests.Response | None) -> Answer:
        if response is None:
            answer = Answer(time.monotonic() - self.started, kind, 0)
        else:
            answer = Answer(
                time.monotonic() - self.started,
                kind,
                response.status_code,
                response.headers.get("Retry-After"),
                response.headers.get("X-Page-Cache"),
            )
        self.answers.append(answer)
        return answer

    def _writer(self, n: int) -> None:
        http = requests.Session()
        headers = bearer(self.cluster.seeded["writer_token"])
        sequence = 0
        while not self.stop.is_set():
            sequence += 1
            key = uuid.uuid4().hex
            body = f"{self.label}-{n}-{sequence}-{key[:8]}"
            # Retry the same key until it is accepted; a write cut short by the stop is
            # retried for a while after it, so every key ends accepted or given up.
            deadline = None
            while True:
                try:
                    response = http.post(
                        self.cluster.base_url + COMMENTS,
                        json=comment_payload(self.cluster, body),
                        headers={**headers, "Idempotency-Key": key},
                        timeout=10,
                    )
                except requests.RequestException:
                    response = None
                answer = self._record("write", response)
                if answer.status == 201:
                    self.accepted[key] = body
                    break
                if self.stop.is_set():
                    deadline = deadline or time.monotonic() + 20
                    if time.monotonic() > deadline:
                        self.given_up.append(body)
                        break
                time.sleep(min(float(answer.retry_after or 0.2), 1.0))
            time.sleep(0.05)

    def _reader(self, n: int) -> None:
        http = requests.Session()
        signed_in = n % 2 == 1
        headers = {"Cookie": self.cluster.seeded["reader_cookie"]} if signed_in else {}
        kind = "read signed in" if signed_in else "read anonymous"
        url = self.cluster.base_url + self.cluster.seeded["reading_path"]
        while not self.stop.is_set():
            try:
                response = http.get(url, headers=headers, timeout=10)
            except requests.RequestException:
                response = None
            self._record(kind, response)
            time.sleep(0.02)

    def __enter__(self) -> "Load":
        self.threads = [threading.Thread(target=self._writer, args=(n,)) for n in range(WRITERS)]
        self.threads += [threading.Thread(target=self._reader, args=(n,)) for n in range(READERS)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def now(self) -> float:
        return time.monotonic() - self.started

    def between(self, start: float, end: float, kind: str = "") -> list[Answer]:
        return [a for a in self.answers if start <= a.at < end and a.kind.startswith(kind)]

    def summary(self) -> str:
        statuses = Counter((a.kind, a.status) for a in self.answers)
        return ", ".join(
            f"{kind} {status}: {count}" for (kind, status), count in sorted(statuses.items())
        )

    def assert_no_write_lost_or_duplicated(self) -> None:
        stored = stored_bodies(self.cluster, self.label + "-")
        lost = [body for body in self.accepted.values() if stored[body] == 0]
        duplicated = {body: count for body, count in stored.items() if count > 1}
        unanswered = [body for body in stored if body not in self.accepted.values()]
        say(
            f"writes accepted: {len(self.accepted)}, stored: {sum(stored.values())}, "
            f"lost: {len(lost)}, duplicated: {len(duplicated)}, stored without a 201: "
            f"{len(unanswered)}, given up: {len(self.given_up)}"
        )
        assert not lost, f"accepted writes missing: {lost[:5]}"
        assert not duplicated, f"writes stored twice: {list(duplicated)[:5]}"
        assert not unanswered, f"writes stored behind an error: {unanswered[:5]}"
        assert not self.given_up, f"writes never accepted: {self.given_up[:5]}"


# 1. Two servers agree ------------------------------------------------------------------------


def check_servers_agree(cluster: Cluster) -> None:
    one, other = cluster.app_url(0), cluster.app_url(1)
    seeded = cluster.seeded

    # A comment posted through one is read through the other at once: by its author (pinned
    # to the primary by their token, on both servers) and by anybody (the replica).
    writer = bearer(seeded["writer_token"])
    posted = requests.post(
        one + COMMENTS,
        json=comment_payload(cluster, "Posted through app1."),
        headers=writer,
        timeout=10,
    )
    assert posted.status_code == 201, posted.text
    comment = posted.json()["id"]
    read = requests.get(f"{other}{COMMENTS}{comment}/", headers=writer, timeout=10)
    assert read.status_code == 200 and read.json()["body"] == "Posted through app1.", read.text
    started = time.monotonic()
    while requests.get(f"{other}{COMMENTS}{comment}/", timeout=10).status_code != 200:
        assert time.monotonic() - started < 5, "the replica did not show the comment in 5 s"
        time.sleep(0.01)
    say(
        f"comment {comment} posted through app1: read by its author through app2 at once, "
        f"by an anonymous reader (replica) after {1000 * (time.monotonic() - started):.0f} ms"
    )

    # A session made on one is valid on the other.
    browser = requests.Session()
    form = browser.get(f"{one}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    signed = browser.post(
        f"{one}/accounts/login/",
        data={
            "csrfmiddlewaretoken": token,
            "login": seeded["reader"]["username"],
            "password": seeded["reader"]["password"],
        },
        headers={"Referer": f"{one}/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )
    assert signed.status_code == 302, signed.status_code
    cookie = {"sessionid": browser.cookies["sessionid"]}
    settings_page = f"{other}/settings/profile/"
    assert requests.get(settings_page, cookies=cookie, allow_redirects=False, timeout=10).ok
    assert requests.get(settings_page, allow_redirects=False, timeout=10).status_code == 302
    say("signed in through app1's form: app2 knows the session")

    # A rate limit counts across both (5 comments a minute in the cluster's settings).
    limited = bearer(seeded["limited_token"])
    statuses = []
    for n in range(6):
        server = (one, other)[n % 2]
        response = requests.post(
            server + COMMENTS,
            json=comment_payload(cluster, f"Rate {n}."),
            headers=limited,
            timeout=10,
        )
        statuses.append(response.status_code)
    assert statuses == [201] * 5 + [429], statuses
    say(f"rate limit 5/60 s, posts alternating app1/app2: {statuses}")

    # A version published on one expires the other's cached pages.
    reading = other + seeded["reading_path"]
    requests.get(reading, timeout=10)
    cached = requests.get(reading, timeout=10)
    assert cached.headers.get("X-Page-Cache") == "hit", cached.headers
    assert "Version 1, published" in cached.text
    editor = requests.Session()
    name, value = seeded["editor_cookie"].split("=", 1)
    editor.cookies.set(name, value)
    review_path = f"/works/{seeded['work']}/v/{seeded['draft']}/review/"
    review = editor.get(one + review_path, timeout=30)
    publish = re.search(
        r'<form method="post" action="([^"]+/publish/)">(.*?)</form>', review.text, re.S
    )
    fields = dict(
        re.findall(r'name="(csrfmiddlewaretoken|checksum)" value="([^"]+)"', publish.group(2))
    )
    published = editor.post(
        one + publish.group(1),
        data=fields,
        headers={"Referer": one + review_path},
        allow_redirects=False,
        timeout=60,
    )
    assert published.status_code == 302, published.status_code
    fresh = requests.get(reading, timeout=10)
    assert fresh.headers.get("X-Page-Cache") == "miss", fresh.headers
    assert f"Version {seeded['draft']}, published" in fresh.text
    say(
        f"app2's cached reading page (a hit) is a miss showing version {seeded['draft']} "
        "once app1 published it"
    )


# 2. An app server killed under load -------------------------------------------------------


def check_app_server_killed(cluster: Cluster) -> None:
    with Load(cluster, "kill") as load:
        time.sleep(4)
        killed_at = load.now()
        machines.kill(cluster, "app1", signal.SIGKILL)
        say(f"app1 killed (SIGKILL) at {killed_at:.1f} s")
        time.sleep(5)
        states = machines.haproxy_servers_up(cluster)
        assert states["app1"].startswith("DOWN"), states
        restarted_at = load.now()
        machines.app_start(cluster, cluster.apps[0])
        machines.wait_until(
            lambda: machines.haproxy_servers_up(cluster)["app1"] == "UP", "app1 UP again", 20
        )
        say(f"app1 restarted at {restarted_at:.1f} s, UP again at {load.now():.1f} s")
        time.sleep(4)
    say(load.summary())
    failed = [a for a in load.answers if a.status == 0 or a.status >= 500]
    say(
        f"failed answers: {len(failed)} at "
        + ", ".join(f"{a.at:.2f} s ({a.status})" for a in failed)
    )
    # Only the requests in flight on app1 when it died: at most one per client, all at once.
    assert len(failed) <= WRITERS + READERS, failed
    assert all(killed_at <= a.at <= killed_at + 2 for a in failed), failed
    after = load.between(restarted_at, load.now())
    assert after and all(a.status < 500 for a in after)
    load.assert_no_write_lost_or_duplicated()


# 3. Each Redis stopped for 10 s -------------------------------------------------------------


def _redis_outage(cluster: Cluster, name: str, port: int, policy: str) -> None:
    listen = ["127.0.0.1"] + sorted({app.services for app in cluster.apps} - {"127.0.0.1"})
    with Load(cluster, name) as load:
        time.sleep(2)
        down_at = load.now()
        machines.kill(cluster, name)
        time.sleep(10)
        machines.redis_start(cluster, name, port, listen, policy)
        up_at = load.now()
        # Recovery without a restart: the anonymous reading page is cached again.
        url = cluster.base_url + cluster.seeded["reading_path"]
        deadline = time.monotonic() + 15
        while requests.get(url, timeout=10).headers.get("X-Page-Cache") != "hit":
            assert time.monotonic() < deadline, "pages were not cached again within 15 s"
            time.sleep(0.2)
        recovered_at = load.now()
    say(
        f"{name} stopped at {down_at:.1f} s, back at {up_at:.1f} s; pages cached again at "
        f"{recovered_at:.1f} s"
    )
    say(load.summary())
    errors = [a for a in load.answers if a.status == 0 or a.status >= 500]
    assert not errors, errors[:5]
    during = load.between(down_at + 1.5, up_at, "read anonymous")
    assert during, "no anonymous read during the outage"
    assert all(a.page_cache != "hit" for a in during), "a cached page was served meanwhile"
    say(f"anonymous reads during the outage: {len(during)}, all served uncached")
    load.assert_no_write_lost_or_duplicated()


def check_redis_outages(cluster: Cluster) -> None:
    _redis_outage(cluster, "redis-pages", machines.PAGES_REDIS_PORT, "allkeys-lru")
    _redis_outage(cluster, "redis-counters", machines.COUNTERS_REDIS_PORT, "noeviction")


# 4. The primary restarted ------------------------------------------------------------------


def check_primary_restart(cluster: Cluster) -> None:
    primary = Path(cluster.databases[0])
    with Load(cluster, "primary") as load:
        time.sleep(3)
        down_at = load.now()
        machines.postgres_stop(primary)
        ready = requests.get(cluster.base_url + "/readyz", timeout=10).json()
        time.sleep(6)
        up_at = load.now()
        machines.postgres_start(cluster, primary, machines.PRIMARY_PORT)
        time.sleep(6)
    say(
        f"primary stopped at {down_at:.1f} s, started again at {up_at:.1f} s; "
        f"readyz meanwhile: {ready['status']}, {ready['checks']}"
    )
    say(load.summary())
    assert ready["checks"]["primary"] == "down" and ready["status"] == "ready"
    writes_down = load.between(down_at + 0.5, up_at, "write")
    refused = [a for a in writes_down if a.status != 201]
    assert refused, "no write was refused while the primary was down"
    assert all(a.status == 503 and a.retry_after for a in refused), {
        (a.status, a.retry_after) for a in refused
    }
    say(
        f"writes while down: {len(refused)} answered 503 with Retry-After "
        f"{sorted({a.retry_after for a in refused})}"
    )
    reads_down = load.between(down_at + 0.5, up_at, "read")
    assert reads_down and all(a.status == 200 for a in reads_down), Counter(
        a.status for a in reads_down
    )
    signed_in = [a for a in reads_down if a.kind == "read signed in"]
    say(
        f"reads while down: {len(reads_down)}, all 200 ({len(signed_in)} signed in, from "
        "the replica)"
    )
    recovered = [a for a in load.between(up_at, load.now(), "write") if a.status == 201]
    assert recovered, "no write accepted after the primary came back"
    say(f"first write accepted {recovered[0].at - up_at:.1f} s after the primary started")
    errors = [a for a in load.answers if a.status == 0 or (a.status >= 500 and a.status != 503)]
    assert not errors, errors[:5]
    load.assert_no_write_lost_or_duplicated()
    # The task worker came back too: an export (always a background task in the cluster)
    # is written within seconds.
    writer = bearer(cluster.seeded["writer_token"])
    asked = requests.post(cluster.base_url + "/api/v1/account/exports/", headers=writer, timeout=10)
    assert asked.status_code == 202, asked.status_code
    started = time.monotonic()
    while requests.get(asked.json()["url"], headers=writer, timeout=10).json()["status"] != "ready":
        assert time.monotonic() - started < 30, "the task worker did not write the export"
        time.sleep(0.5)
    say(
        "a data export asked for after the restart was written by the worker in "
        f"{time.monotonic() - started:.1f} s"
    )


# 5. The figures -----------------------------------------------------------------------------


def check_figures(cluster: Cluster, seconds: float = 8) -> dict:
    url = cluster.base_url + cluster.seeded["reading_path"]
    signed_in = {"Cookie": cluster.seeded["reader_cookie"]}
    figures = {}
    # The figures mean little on a busy machine: say how busy it was.
    say("load average before: " + " ".join(f"{n:.1f}" for n in os.getloadavg()))
    for servers in (1, 2):
        if servers == 1:
            machines.haproxy_command(cluster, "disable server app/app2")
        else:
            machines.haproxy_command(cluster, "enable server app/app2")
            machines.wait_until(
                lambda: set(machines.haproxy_servers_up(cluster).values()) == {"UP"},
                "app2 UP",
                20,
            )
        for name, headers in (("anonymous", {}), ("signed in", signed_in)):
            result = measure(url, seconds=seconds, connections=16, headers=headers)
            figures[(servers, name)] = result
            say(
                f"{servers} app server{'s' if servers > 1 else ''}, reading page, {name}: "
                f"{result.requests_per_second:7.0f} req/s, p50 {result.p50_ms:.1f} ms, "
                f"p99 {result.p99_ms:.1f} ms, errors {result.errors} ({result.tool})"
            )
    return figures


CHECKS = [
    ("1. two app servers agree", check_servers_agree),
    ("2. an app server killed under load", check_app_server_killed),
    ("3. each Redis stopped for 10 s under load", check_redis_outages),
    ("4. the primary restarted under load", check_primary_restart),
    ("5. requests/s through HAProxy, one and two app servers", check_figures),
]


def run_checks(cluster: Cluster) -> list[str]:
    failures = []
    for title, check in CHECKS:
        started = time.monotonic()
        print(title, flush=True)
        try:
            check(cluster)
        except Exception:  # noqa: BLE001 - report it and run the next check
            failures.append(title)
            print("  FAILED:\n" + traceback.format_exc(), flush=True)
        else:
            print(f"  passed ({time.monotonic() - started:.0f} s)", flush=True)
    print(f"\n{len(CHECKS) - len(failures)} of {len(CHECKS)} checks passed", flush=True)
    return failures
