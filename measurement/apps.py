from django.apps import AppConfig


class MeasurementConfig(AppConfig):
    """Measures, proxy values, commitments, delivery returns and monetised value."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "measurement"
