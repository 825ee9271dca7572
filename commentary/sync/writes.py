"""Writing the change log so that its ids commit in their order: ``changes_log``.

A client's cursor is the last id it was told of, and its next page reads the ids after it.
Were a row with a smaller id to commit after a reader had seen a larger one, the cursor
would already be past it and that change would never be told. So every write of the log
holds one lock from before its ids are drawn until it commits: writers draw and commit
their ids one at a time, and a reader that sees an id sees every smaller one there will
ever be. The writes are short (a row per comment touched, after the change itself has
committed), so they wait for each other briefly, and nothing else waits for them.

On PostgreSQL the lock is a transaction-level advisory lock, released at the end of the
transaction, after its rows are visible to others. A batch of rows is written by one
statement that takes the lock before it draws a single id (the lock is an InitPlan the
statement's one-time filter waits on, and the ids are drawn row by row after that filter),
so that a post's change costs one round trip, not four (BEGIN, lock, insert, COMMIT): run
on its own, the statement is its own transaction; inside one, the lock is held until that
transaction ends, as before. SQLite lets one writer in at a time (and
the site's connections begin their transactions IMMEDIATE), which orders the ids already.

Why not the transaction ids alone (serve only rows whose ``pg_current_xact_id()`` is older
than the reader's ``pg_snapshot_xmin(pg_current_snapshot())``): a transaction draws its id
from the sequence and its transaction id at separate moments, so two writers can draw them
in opposite orders; the one with the larger row id and the older transaction id can then
be served while the other is still running, and the cursor passes the other's row. That
filter is sound only with a cursor over (transaction id, row id), which the lock spares.
"""

from collections.abc import Iterable

from django.db import connections, router, transaction

from commentary.sync.models import Change

# The advisory lock's key: a number no other part of the site locks (the word, as bytes).
LOCK_KEY = int.from_bytes(b"changes", "big")

BATCH = 1000


def changes_log(rows: Iterable[Change]) -> None:
    """Add ``rows`` to the log, in their order, as one transaction that holds the log's
    lock (see the module)."""
    rows = list(rows)
    if not rows:
        return
    using = router.db_for_write(Change)
    connection = connections[using]
    if connection.vendor == "postgresql" and len(rows) <= BATCH:
        _insert_locked(connection, rows)
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        Change.objects.using(using).bulk_create(rows, batch_size=BATCH)


def _insert_locked(connection, rows: list[Change]) -> None:
    """``rows`` in one PostgreSQL statement that holds the log's lock before it draws an id."""
    fields = [field for field in Change._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    row_sql = "(" + ", ".join(f"%s::{field.cast_db_type(connection)}" for field in fields) + ")"
    params = []
    for row in rows:
        params += [
            field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields
        ]
    table = connection.ops.quote_name(Change._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({columns}) SELECT * FROM (VALUES {', '.join([row_sql] * len(rows))})"
        " AS logged WHERE (SELECT pg_advisory_xact_lock(%s)::text) IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, LOCK_KEY])
