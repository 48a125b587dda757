from django.apps import AppConfig


class SocialValueConfig(AppConfig):
    """The core: people, organisations, roles, permissions, audit trail and background jobs."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "socialvalue"
    verbose_name = "Social value core"

    def ready(self) -> None:
        from socialvalue import dashboard, jobs, navigation, permissions  # noqa: F401  (registers)
        from socialvalue import act_registrations  # noqa: F401, I001  (Social Value Act check)
