"""Load the open starter catalogue (measurement/data/catalogue.csv) into the database."""

from django.db import migrations


def load(apps, schema_editor):
    from measurement.loading import load_starter_catalogue

    load_starter_catalogue(
        apps.get_model("measurement", "Measure"), apps.get_model("measurement", "ProxyValue")
    )


class Migration(migrations.Migration):
    dependencies = [("measurement", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
