"""An authority's social value across its contracts: committed against verified delivered,
gross and net side by side, by theme and by priority of its adopted local definition.

The same rules as each contract's page (``selectors.contract_figures``), summed in the
database rather than contract by contract: net value is linear in quantity x proxy value
(``valuation.net_value``), so the database adds quantity x proxy value over the lines that
share everything else the valuation depends on (the contract's net assumptions and its choice
on unconfirmed values, the financial years of the proxy value and of the contract's price
base, the measure, whether the source is confirmed), and each such group is valued once,
through ``measurement.valuation``. The groups number at most (sets of assumptions in use) x
(measures) x (pairs of years), whatever the number of contracts and returns, and the queries
are a fixed few.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    QuerySet,
    Sum,
)
from django.utils import timezone

from measurement import valuation
from measurement.delivery.models import (
    DeliveryPublication,
    LineStatus,
    PeriodTarget,
    ReturnLine,
    ReturnStatus,
)
from measurement.delivery.selectors import _deflators, _method
from socialvalue.core.models import Organisation
from socialvalue.definitions.selectors import adopted_definition_for
from socialvalue.kernel import vocabularies
from tenders.models import Contract, ContractCommitment

ZERO = Decimal(0)
ONE = Decimal(1)
THEME_LABELS = {term.code: term.label for term in vocabularies.THEMES}
ASSUMPTIONS = ("deadweight", "attribution", "displacement", "drop_off", "duration_years")
# Products summed in the database: wide enough for any quantity (14 digits) x proxy (4 places).
AMOUNT = DecimalField(max_digits=32, decimal_places=6)


@dataclass
class Side:
    """Committed or delivered value, gross and net, kept apart as the contract page keeps it:
    welfare (the headline), transfers (not added to it) and values whose source is not yet
    confirmed (left out, unless a contract's authority included them: then they are in the
    welfare or transfer figures and also counted in ``included``)."""

    welfare_gross: Decimal = ZERO
    welfare_net: Decimal = ZERO
    transfer_gross: Decimal = ZERO
    transfer_net: Decimal = ZERO
    left_out_gross: Decimal = ZERO
    left_out_net: Decimal = ZERO
    included_gross: Decimal = ZERO
    included_net: Decimal = ZERO

    def add(self, totals: valuation.Totals) -> None:
        self.welfare_gross += totals.welfare_gross
        self.welfare_net += totals.welfare_net
        self.transfer_gross += totals.transfer_gross
        self.transfer_net += totals.transfer_net
        if totals.unconfirmed_included:
            self.included_gross += totals.unconfirmed_gross
            self.included_net += totals.unconfirmed_net
        else:
            self.left_out_gross += totals.unconfirmed_gross
            self.left_out_net += totals.unconfirmed_net


@dataclass
class Bucket:
    """Committed against delivered for one heading (everything, a theme, a priority)."""

    key: str
    label: str
    committed: Side = field(default_factory=Side)
    delivered: Side = field(default_factory=Side)

    @property
    def delivered_percent(self) -> Decimal | None:
        """Net welfare delivered as a percentage of net welfare committed (None if none was)."""
        if not self.committed.welfare_net:
            return None
        return self.delivered.welfare_net * 100 / self.committed.welfare_net


@dataclass(frozen=True)
class ContractRow:
    contract: Contract
    bucket: Bucket


@dataclass(frozen=True)
class AuthorityDelivery:
    authority: Organisation
    overall: Bucket
    by_theme: tuple[Bucket, ...]
    by_priority: tuple[Bucket, ...]
    definition_title: str  # "" when no definition is adopted
    price_note: str
    contracts_count: int


@dataclass(frozen=True)
class _Group:
    """Quantity x proxy value summed over lines that are valued alike."""

    contract_id: int | None
    assumptions: tuple  # the schedule's five figures, or Nones when there is no schedule
    include_unconfirmed: bool
    proxy_year: int | None  # the financial year (its start) of the proxy version
    base_year: int  # the financial year (its start) the contract was signed in
    measure_id: int
    measure_code: str
    theme: str
    source_confirmed: bool
    amount: Decimal
    period_id: int | None = None


def _year_label(start: int) -> str:
    return valuation.financial_year(date(start, 4, 1))


class FinancialYear(Func):
    """The year a UK financial year (1 April to 31 March) starts in, for a date, computed in
    the database natively: the calendar year of the date three months earlier. (Extracting
    year and month is a Python function per row on SQLite; a CASE over each year's 1 April is
    slow for Django to build.)"""

    arity = 1
    output_field = IntegerField()
    template = "CAST(EXTRACT(YEAR FROM (%(expressions)s - INTERVAL '3 months')) AS INTEGER)"

    def as_sqlite(self, compiler, connection, **extra_context):
        # '%%%%Y' -> '%%Y' after this template -> '%Y' once Django's SQLite cursor has
        # turned its %s placeholders into ?s and %% into %.
        return super().as_sql(
            compiler,
            connection,
            template="CAST(strftime('%%%%Y', %(expressions)s, '-3 months') AS INTEGER)",
            **extra_context,
        )


def _financial_year(path: str) -> FinancialYear:
    """The year a financial year starts (1 April) for the date at ``path``, in the database."""
    return FinancialYear(F(path))


def _grouped(
    queryset: QuerySet,
    *,
    to_commitment: str,
    quantity: str,
    by_contract: bool,
    to_period: str | None = None,
) -> list[_Group]:
    """One query: quantity x the commitment's proxy value, summed per group (see the module).
    ``to_commitment`` is the path from the queryset's model to its ContractCommitment;
    ``to_period``, the path to the reporting period's id, groups by period too."""
    c = to_commitment
    schedule = f"{c}contract__delivery_schedule__"
    keys = {
        **{f"g_{name}": F(f"{schedule}{name}") for name in ASSUMPTIONS},
        "g_include_unconfirmed": F(f"{schedule}include_unconfirmed"),
        "g_proxy_year": _financial_year(f"{c}proxy_value__valid_from"),
        "g_base_year": _financial_year(f"{c}contract__signed_on"),
        "g_measure_id": F(f"{c}measure_id"),
        "g_measure_code": F(f"{c}measure__code"),
        "g_theme": F(f"{c}measure__theme"),
        "g_source_confirmed": F(f"{c}proxy_value__source_confirmed"),
    }
    if by_contract:
        keys["g_contract_id"] = F(f"{c}contract_id")
    if to_period:
        keys["g_period_id"] = F(to_period)
    rows = (
        queryset.filter(**{f"{c}proxy_amount__isnull": False})
        .annotate(**keys)
        .values(*keys)
        .annotate(
            g_amount=Sum(
                ExpressionWrapper(F(quantity) * F(f"{c}proxy_amount"), output_field=AMOUNT),
                output_field=AMOUNT,
            )
        )
        .order_by()
    )
    return [
        _Group(
            contract_id=row.get("g_contract_id"),
            assumptions=tuple(row[f"g_{name}"] for name in ASSUMPTIONS),
            include_unconfirmed=bool(row["g_include_unconfirmed"]),
            proxy_year=row["g_proxy_year"],
            base_year=row["g_base_year"],
            measure_id=row["g_measure_id"],
            measure_code=row["g_measure_code"],
            theme=row["g_theme"],
            source_confirmed=bool(row["g_source_confirmed"]),
            amount=row["g_amount"] or ZERO,
            period_id=row.get("g_period_id"),
        )
        for row in rows
    ]


