from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    """Delivery measurement after award: the contract's social value schedule, suppliers'
    returns with evidence, the authority's verification, gross and net side by side."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "measurement.delivery"
    label = "delivery"

    def ready(self) -> None:
        from measurement.delivery import registrations  # noqa: F401  (rules, jobs)
