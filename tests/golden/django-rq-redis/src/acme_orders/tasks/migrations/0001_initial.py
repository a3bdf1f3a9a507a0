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
                ("task", models.CharField(max_length=200)),
                ("args", models.JSONField()),
                ("deliveries", models.IntegerField(default=0)),
                ("sent_at", models.DateTimeField()),
                (
                    "done_at",
                    models.DateTimeField(blank=True, db_index=True, null=True),
                ),
            ],
            options={
                "db_table": "task_runs",
            },
        ),
    ]
