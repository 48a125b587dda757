"""Registers local definitions with the core: permissions, header link, dashboard panels and
demo data (imported by SocialValueConfig.ready)."""

from decimal import Decimal

from measurement.models import Measure
from socialvalue.core import dashboard, demo, navigation
from socialvalue.core.models import Role
from socialvalue.core.permissions import can
from socialvalue.definitions import permissions as definition_permissions  # noqa: F401  (registers the rules)
from socialvalue.definitions import reports as definition_reports
from socialvalue.definitions import selectors, services
from socialvalue.definitions.models import DefinitionStatus, LocalDefinition
from socialvalue.reports import registry

navigation.register(
    navigation.NavItem(
        "definitions", "Local definitions", "definition-list", "socialvalue.use_definitions", 30
    )
)
# Bidders prepare against the authorities' published priorities before a tender appears.
navigation.register(
    navigation.NavItem(
        "market-statements",
        "Market statements",
        "definition-market-index",
        "socialvalue.act_as_bidder",
        35,
    )
)
# The market statements are public: visitors who have not signed in can read them too.
navigation.register(
    navigation.NavItem(
        "market-statements-public",
        "Market statements",
        "definition-market-index",
        order=30,
        audience=navigation.SIGNED_OUT,
    )
)


def _load_commissioner_panel(*, user, organisations) -> dict:
    """Per authority: the adopted definition and any version being worked on (two queries)."""
    definitions = selectors.current_definitions_of(organisations=organisations)
    rows = {o.pk: {"authority": o, "adopted": None, "in_progress": []} for o in organisations}
    for definition in definitions:
        covered = {a.pk for a in definition.authorities.all()} | {definition.owner_id}
        for authority_id in covered & set(rows):
            row = rows[authority_id]
            if definition.status == DefinitionStatus.ADOPTED:
                row["adopted"] = definition
            elif definition not in row["in_progress"]:
                row["in_progress"].append(definition)
    return {
        "rows": sorted(rows.values(), key=lambda r: r["authority"].name),
        "can_add": can(user, "socialvalue.add_definition"),
    }


def _load_review_panel(*, user, organisations) -> dict:
    """Definitions in review for the user's Compact groups (one query plus a prefetch)."""
    return {"definitions": list(selectors.definitions_in_review_for(groups=organisations))}


dashboard.register(
    dashboard.Panel(
        "commissioner.definition",
        Role.COMMISSIONER,
        "Local social value definition",
        "socialvalue/definitions/panel_commissioner.html",
        order=20,
        load=_load_commissioner_panel,
    )
)
dashboard.register(
    dashboard.Panel(
        "compact.definitions",
        Role.COMPACT_MEMBER,
        "Local definitions in review",
        "socialvalue/definitions/panel_review.html",
        order=20,
        load=_load_review_panel,
    )
)

# The market statement is public, so its PDF is too (cacheable, not confidential).
registry.register(
    registry.ReportKind(
        key="market-statement",
        title="Social value market statement",
        subject_model="socialvalue.Organisation",
        permission="socialvalue.view_market_statement",
        template="socialvalue/definitions/report.html",
        load=definition_reports.market_statement_report,
        data_version=definition_reports.market_statement_version,
        organisation_of=lambda authority: authority,
        confidential=False,
        describe=lambda authority, options: authority.name,
    )
)


# Demo: the council's adopted definition, reviewed by the Compact group.
DEMO_TITLE = "What social value means in Northfield"
DEMO_STATEMENT = (
    "Northfield wants every pound it spends to do more for the district: good, fairly paid work "
    "for local people, especially those furthest from it; money that stays with local firms, "
    "charities and social enterprises; stronger communities; and a district that produces less "
    "carbon and waste. We ask suppliers for a few commitments that fit the contract, measured "
    "the same way every time, and reported in proportion to the contract's size."
)
DEMO_PRIORITIES = [
    (
        "economic",
        "More local people in fair, secure work",
        "Unemployment is highest in the east of the district; we want contracts to recruit there.",
        [("ECO-03", "12", "per £1 million of contract value"), ("ECO-07", "", "")],
    ),
    (
        "economic",
        "More of the contract's spending stays with local and smaller organisations",
        "Local voluntary organisations and small firms should be able to share in the work.",
        [
            ("ECO-11", "", "a share of supply-chain spending agreed at contract start"),
            ("ECO-13", "", ""),
        ],
    ),
    (
        "social",
        "Stronger local communities and voluntary groups",
        "The Compact group asked that volunteering support the groups that run community centres.",
        [("SOC-01", "100", "hours a year"), ("SOC-12", "", "")],
    ),
    (
        "environmental",
        "Lower greenhouse gas emissions",
        "The council has declared a climate emergency and set a net zero target for its own "
        "estate and supply chain.",
        [("ENV-01", "", "against a baseline agreed at contract start"), ("ENV-06", "", "")],
    ),
]


def seed_definition(cast: demo.Cast) -> list[str]:
    """Adopt the demo council's local definition through the services, once."""
    council, group = cast.organisations["council"], cast.organisations["compact"]
    commissioner = cast.users["commissioner"]
    if LocalDefinition.objects.filter(owner=council).exists():
        return ["Local definition: already seeded."]
    measures = Measure.objects.in_bulk(
        [code for *_, links in DEMO_PRIORITIES for code, _, _ in links], field_name="code"
    )
    if len(measures) < sum(len(p[3]) for p in DEMO_PRIORITIES):
        return ["Local definition: skipped, the measures catalogue is not loaded."]
    definition = services.definition_create(
        actor=commissioner,
        owner=council,
        title=DEMO_TITLE,
        statement=DEMO_STATEMENT,
        review_group=group,
    )
    for theme, outcome, description, links in DEMO_PRIORITIES:
        priority = services.priority_add(
            actor=commissioner,
            definition=definition,
            theme=theme,
            outcome=outcome,
            description=description,
        )
        services.priority_set_measures(
            actor=commissioner, priority=priority, measures=[measures[c] for c, _, _ in links]
        )
        for link in priority.measures.select_related("measure", "priority__definition"):
            _, quantity, text = next(item for item in links if item[0] == link.measure.code)
            if quantity or text:
                services.priority_measure_set_target(
                    actor=commissioner,
                    link=link,
                    target_quantity=Decimal(quantity) if quantity else None,
                    target_text=text,
                )
    services.definition_submit(actor=commissioner, definition=definition)
    services.definition_adopt(actor=commissioner, definition=definition)
    return [
        f"Local definition: '{DEMO_TITLE}' adopted for {council.name} with "
        f"{len(DEMO_PRIORITIES)} priorities; market statement at "
        f"/definitions/market-statement/{council.slug}/"
    ]


demo.register(seed_definition, order=demo.ORDER["definitions"])
