"""Demo data: a small but complete cast of organisations and people, one per role.

`seed_demo` calls `seed_core`; later features add their own seeders to `SEEDERS` (each takes the
cast and returns lines to print), so the demo grows with the product.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from socialvalue.core import audit
from socialvalue.core.models import Membership, Organisation, OrganisationKind, Role, User

DEMO_PASSWORD = "demo-social-value-2026"


@dataclass
class Cast:
    """The demo's organisations and people by short name, for later seeders to build on."""

    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


Seeder = Callable[[Cast], list[str]]
# (order, seeder): lower orders run first, so data others build on (the local definition, say)
# exists before the features that use it (Act checks naming its priorities, tenders).
SEEDERS: list[tuple[int, Seeder]] = []

# The order each feature's seeder takes; a new feature adds its name here.
ORDER = {"definitions": 10, "act": 20, "tenders": 30, "compact": 40, "delivery": 50}


def register(seeder: Seeder, *, order: int = 100) -> Seeder:
    """Add a seeder that runs after the core cast exists (feature apps call this in ready())."""
    if all(existing is not seeder for _, existing in SEEDERS):
        SEEDERS.append((order, seeder))
    return seeder


ORGANISATIONS = {
    "council": {
        "name": "Northfield District Council",
        "kind": OrganisationKind.AUTHORITY,
        "authority_type": "local_authority",
        "nation": "england",
        "area_description": "Northfield district (a fictional district used for demonstrations).",
    },
    "compact": {"name": "Northfield Compact Group", "kind": OrganisationKind.COMPACT_GROUP},
    "voluntary_1": {
        "name": "Northfield Community Food Network",
        "kind": OrganisationKind.BIDDER,
        "bidder_type": "voluntary",
        "charity_number": "1199001",
    },
    "voluntary_2": {
        "name": "Riverside Youth Trust",
        "kind": OrganisationKind.BIDDER,
        "bidder_type": "voluntary",
        "charity_number": "1199002",
    },
    "sme": {
        "name": "Greenway Facilities Ltd",
        "kind": OrganisationKind.BIDDER,
        "bidder_type": "sme",
    },
}

PEOPLE = [
    # key, email, name, [(organisation, role)], staff
    (
        "admin",
        "admin@northfield.example",
        "Demo Authority Admin",
        [("council", Role.ORG_ADMIN)],
        False,
    ),
    (
        "commissioner",
        "commissioner@northfield.example",
        "Demo Commissioner",
        [("council", Role.COMMISSIONER)],
        False,
    ),
    (
        "procurement",
        "procurement@northfield.example",
        "Demo Procurement Officer",
        [("council", Role.PROCUREMENT_OFFICER)],
        False,
    ),
    (
        "evaluator",
        "evaluator@northfield.example",
        "Demo Evaluator",
        [("council", Role.EVALUATOR)],
        False,
    ),
    (
        "compact",
        "compact@northfield.example",
        "Demo Compact Member",
        [("compact", Role.COMPACT_MEMBER), ("compact", Role.ORG_ADMIN)],
        False,
    ),
    (
        "bidder_1",
        "bids@foodnetwork.example",
        "Demo Bidder (food network)",
        [
            ("voluntary_1", Role.ORG_ADMIN),
            ("voluntary_1", Role.BIDDER),
            ("compact", Role.COMPACT_MEMBER),
        ],
        False,
    ),
    (
        "bidder_2",
        "bids@riversideyouth.example",
        "Demo Bidder (youth trust)",
        [("voluntary_2", Role.ORG_ADMIN), ("voluntary_2", Role.BIDDER)],
        False,
    ),
    (
        "bidder_3",
        "bids@greenway.example",
        "Demo Bidder (SME)",
        [("sme", Role.ORG_ADMIN), ("sme", Role.BIDDER)],
        False,
    ),
    ("staff", "staff@service.example", "Demo Service Staff", [], True),
]


@transaction.atomic
def seed_core() -> tuple[Cast, list[str]]:
    """Create (or find) the demo organisations and people; safe to run twice."""
    cast = Cast()
    for key, fields in ORGANISATIONS.items():
        organisation = Organisation.objects.filter(name=fields["name"]).first()
        if organisation is None:
            organisation = Organisation(**fields)
            organisation.full_clean(exclude=["slug"])
            organisation.save()
            audit.record(
                actor=None,
                action="demo.organisation_created",
                obj=organisation,
                organisation=organisation,
            )
        cast.organisations[key] = organisation
    lines = [f"Demo sign-in details (password for everyone: {DEMO_PASSWORD})"]
    for key, email, name, roles, staff in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, full_name=name, is_staff=staff
            )
        cast.users[key] = user
        for org_key, role in roles:
            Membership.objects.get_or_create(
                user=user, organisation=cast.organisations[org_key], role=role
            )
        held = ", ".join(
            f"{Role(role).label} at {cast.organisations[org].name}" for org, role in roles
        )
        lines.append(f"  {email:<36} {held or 'service staff (status page, admin site)'}")
    return cast, lines


def seed_all() -> list[str]:
    """The core cast, then every registered feature seeder; returns the lines to print."""
    cast, lines = seed_core()
    for _, seeder in sorted(SEEDERS, key=lambda pair: pair[0]):
        with transaction.atomic():
            lines.extend(seeder(cast))
    return lines
