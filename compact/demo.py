"""Demo data: Northfield's local Compact with its signatories, commitments and group; a joint
strategy; an open consultation with a response, a closed one with its published response; a
decommissioning assessment with the group's comment; and the council's next definition in
review with comments. Everything goes through the services."""

from __future__ import annotations

from datetime import date, timedelta

from compact import services
from compact.models import GroupRole, LocalCompact, Sector
from socialvalue.act.models import PlannedContract
from socialvalue.core import demo
from socialvalue.definitions import services as definition_services
from socialvalue.definitions.models import DefinitionStatus, LocalDefinition

TITLE = "Northfield Compact"
OPEN_TITLE = "Community centres: how they are run from next year"
CLOSED_TITLE = "Social value in Northfield's procurement policy"
DECOMMISSIONING_SERVICE = "Evening youth club grant (east Northfield)"


def _today() -> date:
    from django.utils import timezone

    return timezone.localdate()


def seed_compact(cast: demo.Cast) -> list[str]:
    """Seed the Compact once; later runs leave what is there."""
    if LocalCompact.objects.filter(title=TITLE).exists():
        return ["Compact: already seeded."]
    council, group = cast.organisations["council"], cast.organisations["compact"]
    food, youth = cast.organisations["voluntary_1"], cast.organisations["voluntary_2"]
    keeper, commissioner = cast.users["compact"], cast.users["commissioner"]
    member = cast.users["bidder_1"]
    today = _today()
    compact = services.local_compact_create(
        actor=keeper,
        group=group,
        title=TITLE,
        area="Northfield district",
        agreed_on=date(2011, 6, 1),
        review_on=today + timedelta(days=200),
        authorities=[council],
        summary="How Northfield's public bodies and its voluntary and community organisations "
        "work together: consultation, funding and the social value of public spending.",
    )
    for organisation, name, sector, signed_on, note in [
        (council, "", Sector.PUBLIC, date(2011, 6, 1), ""),
        (
            None,
            "Northfield Integrated Care Board",
            Sector.PUBLIC,
            None,
            "No duty to sign; invited to sign in 2026.",
        ),
        (
            None,
            "Police and Crime Commissioner for Northfield",
            Sector.PUBLIC,
            None,
            "No duty to sign; invited.",
        ),
        (food, "", Sector.VOLUNTARY, date(2011, 6, 1), ""),
        (youth, "", Sector.VOLUNTARY, date(2019, 3, 14), ""),
    ]:
        services.signatory_add(
            actor=keeper,
            compact=compact,
            organisation=organisation,
            name=name,
            sector=sector,
            signed_on=signed_on,
            note=note,
        )
    for text, key in [
        (
            "Consider social value in all procurement, including lower-value contracts.",
            "value_standard",
        ),
        (
            "Consult for 12 weeks where that enables meaningful engagement, and publish the reason "
            "for any shorter consultation with it.",
            "twelve_week_consultation",
        ),
        (
            "Give voluntary organisations at least three months' notice of the end of funding, "
            "after assessing the impact on the people they serve.",
            "decommissioning",
        ),
    ]:
        services.commitment_add(actor=keeper, compact=compact, text=text, national_key=key)
    for organisation, role in [
        (food, GroupRole.CHAIR),
        (council, GroupRole.MEMBER),
        (youth, GroupRole.MEMBER),
    ]:
        services.member_add(actor=keeper, compact=compact, organisation=organisation, role=role)

    adopted = LocalDefinition.objects.filter(owner=council, status=DefinitionStatus.ADOPTED).first()
    lines = [f"Compact: '{TITLE}' with 5 signatories (2 not signed) at /compact/{compact.slug}/"]
    if adopted is not None:
        definition_services.definition_set_review(
            actor=commissioner,
            definition=adopted,
            review_on=today + timedelta(days=300),
            voluntary_sector_role="Voluntary organisations deliver much of the social value "
            "asked for, advise on local priorities through the Compact group, and are helped "
            "to bid by smaller lots and plain questions.",
        )
        services.strategy_create(
            actor=keeper,
            compact=compact,
            title="Northfield joint social value strategy",
            definition=adopted,
            policy="The council's procurement strategy requires the local definition to be "
            "considered for every contract, including those below the threshold.",
            charter="Northfield social value charter, signed by the council and the Compact group.",
            lead_officer="Head of Commissioning, Northfield District Council",
            review_every_months=12,
            next_review_on=today + timedelta(days=20),
        )
        _seed_review(cast, adopted)
        lines.append(f"Compact: joint definition '{JOINT_TITLE}' in review with comments")

    contract = PlannedContract.objects.filter(
        authority=council, title="Home care and reablement support"
    ).first()
    open_one = services.consultation_create(
        actor=commissioner,
        authority=council,
        title=OPEN_TITLE,
        subject="service_design",
        description="The council proposes that community groups run the district's four "
        "community centres, with a grant for each, from next April.",
        audience="Voluntary and community groups using the centres, their users and residents.",
        starts_on=today - timedelta(days=14),
        ends_on=today + timedelta(days=56),
        shorter_reason="The grants must be agreed before the council sets its budget in "
        "February; the Compact group was consulted informally in the spring.",
        planned_contract=None,
    )
    services.consultation_respond(
        actor=member,
        consultation=open_one,
        organisation=food,
        body="The food network runs lunch clubs in two centres and would like to take on one "
        "of them, provided the grant covers heating and a caretaker.",
    )
    closed = services.consultation_create(
        actor=commissioner,
        authority=council,
        title=CLOSED_TITLE,
        subject="policy" if contract is None else "procurement",
        description="How the council asks for social value in its contracts, including smaller "
        "lots and fewer, better measured commitments.",
        audience="Suppliers, voluntary organisations and social enterprises in Northfield.",
        starts_on=today - timedelta(days=130),
        ends_on=today - timedelta(days=30),
        planned_contract=contract,
    )
    services.consultation_publish_response(
        actor=commissioner,
        consultation=closed,
        summary="Fourteen organisations responded. Most asked for smaller lots and for "
        "commitments measured the same way every time.",
        you_said_we_did="You said large contracts shut out local groups: we now split "
        "contracts into lots where we can. You said reporting was heavy: reporting now "
        "follows the contract's value.",
    )
    lines.append(f"Compact: open consultation '{OPEN_TITLE}' and a closed one with its response")

    assessment = services.decommissioning_record(
        actor=commissioner,
        authority=council,
        service=DECOMMISSIONING_SERVICE,
        change="end",
        provider=youth,
        notice_given_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=50),
        short_notice_reason="The building's lease ends early; the trust was told informally in "
        "the summer and the council is helping it find another hall.",
        advice_sought="The Compact group and the district's youth network, at their meetings.",
        beneficiaries_impact="About 40 young people lose a weekly evening session.",
        beneficiaries_mitigation="Sessions move to the west centre, with transport for a year.",
        service_users_impact="Parents lose a safe place for young people on weekday evenings.",
        service_users_mitigation="The trust's outreach workers will contact each family.",
        volunteers_impact="Twelve volunteers lose their regular role.",
        volunteers_mitigation="Volunteers are offered places at the west centre.",
        social_impact="Fewer safe evening activities in the east of the district.",
        economic_impact="Two part-time youth worker posts end; the grant was £18,000 a year.",
        environmental_impact="Longer journeys to the west centre; transport is shared.",
    )
    services.decommissioning_comment(
        actor=member,
        assessment=assessment,
        body="The group asks the council to keep the transport for two years, not one.",
    )
    lines.append(f"Compact: decommissioning assessment '{DECOMMISSIONING_SERVICE}'")
    return lines


