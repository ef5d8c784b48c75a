# The host names moved to GovernmentHost (0004); the old per-government list goes. A migration
# of its own: on PostgreSQL the rows written in 0004 must be committed before core_government
# is altered.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_government_hosts'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='government',
            name='hosts',
        ),
    ]
