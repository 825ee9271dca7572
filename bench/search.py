"""The search figure: how long a one-word search takes, and PostgreSQL's plan for it.

Seeds a fresh PostgreSQL database with the seed chapter and N published comments (written
by the database itself, one INSERT … SELECT over generate_series), each body one of a few
sentences plus a word of a vocabulary of 5,000 ("term0" … "term4999"), so a rare word is
in N/5,000 comments and a common one ("peasantry") in a quarter of them; one word
("kronstadt") is in 200 comments spread over the whole span whatever N, so that its page
of hits and what is ranked are the same at every size and only the database grows. Then times
``commentary.search.reads.search`` in-process, as an anonymous reader and as a signed-in
one, taking turns, and prints the p50 and p99 of each, with the EXPLAIN ANALYZE of the
queries on the comments (the matches, counted and ranked up to a bound; the page of them
shown) for each reader and a line per query with PostgreSQL's planning and execution
times, which a loaded machine sways less than the whole call's.

    .venv/bin/python -m bench.search [--comments 10000] [--runs 30] [--database-url URL]
                                     [--json PATH]

``--json PATH`` writes the figures (query, reader, hits, p50, p99, runs; each plan's
planning and execution times) to PATH; ``bench`` runs it so, beside its own targets.

PostgreSQL only: elsewhere search is a substring fallback with nothing to measure.
"""

import argparse
import gc
import json
import os
import statistics
import sys
import time

import django

from bench.serve import fresh_postgres

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/scholia_search_bench"
VOCABULARY = 5_000
# The words searched: one in STEADY_HITS comments at every size (the one-word search whose
# figure is compared between sizes: the same hits, the same page), one in N/5,000 comments
# and one in a quarter of them (their hits grow with N).
STEADY, RARE, COMMON = "kronstadt", "term1917", "peasantry"
STEADY_HITS = 200


