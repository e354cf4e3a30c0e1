"""Refuse TRUNCATE of the audit table on PostgreSQL too (0002 refuses UPDATE and DELETE row by row).

A TRUNCATE skips row triggers, so it needs a statement trigger of its own; a ``TRUNCATE core_user CASCADE``
reaches the audit table as well (its rows reference the user) and is refused the same way.

One exception: Django's throwaway test databases (always named ``test_…``), whose flush between
transactional tests truncates every table. A session may switch the exception off with
``SET zhixing.audit_guard = 'strict'`` (the append-only tests do, to prove the refusal); nothing switches
the refusal off elsewhere. On SQLite there is no TRUNCATE.
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION core_auditlog_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_database() LIKE 'test\_%'
       AND coalesce(current_setting('zhixing.audit_guard', true), '') <> 'strict' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'core_auditlog is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditlog_no_truncate
    BEFORE TRUNCATE ON core_auditlog FOR EACH STATEMENT EXECUTE FUNCTION core_auditlog_refuse_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS core_auditlog_no_truncate ON core_auditlog;
DROP FUNCTION IF EXISTS core_auditlog_refuse_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_job")]
    operations = [migrations.RunPython(forwards, backwards)]
