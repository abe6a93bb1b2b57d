"""A trigram index for the public lookup's name search (name LIKE '%...%') on PostgreSQL; SQLite scans instead."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS training_inst_name_trgm ON training_institution USING gin (name gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS training_inst_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("training", "0002_registry_courses_sanctions")]

    operations = [migrations.RunPython(create_index, drop_index)]
