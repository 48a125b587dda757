from django.apps import AppConfig


class CompactConfig(AppConfig):
    """Compact principles, local Compacts, consultations, reviews and decommissioning."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "compact"

    def ready(self) -> None:
        from compact import registrations  # noqa: F401  (rules, links, panels, hooks, demo, jobs)
