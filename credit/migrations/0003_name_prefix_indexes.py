"""PostgreSQL only: btree indexes on ``lower(name)`` with ``text_pattern_ops`` for the public search's two-character
name terms, matched at the beginning of the name (``credit.selectors_public.name_matches``: ``lower(name) LIKE
'xy%'``, one index range scan). The trigram indexes of 0002 keep serving terms of three characters or more.

Built ``CONCURRENTLY`` (the migration is not atomic) so that a live list keeps being read and written while the
index is built. On SQLite this migration does nothing; no model state changes."""

from django.db import migrations

INDEXES = [
    (
        "credit_listing_name_prefix",
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS credit_listing_name_prefix ON credit_dishonestlisting "
        "(lower(debtor_name) text_pattern_ops) WHERE status = 'listed'",
    ),
    (
        "cases_party_name_prefix",
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS cases_party_name_prefix ON cases_party (lower(name) text_pattern_ops)",
    ),
    (
        "credit_boundperson_name_prefix",
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS credit_boundperson_name_prefix ON credit_boundperson "
        "(lower(name) text_pattern_ops)",
    ),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _name, sql in INDEXES:
        schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _sql in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("credit", "0002_public_search")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
