"""Wires the report engine into the service: its rules, the annual report's kind, the sweep of
reports a worker never finished, and the annual report's dashboard panel (imported by
SocialValueConfig.ready)."""

from socialvalue.core import dashboard, jobs
from socialvalue.core.models import OrganisationKind, Role
from socialvalue.reports import annual, services
from socialvalue.reports import permissions as report_permissions  # noqa: F401  (rules)

jobs.register_sweep("reports", services.sweep_stale)

YEARS_OFFERED = 5


def _load_annual_panel(*, user, organisations) -> dict:
    """The user's authorities, each with a button for its annual report (no query beyond the
    dashboard's own)."""
    current = annual.current_year()
    years = [
        (year, annual.Period(year).short)
        for year in range(current, max(annual.FIRST_YEAR, current - YEARS_OFFERED) - 1, -1)
    ]
    authorities = [o for o in organisations if o.kind == OrganisationKind.AUTHORITY]
    return {"authorities": authorities, "year_choices": years}


for _role, _order in ((Role.COMMISSIONER, 90), (Role.PROCUREMENT_OFFICER, 90)):
    dashboard.register(
        dashboard.Panel(
            f"{_role}.annual_report",
            _role,
            "Annual social value report",
            "reports/panel_annual.html",
            order=_order,
            load=_load_annual_panel,
        )
    )
