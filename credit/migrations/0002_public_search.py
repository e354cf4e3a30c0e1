"""PostgreSQL only: the pg_trgm extension and the trigram indexes of the public search (credit.selectors_public).

- ``credit_listing_name_trgm``: GIN trigram index on the published name of listed entries (partial, ``status =
  'listed'``: the public list reads nothing else);
- ``cases_party_name_trgm``: GIN trigram index on ``cases_party.name`` (restricted debtors and the debtor
  search match names through the party; created here, on cases' table, because only credit's search needs it);
- ``credit_boundperson_name_trgm`` and ``credit_boundperson_id_number_idx``: the persons a restriction binds, by
  name and by identifier.

A name term is matched with ``ILIKE`` (``%term%``, or ``term%`` for two characters), which these indexes serve.
On SQLite (tests, ``make run`` without a server) this migration does nothing. No model state changes, so
``makemigrations --check`` stays clean."""

from django.db import migrations

INDEXES = [
    (
        "credit_listing_name_trgm",
        "CREATE INDEX IF NOT EXISTS credit_listing_name_trgm ON credit_dishonestlisting "
        "USING gin (debtor_name gin_trgm_ops) WHERE status = 'listed'",
    ),
    (
        "cases_party_name_trgm",
        "CREATE INDEX IF NOT EXISTS cases_party_name_trgm ON cases_party USING gin (name gin_trgm_ops)",
    ),
    (
        "credit_boundperson_name_trgm",
        "CREATE INDEX IF NOT EXISTS credit_boundperson_name_trgm ON credit_boundperson USING gin (name gin_trgm_ops)",
    ),
    (
        "credit_boundperson_id_number_idx",
        "CREATE INDEX IF NOT EXISTS credit_boundperson_id_number_idx ON credit_boundperson (id_number)",
    ),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for _name, sql in INDEXES:
        schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _sql in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("credit", "0001_initial"),
        ("cases", "0006_party_email_notification"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
