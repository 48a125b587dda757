"""Wires the Social Value Act check into the service: permissions, header link, dashboard panel,
demo data. Imported once from SocialValueConfig.ready()."""

from socialvalue.act import permissions as act_permissions  # noqa: F401 (rules)
from socialvalue.act import reports as act_reports
from socialvalue.act.demo import seed_act_checks
from socialvalue.act.selectors import planned_contracts_of
from socialvalue.core import dashboard, demo, navigation
from socialvalue.core.models import Role
from socialvalue.reports import annual, registry

PANEL_ROWS = 5


def load_contracts_panel(*, user, organisations) -> dict:
    """The commissioner's planned contracts with their latest answers: one query."""
    rows = list(planned_contracts_of(organisations=organisations)[: PANEL_ROWS + 1])
    return {"contracts": rows[:PANEL_ROWS], "more": len(rows) > PANEL_ROWS}


navigation.register(
    navigation.NavItem("act", "Social Value Act", "act-list", "socialvalue.use_act_check", order=20)
)
dashboard.register(
    dashboard.Panel(
        "commissioner.contracts",
        Role.COMMISSIONER,
        "Planned contracts",
        "socialvalue/act/panel.html",
        order=10,
        load=load_contracts_panel,
    )
)
demo.register(seed_act_checks, order=demo.ORDER["act"])

registry.register(
    registry.ReportKind(
        key="act-consideration",
        title="Social Value Act consideration record",
        subject_model="socialvalue.PlannedContract",
        permission="socialvalue.view_planned_contract",
        template="socialvalue/act/report.html",
        load=act_reports.consideration_context,
        data_version=act_reports.consideration_version,
        organisation_of=lambda contract: contract.authority,
        confidential=True,
        describe=lambda contract, options: contract.title,
    )
)
annual.register_section(
    annual.Section(
        key="act-checks",
        title="Social Value Act checks",
        template="socialvalue/act/annual_section.html",
        load=act_reports.annual_section,
        data_version=act_reports.annual_section_version,
        order=10,
    )
)
