"""Two-character name searches on PostgreSQL: trigrams need three characters, and Chinese names are often searched
by two (启明). `name_bigrams` lists every two-character substring as its own word (' 启明 明培 培训 '), so
`name_bigrams LIKE '% 启明 %'` is exactly "name contains 启明", and a trigram index on it answers it."""

from django.db import migrations, models


def fill_and_index(apps, schema_editor):
    institution = apps.get_model("training", "Institution")
    rows = list(institution.objects.only("pk", "name"))
    for row in rows:
        row.name_bigrams = " " + " ".join(row.name[i : i + 2] for i in range(len(row.name) - 1)) + " "
    institution.objects.bulk_update(rows, ["name_bigrams"], batch_size=5000)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS training_inst_name_bigram ON training_institution "
            "USING gin (name_bigrams gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS training_inst_name_bigram")


class Migration(migrations.Migration):
    dependencies = [("training", "0003_name_trigram_index")]

    operations = [
        migrations.AddField(
            model_name="institution",
            name="name_bigrams",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_and_index, drop_index),
    ]
