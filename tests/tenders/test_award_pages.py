"""The award's pages: the ranking page's queries do not grow with the bids (200 bids x 20
criteria), the chart is an SVG image readable without colour, and `score_bids` on the command
line agrees with the ranking page for the demo's awarded tender."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socialvalue.models import Role
from tenders import ranking, scoring
from tenders.models import Criterion, ModeratedMark, Tender
from tests.factories import person_with_role
from tests.tenders.award_factories import bulk_lot

# The ranking page's budget, whatever the number of bids and criteria.
RANKING_QUERIES = 40


def _queries(client, url) -> int:
    from django.db import connection

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_ranking_page_holds_its_queries_with_200_bids_and_20_criteria(
    client, procurement_officer, authority, django_assert_max_num_queries
):
    _small_tender, small = bulk_lot(procurement_officer, authority, bids=10, questions=19)
    _tender, lot = bulk_lot(procurement_officer, authority, bids=200, questions=19)
    assert Criterion.objects.filter(lot=lot, children__isnull=True).count() == 20
    assert ModeratedMark.objects.filter(criterion__lot=lot).count() == 200 * 19
    client.force_login(procurement_officer)
    url = reverse("award-ranking", args=[lot.pk])
    small_url = reverse("award-ranking", args=[small.pk])
    few = _queries(client, small_url)
    with django_assert_max_num_queries(RANKING_QUERIES) as counted:
        page = client.get(url)
    assert page.status_code == 200
    assert len(counted) == few
    # Asked again with nothing changed: the ranking comes from the cache, in fewer queries.
    assert _queries(client, url) == _queries(client, small_url) < few
    body = page.content.decode()
    # The first page of 50 bids, with the rest paginated.
    assert body.count('id="bid-') == 50
    assert "Next" in body
    with django_assert_max_num_queries(RANKING_QUERIES):
        chart = client.get(reverse("award-ranking-chart", args=[lot.pk]))
    assert chart["Content-Type"].startswith("image/svg+xml")


def test_the_chart_is_patterned_labelled_and_loads_nothing(client, procurement_officer, authority):
    _tender, lot = bulk_lot(procurement_officer, authority, bids=3, questions=4)
    client.force_login(procurement_officer)
    svg = client.get(reverse("award-ranking-chart", args=[lot.pk])).content.decode()
    assert svg.startswith("<svg")
    # Each part is filled with a pattern, not a colour alone, and carries its value as text.
    assert svg.count("<pattern") >= 3 and "url(#chart-" in svg
    assert len(re.findall(r'class="value', svg)) >= 3
    assert "<script" not in svg and "http://" not in svg.split("-->")[-1]
    for label in ("Price", "Quality", "Social value"):
        assert label in svg
    # The ranking page names the patterns and gives the figures as a table too.
    page = client.get(reverse("award-ranking", args=[lot.pk])).content.decode()
    assert "diagonal lines" in page and 'id="ranking"' in page


def test_only_the_officer_sees_the_ranking(client, procurement_officer, authority):
    _tender, lot = bulk_lot(procurement_officer, authority, bids=3, questions=4)
    for role in (Role.EVALUATOR, Role.COMMISSIONER):
        client.force_login(person_with_role(role, authority))
        assert client.get(reverse("award-ranking", args=[lot.pk])).status_code == 403
    bidder = person_with_role(Role.BIDDER)
    client.force_login(bidder)
    assert client.get(reverse("award-ranking", args=[lot.pk])).status_code in (403, 404)


def _score_bids_document(lot) -> dict:
    """The demo lot as a `score_bids` document: its criteria, the moderated marks and prices."""
    tender = lot.tender
    rows = list(Criterion.objects.filter(lot=lot).order_by("order", "pk"))
    parents = {row.parent_id for row in rows}
    criteria = []
    for row in rows:
        item = {"id": str(row.pk), "kind": row.kind, "weight": str(row.weight)}
        if row.parent_id:
            item["parent"] = str(row.parent_id)
        if row.pk not in parents:
            if row.kind == "price":
                item["method"] = tender.price_method
            else:
                item["max_score"] = str(row.max_mark)
                if row.pass_mark is not None:
                    item["pass_mark"] = str(row.pass_mark)
        criteria.append(item)
    marks = ranking.lot_marks(lot).marks
    lot_ranking = ranking.rank_lot(lot=lot)
    bids = [
        {
            "id": str(row.bid.pk),
            "price": str(row.bid.price),
            "scores": {str(k): str(v) for k, v in marks.get(row.bid.pk, {}).items()},
        }
        for row in lot_ranking.rows
    ]
    tie_break = [k for k in ranking.tie_break_rule(tender) if k != scoring.PRICE]
    return {"criteria": criteria, "bids": bids, "tie_break": tie_break}


@pytest.mark.django_db
def test_score_bids_agrees_with_the_ranking_page_for_the_demo_tender(client, tmp_path):
    from socialvalue.core.demo import seed_all, seed_core
    from tenders.demo import AWARDED_TITLE

    seed_all()
    cast, _ = seed_core()
    tender = Tender.objects.get(title=AWARDED_TITLE)
    lot = tender.lots.get()
    document = tmp_path / "bids.json"
    document.write_text(json.dumps(_score_bids_document(lot)))
    out = tmp_path / "out.json"
    with out.open("w") as handle:
        call_command("score_bids", str(document), stdout=handle)
    printed = json.loads(out.read_text())

    lot_ranking = ranking.rank_lot(lot=lot)
    page_rows = {row.bid.pk: row for row in lot_ranking.rows}
    client.force_login(cast.users["procurement"])
    page = client.get(reverse("award-ranking", args=[lot.pk])).content.decode()
    assert printed["winner"] == str(lot_ranking.leader.pk)
    assert len(printed["results"]) == len(page_rows) == 3
    for result in printed["results"]:
        row = page_rows[int(result["id"])]
        assert result["rank"] == row.result.rank
        assert result["total"] == str(scoring.presented(row.result.total))
        # The same figure is what the page shows in that bid's row.
        shown = re.search(rf'id="bid-{row.bid.pk}".*?<strong>([0-9.]+)</strong>', page, re.S)
        assert shown and shown.group(1) == result["total"]


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["award-ranking", "award-lot", "contract-enter"])
def test_award_pages_for_the_demo_awarded_tender_render(client, route):
    from socialvalue.core.demo import seed_all, seed_core
    from tenders.demo import AWARDED_TITLE

    seed_all()
    cast, _ = seed_core()
    lot = Tender.objects.get(title=AWARDED_TITLE).lots.get()
    client.force_login(cast.users["procurement"])
    response = client.get(reverse(route, args=[lot.pk]), follow=True)
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_demo_awarded_tender_shows_its_award_contract_and_outcomes(client):
    from socialvalue.core.demo import seed_all, seed_core
    from tenders.demo import AWARDED_TITLE
    from tenders.models import Bid

    seed_all()
    cast, _ = seed_core()
    tender = Tender.objects.get(title=AWARDED_TITLE)
    contract = tender.contracts.get()
    client.force_login(cast.users["procurement"])
    award = client.get(reverse("award-tender", args=[tender.pk])).content.decode()
    assert "Awarded to" in award and "Midnight at the end of" in award
    page = client.get(reverse("contract-detail", args=[contract.pk])).content.decode()
    assert contract.supplier.name in page and 'id="commitments"' in page
    # The winner reads its contract and its outcome; a loser reads only its own.
    client.force_login(cast.users["bidder_1"])
    assert client.get(reverse("contract-detail", args=[contract.pk])).status_code == 200
    bids = Bid.objects.unscoped(reason="the test reads what was stored").filter(tender=tender)
    for bid in bids:
        response = client.get(reverse("bid-outcome", args=[bid.pk]))
        if bid.bidder_id == contract.supplier_id:
            assert "Successful" in response.content.decode()
        else:
            assert response.status_code == 404
    client.force_login(cast.users["bidder_2"])
    assert client.get(reverse("contract-detail", args=[contract.pk])).status_code in (403, 404)
