"""Copy each enforcement case's court onto its row (EnforcementCase.court) and index the court's lists by it.

Added nullable, filled from the case records in one UPDATE (plain SQL both PostgreSQL and SQLite run), then made
required; the indexes (court, status, deadline_on, id) and, for open cases only, (court, deadline_on, id) serve
the lists and counts of a court's cases by deadline."""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
UPDATE enforcement_enforcementcase
SET court_id = (SELECT cases_case.court_id FROM cases_case WHERE cases_case.id = enforcement_enforcementcase.case_id)
WHERE court_id IS NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_job"),
        ("enforcement", "0011_remedies_and_coercion"),
    ]

    operations = [
        migrations.AddField(
            model_name="enforcementcase",
            name="court",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.court",
                verbose_name="court",
            ),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="enforcementcase",
            name="court",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.court",
                verbose_name="court",
            ),
        ),
        migrations.AddIndex(
            model_name="enforcementcase",
            index=models.Index(fields=["court", "status", "deadline_on", "id"], name="enf_court_status_due_idx"),
        ),
        migrations.AddIndex(
            model_name="enforcementcase",
            index=models.Index(
                condition=models.Q(("status", "closed"), _negated=True),
                fields=["court", "deadline_on", "id"],
                name="enf_court_open_due_idx",
            ),
        ),
    ]
