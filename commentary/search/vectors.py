"""The full-text columns PostgreSQL keeps for search, and how queries reach them.

Comments' bodies and the text's wordings each carry a ``search_vector``: a ``tsvector``
column the database generates from the row itself (``GENERATED ALWAYS AS … STORED``) with
a GIN index, so a write never has to keep it in step. It is read with the text search
configuration of the row's work's ``language`` (``search_config``, a ``regconfig`` column
that triggers keep: migration ``0018_search_vectors_per_language``), so a French work's
comments are stemmed as French. The columns exist on PostgreSQL only (the migrations that
add them do nothing elsewhere) and are not model fields: queries name them through
``StoredVector`` and ``StoredConfig``.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import connection
from django.db.models import CharField, Expression

COLUMN = "search_vector"
CONFIG_COLUMN = "search_config"
# As migration 0018 maps them: a work's language (ISO 639-1, a region after a hyphen
# ignored) to the configuration its text and comments are read with; "simple" (no
# stemming, no stop words) for any other.
LANGUAGE_CONFIGS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
FALLBACK_CONFIG = "simple"


def search_config_for(language: str | None) -> str:
    """The text search configuration of a work in ``language``."""
    code = (language or "").lower().split("-", 1)[0]
    return LANGUAGE_CONFIGS.get(code, FALLBACK_CONFIG)


def has_vectors() -> bool:
    """True where the generated columns exist: on PostgreSQL."""
    return connection.vendor == "postgresql"


class StoredVector(Expression):
    """The ``search_vector`` column of the table that ``through`` (a field path, e.g.
    ``"body"`` or ``"revision__text"``) reads: a field of that table is resolved first so
    that the query joins it, then its alias names the column."""

    output_field = SearchVectorField()
    column = COLUMN
    cast = ""

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
        return f"{compiler.quote_name_unless_alias(self.alias)}.{self.column}{self.cast}", []

    def get_group_by_cols(self):
        return [self]


class StoredConfig(StoredVector):
    """The ``search_config`` column beside a ``search_vector``, as text ("french")."""

    output_field = CharField()
    column = CONFIG_COLUMN
    cast = "::text"
