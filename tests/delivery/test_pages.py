"""The delivery pages: the flow from a supplier's return with evidence to the authority's
checks and the figures, bad input refused next to the field, and a query budget."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measurement.delivery import services
from measurement.delivery.models import LineStatus, ReturnLine, ReturnStatus
from tests.delivery.factories import contract_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(procurement_officer, authority):
    world = contract_world(procurement_officer, authority)
    services.schedule_create(actor=procurement_officer, contract=world.contract)
    return world


def test_supplier_sends_a_return_officer_accepts_and_queries_supplier_answers(world, client):
    contract = world.contract
    period = contract.reporting_periods.get(number=1)
    first, second = contract.commitments.order_by("pk")
    client.force_login(world.reporter)
    # Evidence into the library through the page.
    upload = SimpleUploadedFile("log.pdf", b"%PDF-1.4 hours log", content_type="application/pdf")
    response = client.post(
        reverse("delivery-evidence"), {"description": "Hours log", "file": upload}
    )
    assert response.status_code == 302
    evidence = world.supplier.evidence_items.get()
    # A negative quantity is refused next to its field, what was typed kept.
    url = reverse("delivery-return", args=[period.pk])
    response = client.post(
        url, {f"quantity_{first.pk}": "-3", f"quantity_{second.pk}": "1", "send": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The quantity cannot be negative." in page
    assert 'value="-3"' in page
    response = client.post(
        url,
        {
            f"quantity_{first.pk}": "100",
            f"evidence_{first.pk}": [str(evidence.pk)],
            f"quantity_{second.pk}": "0.5",
            f"note_{second.pk}": "Fewer staff than planned in the first months.",
            "send": "1",
        },
    )
    assert response.status_code == 302
    lines = {line.commitment_id: line for line in ReturnLine.objects.all()}
    assert lines[first.pk].delivery_return.status == ReturnStatus.SUBMITTED

    client.force_login(world.officer)
    client.post(
        reverse("delivery-line-decide", args=[lines[first.pk].pk]),
        {f"line-{lines[first.pk].pk}-decision": "accept"},
    )
    client.post(
        reverse("delivery-line-decide", args=[lines[second.pk].pk]),
        {
            f"line-{lines[second.pk].pk}-decision": "query",
            f"line-{lines[second.pk].pk}-reason": "Which months?",
        },
    )
    client.force_login(world.reporter)
    client.post(
        reverse("delivery-query-answer", args=[lines[second.pk].pk]),
        {f"line-{lines[second.pk].pk}-answer": "April and May."},
    )
    lines[second.pk].refresh_from_db()
    assert lines[second.pk].status == LineStatus.ANSWERED

    client.force_login(world.officer)
    page = client.get(reverse("delivery-contract", args=[contract.pk])).content.decode()
    row = re.search(rf'id="commitment-{first.pk}".*?</tr>', page, re.S).group(0)
    assert ">100<" in row  # delivered, accepted
    assert "Gross and net, side by side" in page
    assert 'id="assumptions"' in page
    chart = client.get(reverse("delivery-contract-chart", args=[contract.pk]))
    assert chart["Content-Type"].startswith("image/svg+xml")
    assert b"<script" not in chart.content
    totals = client.get(reverse("delivery-totals")).content.decode()
    assert contract.tender.title in totals


def test_a_period_not_begun_is_refused_on_the_page(world, client):
    later = world.contract.reporting_periods.get(number=4)
    first = world.contract.commitments.order_by("pk").first()
    client.force_login(world.reporter)
    response = client.post(
        reverse("delivery-return", args=[later.pk]), {f"quantity_{first.pk}": "1", "save": "1"}
    )
    assert response.status_code == 200
    assert "This period has not begun" in response.content.decode()


def test_a_bad_evidence_file_is_refused_next_to_the_field(world, client):
    client.force_login(world.reporter)
    bad = SimpleUploadedFile("x.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(reverse("delivery-evidence"), {"description": "Log", "file": bad})
    assert response.status_code == 200
    assert "The file is not a real PDF file." in response.content.decode()
    assert not world.supplier.evidence_items.exists()


def test_the_authority_totals_page_holds_its_queries(world, client, django_assert_max_num_queries):
    from tests.delivery.factories import contract_world as another

    for _ in range(2):
        extra = another(world.officer, world.contract.tender.authority)
        services.schedule_create(actor=world.officer, contract=extra.contract)
    client.force_login(world.officer)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("delivery-totals"))
    assert response.status_code == 200
    assert Decimal(0) == Decimal(0)


def test_the_demo_contract_has_two_periods_of_returns(client):
    from socialvalue.core.demo import seed_all, seed_core
    from tenders.demo import AWARDED_TITLE
    from tenders.models import Contract

    seed_all()
    cast, _ = seed_core()
    contract = Contract.objects.get(tender__title=AWARDED_TITLE)
    sent = [p for p in contract.reporting_periods.all() if getattr(p, "delivery_return", None)]
    assert len(sent) == 2
    client.force_login(cast.users["bidder_1"])
    page = client.get(reverse("delivery-contract", args=[contract.pk])).content.decode()
    assert "Behind target" in page or "Delivered" in page
    client.force_login(cast.users["procurement"])
    assert client.get(reverse("delivery-totals")).status_code == 200


def test_each_line_of_a_sent_return_has_its_own_form_ids(world, client):
    """One decision form per line: no element id twice on the page, and each label points at
    an input of its own line's form."""
    period = world.contract.reporting_periods.get(number=1)
    commitments = list(world.contract.commitments.order_by("pk"))
    assert len(commitments) > 1
    lines = {c.pk: services.LineInput(quantity="1") for c in commitments}
    sent = services.return_save(actor=world.reporter, period=period, lines=lines, submit=True)
    client.force_login(world.officer)
    page = client.get(reverse("delivery-return", args=[period.pk])).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for line in sent.lines.all():
        assert f'name="line-{line.pk}-decision"' in page
        assert f'for="id_line-{line.pk}-reason"' in page
        assert f'id="id_line-{line.pk}-reason"' in page
    labels = re.findall(r'\sfor="([^"]+)"', page)
    assert labels and set(labels) <= set(ids)
