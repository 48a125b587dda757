"""Wires tenders into the service: permissions, header links, dashboard panels, demo data and
background jobs. Imported once from TendersConfig.ready()."""

from django.utils import timezone

from socialvalue.core import dashboard, demo, navigation
from socialvalue.models import Role
from socialvalue.reports import annual, registry
from tenders import (  # noqa: F401  (rules and job handlers register)
    award_reports,
    evaluation_selectors,
    permissions,
    ranking_version,
    selectors,
    services,
)
from tenders import reports as tender_reports
from tenders.demo import seed_tenders
from tenders.evaluation_demo import seed_evaluation
from tenders.models import Tender, TenderStatus

PANEL_ROWS = 5

# A lot's ranking is worked out once per data version: every row it reads says when it changes.
ranking_version.connect()


def _load_tenders(*, user, organisations) -> dict:
    """The newest tenders of the officer's authorities (one query)."""
    rows = list(
        Tender.objects.filter(authority__in=[o.pk for o in organisations])
        .annotate(questions_waiting=selectors.questions_waiting_count())
        .order_by("-created_at")[:PANEL_ROWS]
    )
    return {"tenders": rows, "can_add": True}


def _load_opportunities(*, user, organisations) -> dict:
    """Tenders open for bids, closing soonest first (one query)."""
    rows = list(
        Tender.objects.filter(status=TenderStatus.PUBLISHED, submission_deadline__gt=timezone.now())
        .select_related("authority")
        .order_by("submission_deadline")[:PANEL_ROWS]
    )
    return {"tenders": rows}


def _load_bids(*, user, organisations) -> dict:
    """The organisation's latest bids (one query)."""
    rows = list(
        selectors.own_bids(user=user).filter(bidder__in=[o.pk for o in organisations])[:PANEL_ROWS]
    )
    return {"bids": rows}


def _load_evaluation(*, user, organisations) -> dict:
    """The evaluator's appointments on tenders still being evaluated, newest first (one query),
    each with where their work is: declaring their interests, or marking."""
    return {"appointments": evaluation_selectors.open_appointments(user=user, limit=PANEL_ROWS)}


# Everyone who may open the authority's tender list gets the link (evaluators and organisation
# admins too, not only those who build tenders); bid contents stay behind the sealed-bid rule.
navigation.register(
    navigation.NavItem("tenders", "Tenders", "tender-list", "tenders.list_tenders", order=40)
)
navigation.register(
    navigation.NavItem(
        "opportunities", "Opportunities", "tender-opportunities", "tenders.view_opportunities", 40
    )
)
navigation.register(
    navigation.NavItem("bids", "Your bids", "bid-list", "tenders.view_opportunities", order=41)
)
# Opportunities are public: a visitor finds them before registering to bid.
navigation.register(
    navigation.NavItem(
        "opportunities-public",
        "Opportunities",
        "tender-opportunities",
        order=15,
        audience=navigation.SIGNED_OUT,
    )
)
for key, role, title, template, loader in (
    (
        "procurement.tenders",
        Role.PROCUREMENT_OFFICER,
        "Tenders",
        "tenders/panels/tenders.html",
        _load_tenders,
    ),
    (
        "bidder.opportunities",
        Role.BIDDER,
        "Opportunities",
        "tenders/panels/opportunities.html",
        _load_opportunities,
    ),
    ("bidder.bids", Role.BIDDER, "Your bids", "tenders/panels/bids.html", _load_bids),
    (
        "evaluator.assignments",
        Role.EVALUATOR,
        "Bids to evaluate",
        "tenders/panels/evaluation.html",
        _load_evaluation,
    ),
):
    dashboard.register(dashboard.Panel(key, role, title, template, order=20, load=loader))
demo.register(seed_tenders, order=demo.ORDER["tenders"])
# After the other demo tenders, whose helpers it uses.
demo.register(seed_evaluation, order=demo.ORDER["tenders"] + 1)

annual.register_section(
    annual.Section(
        key="tenders",
        title="Tenders and the social value committed in bids",
        template="tenders/annual_section.html",
        load=tender_reports.annual_section,
        data_version=tender_reports.annual_section_version,
        order=20,
    )
)

# The officers' full record of a tender's evaluation: asked like the ranking page it contains.
registry.register(
    registry.ReportKind(
        key="tender-evaluation",
        title="Tender evaluation report",
        subject_model="tenders.Tender",
        permission="tenders.rank_bids",
        template="tenders/reports/evaluation.html",
        load=award_reports.evaluation_context,
        data_version=award_reports.evaluation_version,
        organisation_of=lambda tender: tender.authority,
        confidential=True,
        clean_options=award_reports.clean_evaluation_options,
        filename=lambda tender, options: (
            f"evaluation-{tender.reference or tender.pk}"
            + ("-full" if options.get("detail") == award_reports.FULL else "")
        ),
        describe=award_reports.describe_evaluation,
    )
)
# One bidder's assessment summary (or award decision letter): the letter itself is the subject,
# asked like the outcome page that shows it (the bidder's own, or any of them for the officer).
registry.register(
    registry.ReportKind(
        key="assessment-summary",
        title="Assessment summary",
        subject_model="tenders.BidderNotice",
        permission="tenders.view_award_letter",
        template="tenders/reports/letter.html",
        load=award_reports.letter_context,
        data_version=award_reports.letter_version,
        organisation_of=lambda letter: letter.notice.tender.authority,
        confidential=True,
        filename=lambda letter, options: f"assessment-summary-{letter.bid_id}-{letter.pk}",
        describe=lambda letter, options: f"{letter.bid.bidder.name}, {letter.bid.tender.title}",
    )
)
