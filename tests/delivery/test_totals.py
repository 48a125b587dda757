"""The authority's totals across contracts (committed against verified delivered, gross and net,
by theme and by priority), worked by hand on a small set and checked against each contract's
own page; the public summary, published or not; a constant number of queries as data grows."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from measurement.delivery import selectors, services, totals
from measurement.delivery.models import ReturnLine
from socialvalue.core.models import AuditEntry
from socialvalue.definitions import services as definition_services
from socialvalue.kernel.money import format_gbp
from socialvalue.models import Role
from tenders.models import Contract, Tender
from tests.delivery.factories import contract_world
from tests.factories import AuthorityFactory, person_with_role

pytestmark = pytest.mark.django_db
PENNY = Decimal("0.01")


def pence(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def _adopt(commissioner, authority):
    """Two priorities: local jobs (ECO-03) and healthier communities (SOC-02 and ECO-03 again)."""
    from measurement.models import Measure

    definition = definition_services.definition_create(
        actor=commissioner,
        owner=authority,
        title="Our social value",
        statement="Good work for local people.",
        review_group=None,
    )
    for theme, outcome, codes in (
        ("economic", "Local jobs", ("ECO-03",)),
        ("social", "Healthier communities", ("SOC-02", "ECO-03")),
    ):
        priority = definition_services.priority_add(
            actor=commissioner, definition=definition, theme=theme, outcome=outcome
        )
        definition_services.priority_set_measures(
            actor=commissioner,
            priority=priority,
            measures=list(Measure.objects.filter(code__in=codes)),
        )
    definition_services.definition_submit(actor=commissioner, definition=definition)
    return definition_services.definition_adopt(actor=commissioner, definition=definition)


def _in_proxy_year(contract: Contract) -> Contract:
    """Sign the contract on its first commitment's proxy date, so the price base is the proxy's
    own year and nothing confirmed is uprated (uprating with the unconfirmed deflator would
    make it unconfirmed): the hand-worked figures need no deflator."""
    first = contract.commitments.select_related("proxy_value").order_by("pk").first()
    Contract.objects.filter(pk=contract.pk).update(signed_on=first.proxy_value.valid_from)
    return Contract.objects.get(pk=contract.pk)


def _send(world, period_number: int, quantities: dict[str, str]):
    period = world.contract.reporting_periods.get(number=period_number)
    commitments = {c.measure.code: c for c in world.contract.commitments.select_related("measure")}
    services.return_save(
        actor=world.reporter,
        period=period,
        lines={
            c.pk: services.LineInput(quantity=quantities.get(code, "0"))
            for code, c in commitments.items()
        },
        submit=True,
    )
    return {
        line.commitment.measure.code: line
        for line in ReturnLine.objects.filter(delivery_return__period=period).select_related(
            "commitment__measure"
        )
    }


@pytest.fixture
def small_set(procurement_officer, commissioner, authority):
    """Contract A: ECO-03 x10, SOC-02 x20 (confirmed welfare) and SOC-01 x50 (source not yet
    confirmed); net assumptions deadweight 20%, attribution 10%, one year. Accepted in period
    1: 4, 5 and 20; period 2's 3 of ECO-03 awaits checks. Contract B: ECO-07 x2 (a transfer,
    unconfirmed, included by the contract's choice), 1 accepted."""
    _adopt(commissioner, authority)
    a = contract_world(
        procurement_officer,
        authority,
        commitments=(("ECO-03", "10"), ("SOC-02", "20"), ("SOC-01", "50")),
    )
    a.contract = _in_proxy_year(a.contract)
    services.schedule_create(actor=procurement_officer, contract=a.contract)
    services.assumptions_set(
        actor=procurement_officer,
        contract=a.contract,
        deadweight=Decimal("20"),
        attribution=Decimal("10"),
        displacement=Decimal("0"),
        drop_off=Decimal("0"),
        duration_years=1,
        include_unconfirmed=False,
    )
    for line in _send(a, 1, {"ECO-03": "4", "SOC-02": "5", "SOC-01": "20"}).values():
        services.line_decide(actor=procurement_officer, line=line, decision="accept")
    _send(a, 2, {"ECO-03": "3"})  # awaiting checks: never counted
    b = contract_world(procurement_officer, authority, commitments=(("ECO-07", "2"),))
    b.contract = _in_proxy_year(b.contract)
    Tender.objects.filter(pk=b.contract.tender_id).update(title="Fair pay cleaning contract")
    services.schedule_create(actor=procurement_officer, contract=b.contract)
    services.assumptions_set(
        actor=procurement_officer,
        contract=b.contract,
        deadweight=Decimal("0"),
        attribution=Decimal("0"),
        displacement=Decimal("0"),
        drop_off=Decimal("0"),
        duration_years=1,
        include_unconfirmed=True,
    )
    for line in _send(b, 1, {"ECO-07": "1"}).values():
        services.line_decide(actor=procurement_officer, line=line, decision="accept")
    return a, b


