from django.apps import AppConfig


class MeasurementConfig(AppConfig):
    """Measures, proxy values, commitments, delivery returns and monetised value."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "measurement"
    verbose_name = "Measures catalogue"

    def ready(self) -> None:
        # In ready(), not at the top: these import models, which load only after every app's
        # config (Django's app registry), so an AppConfig module cannot import them earlier.
        from measurement import permissions  # noqa: F401  (registers the rules)
        from socialvalue.core.navigation import NavItem, register

        register(NavItem("catalogue", "Measures", "measure-list", "measurement.view_catalogue", 60))
