"""Wires delivery measurement into the service: its rules, its reminder job, its header link,
its demo data, and the verified delivery the OCDS implementation releases publish (tenders
cannot import delivery, so delivery registers its source with tenders.ocds.sources). Imported
once from DeliveryConfig.ready()."""

from measurement.delivery import permissions, reminders, selectors  # noqa: F401  (rules, jobs)
from measurement.delivery.demo import seed_delivery
from socialvalue.core import demo as core_demo
from socialvalue.core import navigation
from tenders.ocds import sources as ocds_sources

core_demo.register(seed_delivery, order=core_demo.ORDER["delivery"])
navigation.register(
    navigation.NavItem("delivery", "Contracts", "delivery-index", "delivery.follow_contracts", 35)
)
ocds_sources.register_implementation_source(
    name="delivery",
    verified_periods=selectors.ocds_verified_periods,
    tenders_changed_since=selectors.ocds_tenders_verified_since,
)
