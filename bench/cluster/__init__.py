"""Scholia as several machines would run it, on one box, in a throwaway folder.

``python -m bench.cluster start`` (``make cluster``) starts, in ``CLUSTER_DIR``
(``/tmp/scholia-cluster`` by default):

- a PostgreSQL primary (15432) and a streaming replica made from it with
  ``pg_basebackup`` (15433), with Debian's PostgreSQL 15 binaries; the primary archives
  its WAL to ``wal-archive/`` (continuous archiving, as docs/deploy.md describes);
- a Redis for pages and sessions (16379) and one for counters (16380);
- two gunicorn app servers (18081, 18082), each in a network namespace of its own when
  ``ip netns`` works here (then they reach the databases and HAProxy reaches them over
  virtual links, as separate hosts would), else on 127.0.0.1;
- the background task worker (``manage.py db_worker``);
- HAProxy (Debian's package) on 18080, checking each app server's ``/readyz``.

``stop`` (``make cluster-stop``) stops exactly what ``start`` recorded in
``cluster.json`` and removes the folder; ``test`` (``make cluster-test``) starts a fresh
cluster, runs the checks of ``bench.cluster.checks`` and stops it, whatever happens.
"""
