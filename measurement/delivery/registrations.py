"""Wires delivery measurement into the service: its rules and its reminder job.
Imported once from DeliveryConfig.ready()."""

from measurement.delivery import permissions, reminders  # noqa: F401  (rules, jobs)
