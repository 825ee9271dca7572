"""Full-text vectors in each work's language: a comment's body and a wording of the text are
read with the text search configuration of their work's ``language`` ("fr" → french, "de"
→ german, …, "simple" for a language PostgreSQL does not stem), not English for all.

A generated column may only read its own row, so each row carries its configuration
(``search_config``, a ``regconfig``) and the vector is generated from it. Triggers keep it:
a new comment or wording takes its work's, and a work whose language changes passes the
new one to its comments and wordings (their vectors are generated again). PostgreSQL only,
as the vectors are (migration 0015): elsewhere this does nothing.
"""

from django.db import migrations

# Written out rather than imported, so that this migration stays as it ran. ISO 639-1 codes
# of the languages PostgreSQL's default installation has a stemmer for.
CONFIGS = {
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

TABLES = (
    # table, the text it searches, its index, how a row reaches its work's language
    (
        "commentary_comment",
        "body",
        "comment_search_vector",
        "SELECT language FROM edition_work WHERE id = NEW.work_id",
        "UPDATE commentary_comment SET search_config = scholia_search_config(NEW.language) "
        "WHERE work_id = NEW.id",
        "UPDATE commentary_comment AS c SET search_config = scholia_search_config(w.language) "
        "FROM edition_work AS w WHERE w.id = c.work_id",
    ),
    (
        "edition_paragraphrevision",
        "text",
        "revision_search_vector",
        "SELECT w.language FROM edition_paragraph AS p JOIN edition_work AS w "
        "ON w.id = p.work_id WHERE p.id = NEW.paragraph_id",
        "UPDATE edition_paragraphrevision AS r SET search_config = "
        "scholia_search_config(NEW.language) FROM edition_paragraph AS p "
        "WHERE p.id = r.paragraph_id AND p.work_id = NEW.id",
        "UPDATE edition_paragraphrevision AS r SET search_config = "
        "scholia_search_config(w.language) FROM edition_paragraph AS p "
        "JOIN edition_work AS w ON w.id = p.work_id WHERE p.id = r.paragraph_id",
    ),
)


def _config_function() -> str:
    cases = " ".join(f"WHEN '{code}' THEN '{name}'" for code, name in sorted(CONFIGS.items()))
    return (
        "CREATE OR REPLACE FUNCTION scholia_search_config(language text) RETURNS regconfig "
        "LANGUAGE sql IMMUTABLE AS $$ SELECT (CASE split_part(lower(coalesce(language, '')), "
        f"'-', 1) {cases} ELSE 'simple' END)::regconfig $$"
    )


def _vector(schema_editor, table: str, source: str, index: str, config: str) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
    schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
    schema_editor.execute(
        f"ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
        f"(to_tsvector({config}, coalesce({source}, ''))) STORED"
    )
    schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin (search_vector)")


def per_language(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(_config_function())
    for table, source, index, language_of, _follow, fill in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_config regconfig NOT NULL "
            "DEFAULT 'simple'::regconfig"
        )
        schema_editor.execute(fill)
        _vector(schema_editor, table, source, index, "search_config")
        schema_editor.execute(
            f"CREATE FUNCTION {table}_search_config() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN NEW.search_config := scholia_search_config(({language_of})); "
            "RETURN NEW; END $$"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_search_config BEFORE INSERT ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_search_config()"
        )
    follows = " ".join(follow + ";" for *_rest, follow, _fill in TABLES)
    schema_editor.execute(
        "CREATE FUNCTION edition_work_search_config() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {follows} RETURN NEW; END $$"
    )
    schema_editor.execute(
        "CREATE TRIGGER edition_work_search_config AFTER UPDATE OF language ON edition_work "
        "FOR EACH ROW WHEN (OLD.language IS DISTINCT FROM NEW.language) "
        "EXECUTE FUNCTION edition_work_search_config()"
    )


def english_for_all(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS edition_work_search_config ON edition_work")
    schema_editor.execute("DROP FUNCTION IF EXISTS edition_work_search_config()")
    for table, source, index, *_rest in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_search_config ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_search_config()")
        _vector(schema_editor, table, source, index, "'english'::regconfig")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_config")
    schema_editor.execute("DROP FUNCTION IF EXISTS scholia_search_config(text)")


class Migration(migrations.Migration):

    dependencies = [
        ("commentary", "0017_follows_and_notification_kinds"),
        ("edition", "0007_stale_generations"),
    ]

    operations = [migrations.RunPython(per_language, english_for_all)]