def _proxy(contract: Contract, code: str) -> Decimal:
    return contract.commitments.get(measure__code=code).proxy_amount


def test_totals_by_theme_and_priority_worked_by_hand(small_set, authority):
    a, b = small_set
    eco3, soc2, eco7 = _proxy(a.contract, "ECO-03"), _proxy(a.contract, "SOC-02"), None
    eco7 = _proxy(b.contract, "ECO-07")
    assert a.contract.commitments.get(measure__code="SOC-02").proxy_value.source_confirmed
    kept = Decimal("0.8") * Decimal("0.9")  # (1 - deadweight) x (1 - attribution)
    figures = totals.authority_delivery(authority)
    overall = figures.overall
    # Delivered: only the accepted 4 of ECO-03 and 5 of SOC-02 are confirmed welfare.
    assert pence(overall.delivered.welfare_gross) == pence(4 * eco3 + 5 * soc2)
    assert pence(overall.delivered.welfare_net) == pence((4 * eco3 + 5 * soc2) * kept)
    assert pence(overall.committed.welfare_gross) == pence(10 * eco3 + 20 * soc2)
    assert pence(overall.committed.welfare_net) == pence((10 * eco3 + 20 * soc2) * kept)
    # The transfer is apart, and in it only because contract B chose to include unconfirmed.
    assert pence(overall.delivered.transfer_gross) == pence(eco7)
    assert pence(overall.delivered.included_gross) == pence(eco7)
    assert pence(overall.committed.transfer_gross) == pence(2 * eco7)
    # SOC-01's accepted 20 are left out (unconfirmed), as contract A's own page leaves them out.
    page_a = selectors.contract_figures(a.contract).totals
    assert overall.delivered.left_out_gross > 0
    assert pence(overall.delivered.left_out_gross) == pence(page_a.unconfirmed_gross)
    themes = {bucket.key: bucket for bucket in figures.by_theme}
    assert pence(themes["theme-economic"].delivered.welfare_gross) == pence(4 * eco3)
    assert pence(themes["theme-social"].delivered.welfare_gross) == pence(5 * soc2)
    assert themes["theme-environmental"].delivered.welfare_gross == 0
    priorities = {bucket.label: bucket for bucket in figures.by_priority}
    assert pence(priorities["Economic: Local jobs"].delivered.welfare_net) == pence(4 * eco3 * kept)
    # ECO-03 serves both priorities, so it counts under each.
    assert pence(priorities["Social: Healthier communities"].delivered.welfare_gross) == pence(
        4 * eco3 + 5 * soc2
    )
    assert pence(
        priorities["Measures under no priority of the definition"].delivered.transfer_gross
    ) == pence(eco7)
    assert figures.definition_title == "Our social value"
    # Each contract's row is what its own page shows.
    rows = {row.contract.pk: row.bucket for row in totals.contract_rows([a.contract, b.contract])}
    for world in (a, b):
        page = selectors.contract_figures(world.contract).totals
        row = rows[world.contract.pk].delivered
        assert pence(row.welfare_gross) == pence(page.welfare_gross)
        assert pence(row.welfare_net) == pence(page.welfare_net)
        assert pence(row.transfer_net) == pence(page.transfer_net)