@functools.lru_cache(maxsize=256)
def _unit_value(assumptions: tuple, on_date: date) -> tuple[Decimal, Decimal]:
    """(gross, net) of one unit at a proxy value of £1 under a contract's assumptions: what
    ``contract_figures`` would give, as net_value is linear in quantity x proxy value."""
    if assumptions[0] is None:  # no schedule yet: no adjustments, as on the contract page
        adjustments = valuation.Adjustments()
    else:
        deadweight, attribution, displacement, drop_off, years = assumptions
        adjustments = valuation.Adjustments(
            deadweight=deadweight,
            attribution=attribution,
            displacement=displacement,
            drop_off=drop_off,
            duration_years=years,
            discount=_method().schedule("standard", on_date),
        )
    unit = valuation.net_value(ONE, ONE, adjustments)
    return unit.total_gross, unit.total_present_value


def _valued(group: _Group, today: date) -> valuation.ValuedItem:
    """The group valued as ``contract_figures`` values a commitment: in the price base of the
    year the contract was signed, uprated with the deflator in force today, confirmed only if
    its source (and the deflator used on it) is."""
    amount = group.amount
    confirmed = group.source_confirmed
    if group.proxy_year is not None and group.proxy_year != group.base_year:
        proxy_year, base = _year_label(group.proxy_year), _year_label(group.base_year)
        try:
            deflator = valuation.deflator_in_force(_deflators(), today)
        except ValueError:
            deflator = None
        if deflator is not None and {proxy_year, base} <= set(deflator.index):
            amount = deflator.uprate(amount, from_year=proxy_year, to_year=base)
            confirmed = confirmed and deflator.confirmed
        else:
            confirmed = False
    gross, net = _unit_value(group.assumptions, today)
    return valuation.ValuedItem(
        label=group.measure_code,
        gross=amount * gross,
        net=amount * net,
        kind=_method().kind_of(group.measure_code),
        confirmed=confirmed,
    )


