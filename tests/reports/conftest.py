"""The demo world the report tests render, seeded once per test that asks for it."""

from dataclasses import dataclass

import pytest


@dataclass
class Demo:
    council: object
    contract: object
    commissioner: object
    procurement: object
    bidder: object
    closed_tender: object


@pytest.fixture
def demo(db, settings, tmp_path):
    """The demo data, with the closed tender's bids opened (so committed value is readable)."""
    from socialvalue.core.demo import seed_all, seed_core
    from socialvalue.models import PlannedContract
    from tenders.demo import CLOSED_TITLE
    from tenders.models import Tender
    from tenders.services.lifecycle import open_bids

    settings.MEDIA_ROOT = tmp_path / "media"
    seed_all()
    cast, _ = seed_core()
    council = cast.organisations["council"]
    closed = Tender.objects.get(authority=council, title=CLOSED_TITLE)
    open_bids(actor=cast.users["procurement"], tender=closed)
    return Demo(
        council=council,
        contract=PlannedContract.objects.get(
            authority=council, title="Home care and reablement support"
        ),
        commissioner=cast.users["commissioner"],
        procurement=cast.users["procurement"],
        bidder=cast.users["bidder_1"],
        closed_tender=closed,
    )