def test_the_totals_page_shows_themes_priorities_and_contracts(
    small_set, client, procurement_officer, authority
):
    a, b = small_set
    figures = totals.authority_delivery(authority)
    client.force_login(procurement_officer)
    page = client.get(reverse("delivery-totals")).content.decode()
    assert format_gbp(figures.overall.delivered.welfare_gross) in page
    assert format_gbp(figures.overall.committed.welfare_net) in page
    assert 'id="by-theme"' in page and 'id="by-priority"' in page
    assert "Healthier communities" in page
    assert "Fair pay cleaning contract" in page
    assert "Not published" in page


def test_public_summary_only_when_published_and_only_verified(
    small_set, client, procurement_officer, commissioner, authority
):
    a, b = small_set
    url = reverse("delivery-public", args=[authority.slug])
    assert client.get(url).status_code == 404
    # An evaluator may read contracts but not publish; the officer may.
    evaluator = person_with_role(Role.EVALUATOR, authority)
    client.force_login(evaluator)
    publish = reverse("delivery-publication", args=[authority.pk])
    assert client.post(publish, {"published": "yes"}).status_code == 403
    client.force_login(procurement_officer)
    response = client.post(publish, {"published": "yes"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="delivery.published").count() == 1
    client.logout()
    # Another authority's verified delivery is never on this page.
    other_authority = AuthorityFactory()
    other_officer = person_with_role(Role.PROCUREMENT_OFFICER, other_authority)
    other = contract_world(other_officer, other_authority, commitments=(("ECO-03", "9"),))
    Tender.objects.filter(pk=other.contract.tender_id).update(title="XORG other council's deal")
    services.schedule_create(actor=other_officer, contract=other.contract)
    for line in _send(other, 1, {"ECO-03": "9"}).values():
        services.line_decide(actor=other_officer, line=line, decision="accept")
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    figures = totals.authority_delivery(authority, delivered_only=True)
    eco3, soc2 = _proxy(a.contract, "ECO-03"), _proxy(a.contract, "SOC-02")
    assert format_gbp(figures.overall.delivered.welfare_gross) in page
    assert format_gbp(4 * eco3 + 5 * soc2) in page
    # Nothing awaiting checks (period 2's 3 of ECO-03), nothing committed, no other authority.
    assert format_gbp(7 * eco3 + 5 * soc2) not in page
    assert format_gbp(10 * eco3 + 20 * soc2) not in page
    assert "XORG other council" not in page
    assert "Fair pay cleaning contract" in page
    # Withdrawn: the page is gone again.
    client.force_login(procurement_officer)
    client.post(publish, {"published": "no"})
    client.logout()
    assert client.get(url).status_code == 404
    # Asking twice for what is already so is refused with a message, not a 500.
    client.force_login(procurement_officer)
    response = client.post(publish, {"published": "no"}, follow=True)
    assert "is not published" in response.content.decode()
    assert AuditEntry.objects.filter(action="delivery.unpublished").count() == 1


def test_the_totals_page_holds_its_queries_as_contracts_and_returns_grow(
    procurement_officer, authority, client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        client.force_login(procurement_officer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("delivery-totals")).status_code == 200
            assert client.get(reverse("delivery-public", args=[authority.slug])).status_code in (
                200,
                404,
            )
        return len(queries)

    first = contract_world(procurement_officer, authority)
    services.schedule_create(actor=procurement_officer, contract=first.contract)
    services.publication_set(actor=procurement_officer, authority=authority, published=True)
    small = count()
    for _ in range(2):
        world = contract_world(procurement_officer, authority)
        services.schedule_create(actor=procurement_officer, contract=world.contract)
        for line in _send(world, 1, {"ECO-05": "10", "ECO-07": "1"}).values():
            services.line_decide(actor=procurement_officer, line=line, decision="accept")
    assert count() == small
    client.force_login(procurement_officer)
    with django_assert_max_num_queries(small):
        client.get(reverse("delivery-totals"))
        client.get(reverse("delivery-public", args=[authority.slug]))


LOCAL_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pub"},
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "frag"},
}


