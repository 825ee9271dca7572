"""Where a request's time goes, in one process: Django's test client on a seeded benchmark
database (``bench.seed``'s JSON line), the whole middleware stack, DEBUG off.

    python -m bench.profile SEED_JSON [--target NAME …] [--rounds 5] [--requests 50]
        [--pyinstrument]

For each target: the SQL queries of one request, and the best CPU ms per request over the
rounds; with ``--pyinstrument`` (``pip install pyinstrument``: a tool for this command
only, not a dependency of the project) the call tree of one round, its slower frames.
Run with the bench's settings and the seeded database's environment (``bench``'s
``_environment``), ``ALLOWED_HOSTS`` naming ``testserver``.
"""

import argparse
import json
import logging
import time

import django

from bench.targets import Target, targets


def _request(client, target: Target, serial: list[int]):
    headers = {
        "HTTP_" + name.upper().replace("-", "_"): value for name, value in target.headers.items()
    }
    if target.body is not None:
        serial[0] += 1
        body = json.dumps(target.body).replace("{serial}", f"profiled-{serial[0]}")
        return client.post("/" + target.path, body, content_type="application/json", **headers)
    return client.get("/" + target.path, **headers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seed_json")
    parser.add_argument("--target", action="append", help="a target's name (default: all)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--pyinstrument", action="store_true")
    parser.add_argument(
        "--queries",
        action="store_true",
        help="only print {target: queries of one request} as JSON (what bench reports)",
    )
    args = parser.parse_args()
    django.setup()
    logging.getLogger("scholia.requests").disabled = True

    from django.conf import settings
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # Posting is rate-limited per member: the profile measures the work, not the refusal.
    settings.SCHOLIA_COMMENT_RATE = settings.SCHOLIA_NEW_MEMBER_COMMENT_RATE = "1000000000/60"
    with open(args.seed_json) as seed_file:
        seeded = json.loads(seed_file.read().strip().splitlines()[-1])
    client = Client()
    serial = [int(time.time())]
    counted = {}
    for target in targets(seeded):
        name = target.name
        if args.target and name not in args.target:
            continue
        for _ in range(3):  # warm templates, URL and cache entries
            response = _request(client, target, serial)
        assert response.status_code < 300, (name, response.status_code, response.content[:300])
        with CaptureQueriesContext(connections["default"]) as captured:
            _request(client, target, serial)
        queries = counted[name] = len(captured)  # now: the next request empties the log
        if args.queries:
            continue
        best = float("inf")
        for _ in range(args.rounds):
            started = time.process_time()
            for _ in range(args.requests):
                _request(client, target, serial)
            best = min(best, (time.process_time() - started) * 1000 / args.requests)
        print(f"{name:40} {queries:3d} queries {best:7.2f} CPU ms", flush=True)
        if args.pyinstrument:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002)
            profiler.start()
            for _ in range(args.requests):
                _request(client, target, serial)
            profiler.stop()
            print(profiler.output_text(show_all=False, time="percent_of_total", short_mode=True))
    if args.queries:
        print(json.dumps(counted))


if __name__ == "__main__":
    main()
