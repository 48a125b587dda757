"""The core's own registrations: its rules and job handlers (imported by SocialValueConfig.ready)."""

from socialvalue.core import dashboard, jobs, navigation, permissions, services  # noqa: F401