def _add(side: Side, group: _Group, today: date) -> None:
    item = _valued(group, today)
    side.add(valuation.headline_totals([item], include_unconfirmed=group.include_unconfirmed))


def _committed(contracts: QuerySet | list[int], *, by_contract: bool) -> list[_Group]:
    return _grouped(
        ContractCommitment.objects.filter(contract__in=contracts),
        to_commitment="",
        quantity="quantity",
        by_contract=by_contract,
    )


def _delivered(
    contracts: QuerySet | list[int], *, by_contract: bool, period: tuple[date, date] | None = None
) -> list[_Group]:
    """Accepted quantities of sent returns: only what the authority verified counts."""
    lines = ReturnLine.objects.filter(
        commitment__contract__in=contracts,
        status=LineStatus.ACCEPTED,
        delivery_return__status=ReturnStatus.SUBMITTED,
    )
    if period is not None:
        lines = lines.filter(delivery_return__period__ends_on__range=period)
    return _grouped(
        lines, to_commitment="commitment__", quantity="quantity", by_contract=by_contract
    )


def _targets(contracts: QuerySet, period: tuple[date, date]) -> list[_Group]:
    """What the schedules asked for in periods ending within ``period`` (a year's committed)."""
    return _grouped(
        PeriodTarget.objects.filter(
            commitment__contract__in=contracts, period__ends_on__range=period
        ),
        to_commitment="commitment__",
        quantity="quantity",
        by_contract=False,
    )


def authority_contracts(authority: Organisation | int) -> QuerySet[Contract]:
    authority_id = authority.pk if isinstance(authority, Organisation) else authority
    return Contract.objects.filter(tender__authority_id=authority_id)


def _buckets(
    committed: Iterable[_Group],
    delivered: Iterable[_Group],
    *,
    authority: Organisation,
    today: date,
) -> tuple[Bucket, tuple[Bucket, ...], tuple[Bucket, ...], str]:
    definition = adopted_definition_for(authority=authority)
    priorities = list(definition.priorities.all()) if definition else []
    priority_of: dict[int, list[Bucket]] = {}
    by_priority = []
    for priority in priorities:
        bucket = Bucket(
            key=f"priority-{priority.pk}",
            label=f"{THEME_LABELS.get(priority.theme, priority.theme)}: {priority.outcome}",
        )
        by_priority.append(bucket)
        for link in priority.measures.all():
            priority_of.setdefault(link.measure_id, []).append(bucket)
    elsewhere = Bucket(key="priority-none", label="Measures under no priority of the definition")
    overall = Bucket(key="overall", label="All contracts")
    themes = {
        term.code: Bucket(key=f"theme-{term.code}", label=term.label)
        for term in vocabularies.THEMES
    }
    used_elsewhere = False
    for side, groups in (("committed", committed), ("delivered", delivered)):
        for group in groups:
            under = priority_of.get(group.measure_id)
            if not under:
                under, used_elsewhere = [elsewhere], True
            theme = themes.setdefault(
                group.theme, Bucket(key=f"theme-{group.theme}", label=group.theme)
            )
            for bucket in (overall, theme, *under):
                _add(getattr(bucket, side), group, today)
    if used_elsewhere:
        by_priority.append(elsewhere)
    return (
        overall,
        tuple(themes.values()),
        tuple(by_priority),
        definition.title if definition else "",
    )


PRICE_NOTE = (
    "Each contract's values are in the prices of the financial year it was signed in (proxy "
    "values from other years uprated with the GDP deflator), as on the contract's page."
)


def authority_delivery(
    authority: Organisation, *, today: date | None = None, delivered_only: bool = False
) -> AuthorityDelivery:
    """Committed against verified delivered across the authority's contracts, overall, by theme
    and by priority of its adopted definition. A fixed number of queries (see the module).
    ``delivered_only`` skips the committed side (the public page shows delivery alone)."""
    today = today or timezone.localdate()
    contracts = authority_contracts(authority)
    committed = [] if delivered_only else _committed(contracts, by_contract=False)
    delivered = _delivered(contracts, by_contract=False)
    overall, by_theme, by_priority, title = _buckets(
        committed, delivered, authority=authority, today=today
    )
    return AuthorityDelivery(
        authority=authority,
        overall=overall,
        by_theme=by_theme,
        by_priority=by_priority,
        definition_title=title,
        price_note=PRICE_NOTE,
        contracts_count=contracts.count(),
    )


