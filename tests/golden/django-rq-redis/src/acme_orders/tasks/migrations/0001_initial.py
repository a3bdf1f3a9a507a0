# ruff: noqa: RUF012  (Django reads a migration's attributes as plain lists)
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="TaskRun",
            fields=[
                (
                    "key",
                    models.CharField(max_length=200, primary_key=True, serialize=False),
                ),
                ("deliveries", models.IntegerField(default=0)),
                ("done_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "db_table": "task_runs",
            },
        ),
    ]
