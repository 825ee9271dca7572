"""On PostgreSQL the database itself refuses to change or delete a moderation event, so
that not even raw SQL or a script bypassing the models can rewrite the audit log.

Row triggers only: ``TRUNCATE`` (how the test suite empties tables) is left alone. SQLite,
the development database, relies on the model's refusal.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION commentary_moderationevent_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'moderation events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER commentary_moderationevent_append_only
    BEFORE UPDATE OR DELETE ON commentary_moderationevent
    FOR EACH ROW EXECUTE FUNCTION commentary_moderationevent_refuse();
"""
DROP = """
DROP TRIGGER IF EXISTS commentary_moderationevent_append_only ON commentary_moderationevent;
DROP FUNCTION IF EXISTS commentary_moderationevent_refuse();
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("commentary", "0004_moderators_group")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
