"""Finer planner statistics for the public name search on PostgreSQL (docs/PERFORMANCE.md, public lookup).

With the default sample PostgreSQL guessed that a rare two-character word occurs in about 1,700 of 200,000 names (it
occurs in 260), chose the name-order index meant for common words, and filtered ~40,000 rows to find 50 (65 ms). A
statistics target of 2,000 on the searched columns makes it take the trigram index for such words (about 10 ms)."""

from django.db import migrations

_COLUMNS = ("name", "name_bigrams")


def finer_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column in _COLUMNS:
            schema_editor.execute(f"ALTER TABLE training_institution ALTER COLUMN {column} SET STATISTICS 2000")
        schema_editor.execute("ANALYZE training_institution")


def default_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column in _COLUMNS:
            schema_editor.execute(f"ALTER TABLE training_institution ALTER COLUMN {column} SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("training", "0007_complaint_desk")]

    operations = [migrations.RunPython(finer_statistics, default_statistics)]
