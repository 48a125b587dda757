from django.apps import AppConfig


class SocialValueConfig(AppConfig):
    """The platform app: core (people, organisations, permissions, audit, jobs, the web shell),
    the report engine (reports/), the Social Value Act check (act/) and local definitions
    (definitions/)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "socialvalue"
    verbose_name = "Social value core"

    def ready(self) -> None:
        # Importing the package starts nothing; the Celery app and each part's registrations
        # (rules, header links, dashboard panels, demo data, job handlers) load here, once.
        from socialvalue import celery  # noqa: F401
        from socialvalue.act import registrations as act_registrations  # noqa: F401
        from socialvalue.core import registrations as core_registrations  # noqa: F401
        from socialvalue.definitions import registrations as definition_registrations  # noqa: F401
        from socialvalue.reports import registrations as report_registrations  # noqa: F401