def test_a_decision_drops_the_stored_public_page_when_delivery_is_published(
    small_set, procurement_officer, authority, settings, django_capture_on_commit_callbacks
):
    """The public delivery page is kept for signed-out visitors; accepting or rejecting a line
    (one by one or together) drops it once committed, so the page is never stale. A query
    changes no figure, and an authority that does not publish has no page to drop."""
    from django.core.cache import cache
    from django.test import Client

    from socialvalue.core import public_cache

    settings.CACHES = LOCAL_CACHES
    cache.clear()
    a, _ = small_set
    lines = _send_lines(a, 2)
    with django_capture_on_commit_callbacks() as callbacks:
        services.line_decide(
            actor=procurement_officer, line=lines["SOC-02"], decision="query", reason="Why none?"
        )
    assert public_cache.forget_public_pages not in callbacks  # not published
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_set(actor=procurement_officer, authority=authority, published=True)
    eco3, soc2 = _proxy(a.contract, "ECO-03"), _proxy(a.contract, "SOC-02")
    url = reverse("delivery-public", args=[authority.slug])
    visitor = Client()
    assert format_gbp(4 * eco3 + 5 * soc2) in visitor.get(url).content.decode()
    # Stored: a change made behind the services' back is not seen.
    ReturnLine.objects.filter(pk=lines["ECO-03"].pk).update(quantity=Decimal("3"))
    assert format_gbp(4 * eco3 + 5 * soc2) in visitor.get(url).content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        services.line_decide(
            actor=procurement_officer, line=lines["SOC-01"], decision="query", reason="Why?"
        )
    assert public_cache.forget_public_pages not in callbacks  # a query changes no figure
    with django_capture_on_commit_callbacks(execute=True):
        services.line_decide(actor=procurement_officer, line=lines["ECO-03"], decision="accept")
    assert format_gbp(7 * eco3 + 5 * soc2) in visitor.get(url).content.decode()
    # Accepted together (the lines outside the sample) and rejected: dropped too.
    b = contract_world(procurement_officer, authority, commitments=(("ECO-03", "4"),))
    services.schedule_create(actor=procurement_officer, contract=b.contract)
    together = _send_lines(b, 1)
    ReturnLine.objects.filter(pk=together["ECO-03"].pk).update(sample_check=False)
    with django_capture_on_commit_callbacks() as callbacks:
        services.lines_accept_unsampled(
            actor=procurement_officer,
            delivery_return=together["ECO-03"].delivery_return,
            note="Checked the timesheets.",
        )
    assert public_cache.forget_public_pages in callbacks
    rejected = _send_lines(b, 2)
    with django_capture_on_commit_callbacks() as callbacks:
        services.line_decide(
            actor=procurement_officer, line=rejected["ECO-03"], decision="reject", reason="No."
        )
    assert public_cache.forget_public_pages in callbacks


def _send_lines(world, period_number: int) -> dict[str, ReturnLine]:
    """The lines of a period's return, sent (ECO-03 with 3, others 0) or already sent."""
    period = world.contract.reporting_periods.get(number=period_number)
    if not ReturnLine.objects.filter(delivery_return__period=period).exists():
        return _send(world, period_number, {"ECO-03": "3"})
    return {
        line.commitment.measure.code: line
        for line in ReturnLine.objects.filter(delivery_return__period=period).select_related(
            "commitment__measure", "delivery_return"
        )
    }


def test_the_market_statement_links_the_published_delivery(
    client, procurement_officer, authority, django_capture_on_commit_callbacks
):
    statement = reverse("definition-market-statement", args=[authority.slug])
    public = reverse("delivery-public", args=[authority.slug])
    assert f'href="{public}"' not in client.get(statement).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_set(actor=procurement_officer, authority=authority, published=True)
    page = client.get(statement).content.decode()
    assert f'href="{public}"' in page
    assert "Social value delivered under our contracts" in page
    printable = reverse("definition-market-statement-print", args=[authority.slug])
    assert f'href="{public}"' not in client.get(printable).content.decode()


def test_the_demo_council_publishes_its_delivery(client):
    from django.core.management import call_command

    from socialvalue.core.models import Organisation

    call_command("seed_demo")
    council = Organisation.objects.get(slug="northfield-district-council")
    assert totals.is_published(council)
    public = reverse("delivery-public", args=[council.slug])
    assert client.get(public).status_code == 200
    statement = client.get(reverse("definition-market-statement", args=[council.slug]))
    assert f'href="{public}"' in statement.content.decode()
