"""SLA policies and service types are edited through actions that check the version the editor saw."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("standards", "0005_one_counter_name")]

    operations = [
        migrations.AddField("slapolicy", "version", models.PositiveIntegerField(default=1)),
        migrations.AddField("servicetype", "version", models.PositiveIntegerField(default=1)),
    ]