def _seed(count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from commentary.markdown import render_markdown
    from commentary.models import Comment
    from edition.models import VersionParagraph
    from edition.seed import seed_import

    work = seed_import()
    entries = list(
        VersionParagraph.objects.filter(version=work.current_version)
        .exclude(revision__kind="heading")
        .order_by("position")
    )
    User = get_user_model()
    authors = [
        User.objects.get_or_create(username=f"searcher{n}", defaults={"email": f"s{n}@x.org"})[0]
        for n in range(50)
    ]
    bodies = [
        "I read this differently: the argument rests on the periphery.",
        "A short note on the date, and a reply to it.",
        "Agreed, see also the section on the peasantry.",
        "Is this really what Lenin meant? The date matters here.",
    ]
    table = Comment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (work_id, version_id, paragraph_id, revision_id, depth,
                author_id, body, body_html, quote_exact, quote_prefix, quote_suffix, status,
                created_at, modified_at)
            SELECT %(work)s, %(version)s, (%(paragraphs)s::bigint[])[n %% %(pcount)s + 1],
                (%(revisions)s::bigint[])[n %% %(pcount)s + 1], 0,
                (%(authors)s::int[])[n %% %(acount)s + 1],
                (%(bodies)s::text[])[n %% 4 + 1] || ' term' || (n %% %(vocabulary)s)
                    || CASE WHEN n %% %(every)s = %(every)s / 2 THEN ' {STEADY}' ELSE '' END,
                (%(rendered)s::text[])[n %% 4 + 1], '', '', '', 'published',
                now() - make_interval(secs => %(count)s - n),
                now() - make_interval(secs => %(count)s - n)
            FROM generate_series(0, %(count)s - 1) AS n
            """,
            {
                "work": work.pk,
                "version": work.current_version_id,
                "paragraphs": [entry.paragraph_id for entry in entries],
                "revisions": [entry.revision_id for entry in entries],
                "pcount": len(entries),
                "authors": [author.pk for author in authors],
                "acount": len(authors),
                "bodies": bodies,
                "rendered": [render_markdown(body) for body in bodies],
                "vocabulary": VOCABULARY,
                "every": max(1, count // STEADY_HITS),
                "count": count,
            },
        )
    # As a database that has run a while would be: the GIN index's pending list merged
    # and the visibility map set (this machine's PostgreSQL runs with autovacuum off, and
    # right after a bulk insert every first read of a row also writes its hint bits).
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {table}")


def _timings(readers: dict, query: str, runs: int) -> dict[str, tuple[list[float], int]]:
    """``runs`` timed calls of ``search`` for each reader, interleaved (the readers take turns,
    first one then the other leading), so that a shared machine's drift falls on all of
    them alike: {label: (milliseconds, hits)}."""
    from commentary.search.reads import SearchFilters, search

    timings = {label: [] for label in readers}
    totals = {}
    for user in readers.values():
        search(user, query, SearchFilters())  # warm
    labels = list(readers)
    for run in range(runs):
        for label in labels if run % 2 == 0 else reversed(labels):
            started = time.perf_counter()
            results = search(readers[label], query, SearchFilters())
            timings[label].append((time.perf_counter() - started) * 1000)
            totals[label] = results.total
    return {label: (timings[label], totals[label]) for label in labels}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _plans(user, query: str) -> list[tuple[str, str]]:
    """EXPLAIN (ANALYZE, BUFFERS) of every query on the comments that ``search`` runs for
    ``user``: [(what it is, the plan)]: the matches (counted and ranked, up to
    ``COUNTED_AT_MOST``) and the page of them shown."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from commentary.search.reads import SearchFilters, search

    with CaptureQueriesContext(connection) as captured:
        search(user, query, SearchFilters(kind="comments"))
    plans = []
    for sql in (q["sql"] for q in captured.captured_queries):
        if not sql.startswith('SELECT "commentary_comment"."id"'):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        plans.append(("page of hits" if "ts_headline" in sql else "matches, counted", plan))
    return plans


def _summary(plan: str) -> str:
    """The plan's planning and execution times and whether it reads the GIN index."""
    times = {}
    for line in plan.splitlines():
        for name in ("Planning Time", "Execution Time"):
            if line.strip().startswith(name):
                times[name] = float(line.split(":")[1].split()[0])
    index = "comment_search_vector" in plan and "Index Scan" in plan
    return (
        f"planning {times.get('Planning Time', 0):.1f} ms + execution "
        f"{times.get('Execution Time', 0):.1f} ms, "
        f"{'index scan on comment_search_vector' if index else 'not through comment_search_vector'}"
        f"{', JIT' if 'JIT:' in plan else ''}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_SEARCH_URL", DEFAULT_URL))
    parser.add_argument("--json", metavar="PATH", help="write the figures to PATH")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database a previous run seeded, as it is (seeding 1M takes minutes)",
    )
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("The search figure is PostgreSQL's: give a postgres:// URL.")
    if not args.reuse:
        fresh_postgres(args.database_url)
    os.environ.update(
        DATABASE_URL=args.database_url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY="bench-only-secret-key-" + "k" * 40,
        ALLOWED_HOSTS="localhost",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    os.environ.pop("REDIS_URL", None)
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from commentary.models import Comment

    call_command("migrate", verbosity=0)
    if args.reuse:
        print(f"reusing {Comment.objects.count():,} comments")
    else:
        started = time.perf_counter()
        _seed(args.comments)
        print(f"seeded {args.comments:,} comments in {time.perf_counter() - started:.1f} s")
    # What seeding left in this process is the benchmark's, not a server's: out of the
    # collector's sight (as a server process started afterwards would not hold it), so that
    # a full collection walking a million seeded rows' leftovers does not land in one timed
    # search (it made a single run of 30 take 5-8 times the median).
    gc.collect()
    gc.freeze()
    member = get_user_model().objects.get(username="searcher1")
    readers = {"anonymous": None, "signed in": member}
    plans = {
        (label, word): _plans(user, word)
        for label, user in readers.items()
        for word in (STEADY, RARE)
    }
    for (label, word), explained in plans.items():
        for what, plan in explained:
            print(f"EXPLAIN ANALYZE, {label}, the comments' {what} for {word!r}:")
            print(plan)
            print()
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        (autovacuum,) = cursor.fetchone()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, autovacuum {autovacuum}")
    for (label, word), explained in plans.items():
        for what, plan in explained:
            print(f"  {label:>9}, {word:>9}, {what:>20}: {_summary(plan)}")
    figures = []
    # A word in a quarter of the comments: counted and ranked up to the bound, as many runs.
    for query in (STEADY, RARE, COMMON):
        for label, (timings, total) in _timings(readers, query, args.runs).items():
            p50, p99 = statistics.median(timings), _percentile(timings, 0.99)
            print(
                f"search {query!r:>12} {label:>9}: p50 {p50:7.1f} ms, "
                f"p99 {p99:7.1f} ms over {args.runs} runs, {total:,} hits"
            )
            figures.append(
                {
                    "query": query,
                    "reader": label,
                    "hits": total,
                    "runs": args.runs,
                    "p50_ms": round(p50, 2),
                    "p99_ms": round(p99, 2),
                }
            )
    if args.json:
        with open(args.json, "w") as out:
            json.dump(
                {
                    "comments": Comment.objects.count(),
                    "figures": figures,
                    "plans": [
                        {"reader": label, "word": word, "query": what, "summary": _summary(plan)}
                        for (label, word), explained in plans.items()
                        for what, plan in explained
                    ],
                },
                out,
                indent=2,
            )


if __name__ == "__main__":
    main()
