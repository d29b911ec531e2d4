"""One name for the edit counter, `version` (fuwu.core.locking): a calendar's `revision` and a
standard's `row_version` become `version`; a standard's edition number (v1, v2, …) becomes `edition`.

The unique (code, edition) constraint keeps its name; it is dropped before the renames and made
again after them, so it never names the edit counter."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("standards", "0004_default_calendars_and_policies")]

    operations = [
        migrations.RemoveConstraint(model_name="servicestandard", name="standard_code_version_unique"),
        migrations.RenameField("servicestandard", "version", "edition"),
        migrations.RenameField("servicestandard", "row_version", "version"),
        migrations.RenameField("servicecalendar", "revision", "version"),
        migrations.AlterModelOptions(
            name="servicestandard",
            options={"ordering": ["touchpoint", "code", "-edition"], "verbose_name": "service standard",
                     "verbose_name_plural": "service standards"},
        ),
        migrations.AddConstraint(
            model_name="servicestandard",
            constraint=models.UniqueConstraint(fields=("code", "edition"), name="standard_code_version_unique"),
        ),
    ]
