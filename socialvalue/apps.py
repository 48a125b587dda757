from django.apps import AppConfig


class SocialValueConfig(AppConfig):
    """The core: people, organisations, roles, permissions, audit trail and background jobs."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "socialvalue"
    verbose_name = "Social value core"

    def ready(self) -> None:
        # Each module registers on import: act_registrations (the Social Value Act check),
        # definition_registrations (local definitions and the market statement); limits logs
        # sign-in lockouts.
        from socialvalue import (  # noqa: F401
            act_registrations,
            dashboard,
            definition_registrations,
            jobs,
            limits,
            navigation,
            permissions,
        )
