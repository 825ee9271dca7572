"""The full-text columns PostgreSQL keeps for search, and how queries reach them.

Comments' bodies and the text's wordings each carry a ``search_vector``
(added by migration ``0015_search_vectors``): a ``tsvector``
column the database generates from the row itself (``GENERATED ALWAYS AS … STORED``) with
a GIN index, so a write never has to keep it in step. The columns exist on PostgreSQL only
(the migrations that add them do nothing elsewhere) and are not model fields: queries name
them through ``StoredVector``.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import connection
from django.db.models import Expression

# The text search configuration of both columns. A generated column may only read its own
# row, so it cannot follow each work's ``language``; the seed and demo texts are English.
SEARCH_CONFIG = "english"
COLUMN = "search_vector"


def has_vectors() -> bool:
    """True where the generated columns exist: on PostgreSQL."""
    return connection.vendor == "postgresql"


class StoredVector(Expression):
    """The ``search_vector`` column of the table that ``through`` (a field path, e.g.
    ``"body"`` or ``"revision__text"``) reads: a field of that table is resolved first so
    that the query joins it, then its alias names the column."""

    output_field = SearchVectorField()

    def __init__(self, through: str) -> None:
        super().__init__()
        self.through = through
        self.alias = None

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        resolved = self.copy()
        column = query.resolve_ref(self.through, allow_joins, reuse, summarize)
        resolved.alias = column.alias
        return resolved

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(self.alias)}.{COLUMN}", []

    def get_group_by_cols(self):
        return [self]