def contract_rows(
    contracts: Iterable[Contract], *, today: date | None = None, delivered_only: bool = False
) -> list[ContractRow]:
    """Committed against verified delivered for each of ``contracts`` (a page of them): two
    queries whatever their number."""
    today = today or timezone.localdate()
    contracts = list(contracts)
    ids = [c.pk for c in contracts]
    buckets = {c.pk: Bucket(key=f"contract-{c.pk}", label=str(c)) for c in contracts}
    # The ids themselves, not a subquery: the database then starts from these contracts'
    # commitments and their lines (by index) rather than from every line.
    chosen = ids
    if not delivered_only:
        for group in _committed(chosen, by_contract=True):
            _add(buckets[group.contract_id].committed, group, today)
    for group in _delivered(chosen, by_contract=True):
        _add(buckets[group.contract_id].delivered, group, today)
    return [ContractRow(contract=c, bucket=buckets[c.pk]) for c in contracts]


def year_delivery(
    authority: Organisation, *, start: date, end: date, today: date | None = None
) -> tuple[Bucket, tuple[Bucket, ...], tuple[Bucket, ...], str]:
    """For the annual report: what the schedules asked for in reporting periods ending in the
    year (committed) against what was accepted for those periods (delivered)."""
    today = today or timezone.localdate()
    contracts = authority_contracts(authority)
    return _buckets(
        _targets(contracts, (start, end)),
        _delivered(contracts, by_contract=False, period=(start, end)),
        authority=authority,
        today=today,
    )


def year_contract_rows(
    authority: Organisation, *, start: date, end: date, today: date | None = None
) -> list[ContractRow]:
    """The contracts with a reporting period ending in the year, each with the year's target
    and verified delivery."""
    today = today or timezone.localdate()
    contracts = list(
        authority_contracts(authority)
        .filter(reporting_periods__ends_on__range=(start, end))
        .distinct()
        .select_related("tender", "supplier")
        .order_by("tender__title", "pk")
    )
    buckets = {c.pk: Bucket(key=f"contract-{c.pk}", label=str(c)) for c in contracts}
    chosen = list(buckets)
    targets = _grouped(
        PeriodTarget.objects.filter(
            commitment__contract__in=chosen, period__ends_on__range=(start, end)
        ),
        to_commitment="commitment__",
        quantity="quantity",
        by_contract=True,
    )
    for group in targets:
        _add(buckets[group.contract_id].committed, group, today)
    for group in _delivered(chosen, by_contract=True, period=(start, end)):
        _add(buckets[group.contract_id].delivered, group, today)
    return [ContractRow(contract=c, bucket=buckets[c.pk]) for c in contracts]


def is_published(authority: Organisation) -> bool:
    return DeliveryPublication.objects.filter(authority=authority, published=True).exists()


@dataclass(frozen=True)
class PeriodValue:
    """One reporting period of a contract: what its targets were worth against what was
    accepted for it, welfare gross and net (the contract page's rules)."""

    period_id: int
    target: Side
    delivered: Side


def contract_over_time(contract: Contract, *, today: date | None = None) -> dict[int, PeriodValue]:
    """Per reporting period of ``contract``: its targets and its verified delivery, valued
    (two queries). Periods with neither are absent."""
    today = today or timezone.localdate()
    chosen = Contract.objects.filter(pk=contract.pk)
    found: dict[int, PeriodValue] = {}

    def of(period_id: int) -> PeriodValue:
        return found.setdefault(period_id, PeriodValue(period_id, Side(), Side()))

    for group in _grouped(
        PeriodTarget.objects.filter(commitment__contract__in=chosen),
        to_commitment="commitment__",
        quantity="quantity",
        by_contract=False,
        to_period="period_id",
    ):
        _add(of(group.period_id).target, group, today)
    for group in _grouped(
        ReturnLine.objects.filter(
            commitment__contract__in=chosen,
            status=LineStatus.ACCEPTED,
            delivery_return__status=ReturnStatus.SUBMITTED,
        ),
        to_commitment="commitment__",
        quantity="quantity",
        by_contract=False,
        to_period="delivery_return__period_id",
    ):
        _add(of(group.period_id).delivered, group, today)
    return found