JOINT_TITLE = "Social value across Northfield's public bodies"


def _seed_review(cast: demo.Cast, adopted: LocalDefinition) -> None:
    """A joint definition drafted by the Compact group for the council, in review, with the
    group's comments and the author's reply (each authority then adopts it for itself)."""
    keeper, member = cast.users["compact"], cast.users["bidder_1"]
    group, council = cast.organisations["compact"], cast.organisations["council"]
    joint = definition_services.definition_create(
        actor=keeper,
        owner=group,
        title=JOINT_TITLE,
        statement="Northfield's public bodies and voluntary organisations agree what social "
        "value means here: fair work for local people, spending that stays local, stronger "
        "communities and a lower-carbon district.",
        authorities=[council],
    )
    for source in adopted.priorities.order_by("order", "pk")[:2]:
        priority = definition_services.priority_add(
            actor=keeper,
            definition=joint,
            theme=source.theme,
            outcome=source.outcome,
            description=source.description,
        )
        definition_services.priority_set_measures(
            actor=keeper,
            priority=priority,
            measures=[link.measure for link in source.measures.select_related("measure")],
        )
    in_review = definition_services.definition_submit(actor=keeper, definition=joint)
    priority = in_review.priorities.order_by("order", "pk").first()
    general = services.review_comment(
        actor=member,
        definition=in_review,
        body="The statement should name the voluntary sector's part in delivering social value.",
    )
    services.review_comment(
        actor=keeper,
        definition=in_review,
        parent=general,
        body="Agreed: the role of voluntary organisations is now set out with the definition.",
    )
    services.review_comment(
        actor=member,
        definition=in_review,
        priority=priority,
        body="Could the target for local recruitment count apprenticeships separately?",
    )
