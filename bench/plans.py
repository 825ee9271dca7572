"""PostgreSQL's plans of what a signed-in reader's pages ask of the comments table.

Requests each path as the benchmark's reader (in-process, through Django's test client),
and for each query that reads comments prints its execution time, the rows it read and the
indexes it used (EXPLAIN ANALYZE): whether a query reads rows only to throw them away shows
here, where requests/s would only hint at it.

Run as ``python -m bench.plans PATH…`` with the benchmark's environment (``bench`` does it
with ``--plans``).
"""

import re
import sys

import django


def plans(paths: list[str]) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    reader = get_user_model().objects.get(username="bench0")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(reader, backend=settings.AUTHENTICATION_BACKENDS[0])
    for path in paths:
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            status = client.get(path).status_code
        print(f"{path} ({status}, {len(captured)} queries)")
        for query in captured.captured_queries:
            sql = query["sql"]
            if "commentary_comment" not in sql.split(" WHERE ")[0] or "EXPLAIN" in sql:
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            indexes = sorted(set(re.findall(r"(?:using|Bitmap Index Scan on) (\w+)", plan)))
            scanned = re.findall(r"Seq Scan on (\w+)", plan)
            scans = re.findall(r"on commentary_comment \w*.*?rows=(\d+) loops=(\d+)", plan)
            rows = sum(int(rows) * int(loops) for rows, loops in scans)
            removed = sum(map(int, re.findall(r"Rows Removed by Filter: (\d+)", plan)))
            executed = re.search(r"Execution Time: ([\d.]+) ms", plan).group(1)
            print(
                f"  {executed:>7} ms, {rows:>6} comment rows out of scans, {removed} removed"
                " by filters;"
                f" indexes: {', '.join(indexes) or '-'}"
                + (f"; sequential scans: {', '.join(scanned)}" if scanned else "")
            )
            print(f"      {sql[:160]}…")


def main() -> None:
    django.setup()
    plans(sys.argv[1:])


if __name__ == "__main__":
    main()
