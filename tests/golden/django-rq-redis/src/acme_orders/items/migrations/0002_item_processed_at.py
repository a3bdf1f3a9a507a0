# ruff: noqa: RUF012  (Django reads a migration's attributes as plain lists)
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("items", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="item",
            name="processed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
