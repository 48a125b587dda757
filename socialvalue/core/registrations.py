"""The core's own registrations: its rules, job handlers and the sign-in lockout log (imported by
SocialValueConfig.ready)."""

from socialvalue.core import dashboard, jobs, navigation, permissions, rate_limits, services  # noqa: F401
