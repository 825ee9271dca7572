"""Full-text vectors for search (commentary.search): a generated tsvector column with a GIN
index on comments' bodies and on the text's wordings. PostgreSQL only: elsewhere this
migration does nothing and search falls back to substring matching."""

from django.db import migrations

# Written out rather than imported, so that this migration stays as it ran. "english": a
# generated column reads only its own row, so it cannot follow each work's language.
TABLES = (
    ("commentary_comment", "body", "comment_search_vector"),
    ("edition_paragraphrevision", "text", "revision_search_vector"),
)


def add_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, source, index in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
            f"(to_tsvector('english'::regconfig, coalesce({source}, ''))) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin (search_vector)")


def drop_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _source, index in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):

    dependencies = [
        ("commentary", "0014_comment_tags"),
        ("edition", "0007_stale_generations"),
    ]

    operations = [migrations.RunPython(add_vectors, drop_vectors)]
