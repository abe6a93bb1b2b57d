"""The public lookup's name index (models/lookup.py) replaces the bigram column and its trigram index (0004) and
the approved-by-name index (0005): PostgreSQL could not estimate how many names held a piece, and chose badly for
rare ones (docs/PERFORMANCE.md, public lookup). Existing names are indexed before the index is built."""

import django.db.models.deletion
from django.db import migrations, models

from shuangjian.training.rules import name_grams


def index_names(apps, schema_editor):
    institution, gram = apps.get_model("training", "Institution"), apps.get_model("training", "InstitutionNameGram")
    rows = [
        gram(gram=piece, name=name, institution_id=pk)
        for pk, name in institution.objects.values_list("pk", "name").iterator(chunk_size=5000)
        for piece in name_grams(name)
    ]
    gram.objects.bulk_create(rows, batch_size=5000)


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0008_name_search_statistics'),
    ]

    operations = [
        migrations.CreateModel(
            name='InstitutionNameGram',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('gram', models.CharField(max_length=2)),
                ('name', models.CharField(max_length=128)),
            ],
        ),
        migrations.RemoveIndex(
            model_name='institution',
            name='training_inst_public_name',
        ),
        migrations.AddField(
            model_name='institutionnamegram',
            name='institution',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='name_grams', to='training.institution'),
        ),
        migrations.RemoveField(
            model_name='institution',
            name='name_bigrams',
        ),
        migrations.RunPython(index_names, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='institutionnamegram',
            index=models.Index(fields=['gram', 'name', 'institution'], name='training_name_gram_order'),
        ),
        migrations.AddConstraint(
            model_name='institutionnamegram',
            constraint=models.UniqueConstraint(fields=('institution', 'gram'), name='training_name_gram_once'),
        ),
    ]
