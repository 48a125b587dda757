from django.apps import AppConfig


class TendersConfig(AppConfig):
    """Contracts, award criteria, bids, evaluation and award."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "tenders"
