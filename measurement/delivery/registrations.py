"""Wires delivery measurement into the service: its rules, its reminder job, its header link,
its demo data, its report kind, its section of the annual report, and the verified delivery the
OCDS implementation releases publish (tenders cannot import delivery, so delivery registers its
source with tenders.ocds.sources). Imported once from DeliveryConfig.ready()."""

from django.urls import reverse

from measurement.delivery import permissions, reminders, selectors, totals  # noqa: F401  (rules, jobs)
from measurement.delivery import reports as delivery_reports
from measurement.delivery.demo import seed_delivery
from socialvalue.core import demo as core_demo
from socialvalue.core import navigation
from socialvalue.definitions import hooks as definition_hooks
from socialvalue.reports import annual, registry
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
# Performance failures (Procurement Act 2023 s.71, s.78) go out at
# contracts[].implementation.performanceFailures, dated when they were recorded.
ocds_sources.register_implementation_source(
    name="delivery-failures",
    performance_failures=selectors.ocds_performance_failures,
    tenders_changed_since=selectors.ocds_tenders_with_failures_since,
)


def _published_delivery_link(authority) -> list[tuple[str, str]]:
    """The authority's public market statement links its published delivery (one query)."""
    if not totals.is_published(authority):
        return []
    return [
        (
            "Social value delivered under our contracts",
            reverse("delivery-public", args=[authority.slug]),
        )
    ]


definition_hooks.register(definition_hooks.public_links, _published_delivery_link)

# The contract's delivery report: asked exactly like the contract's delivery page (the
# authority's people and the supplier's).
registry.register(
    registry.ReportKind(
        key="delivery-contract",
        title="Social value delivery report for a contract",
        subject_model="tenders.Contract",
        permission="delivery.view_delivery",
        template="delivery/reports/contract.html",
        load=delivery_reports.contract_context,
        data_version=delivery_reports.contract_version,
        organisation_of=lambda contract: contract.tender.authority,
        confidential=True,
        filename=lambda contract, options: f"delivery-{contract.reference or contract.pk}",
        describe=lambda contract, options: f"{contract.tender.title}, {contract.supplier.name}",
    )
)
annual.register_section(
    annual.Section(
        key="delivery",
        title="Social value delivered under contracts",
        template="delivery/annual_section.html",
        load=delivery_reports.annual_section,
        data_version=delivery_reports.annual_section_version,
        order=30,
    )
)
