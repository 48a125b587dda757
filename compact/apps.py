from django.apps import AppConfig


class CompactConfig(AppConfig):
    """Compact principles, local Compacts, consultations, reviews and decommissioning."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "compact"
