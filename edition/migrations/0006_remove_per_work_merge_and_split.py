"""The merges and splits kept per work give way to each version's own (see 0005); removed
in a migration of their own, apart from the rows 0005 writes, as PostgreSQL wants."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('edition', '0005_version_merges_per_version'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='paragraph',
            name='merged_into',
        ),
        migrations.RemoveField(
            model_name='paragraph',
            name='split_from',
        ),
    ]
