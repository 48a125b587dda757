from django.apps import AppConfig


class TendersConfig(AppConfig):
    """Contracts, award criteria, bids, evaluation and award."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "tenders"

    def ready(self) -> None:
        from tenders import registrations  # noqa: F401  (permissions, links, panels, demo, jobs)
