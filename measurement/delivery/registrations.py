"""Wires delivery measurement into the service: its rules, its reminder job, its header link
and its demo data. Imported once from DeliveryConfig.ready()."""

from measurement.delivery import permissions, reminders  # noqa: F401  (rules, jobs)
from measurement.delivery.demo import seed_delivery
from socialvalue.core import demo as core_demo
from socialvalue.core import navigation

core_demo.register(seed_delivery, order=core_demo.ORDER["delivery"])
navigation.register(
    navigation.NavItem("delivery", "Contracts", "delivery-index", "delivery.follow_contracts", 35)
)
