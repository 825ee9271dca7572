"""The audit log stays append-only, with one exception: erasing a deleted member's name
from an event's reason. Inside a transaction that has run ``SET LOCAL scholia.erasure =
'on'`` (``commentary.accounts.deletion`` does, and only it), an UPDATE that changes the
reason alone passes; any other change, and every DELETE, is still refused. SQLite, the
development database, relies on the model's refusal, which updates bypass.
"""
from django.db import migrations

ERASABLE = """
CREATE OR REPLACE FUNCTION commentary_moderationevent_refuse() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('scholia.erasure', true) = 'on'
       AND (NEW.id, NEW.actor_id, NEW.action, NEW.comment_id, NEW.user_id, NEW.group_id,
            NEW.from_status, NEW.to_status, NEW.created_at)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.actor_id, OLD.action, OLD.comment_id, OLD.user_id, OLD.group_id,
            OLD.from_status, OLD.to_status, OLD.created_at)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'moderation events are append-only';
END;
$$ LANGUAGE plpgsql;
"""

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION commentary_moderationevent_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'moderation events are append-only';
END;
$$ LANGUAGE plpgsql;
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("commentary", "0011_member_export")]

    operations = [migrations.RunPython(_on_postgresql(ERASABLE), _on_postgresql(APPEND_ONLY))]
