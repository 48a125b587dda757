"""No input, however large or odd, gives a server error.

Hypothesis feeds every number and id the service accepts (forms, query strings, the JSON APIs,
the assess_act command, the catalogue import) values such as 1e30, 1e-30, NaN, Infinity, -0,
thousands of digits, unicode digits, £ signs and commas, as the role that may use each page,
and checks the answer is never a 5xx. Run against PostgreSQL, where a number too large for its
column really raises. Each example runs in a savepoint that is rolled back, so every example
starts from the same data.
"""

import csv
import io
import json
from contextlib import suppress
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from measurement.catalogue import HEADER
from measurement.models import Measure
from socialvalue.definitions import services as definition_services
from socialvalue.management.commands.assess_act import OptionError
from socialvalue.models import Role
from tenders.models import Criterion, CriterionKind
from tests.act.support import PlannedContractFactory, check_form
from tests.factories import UserFactory, person_with_role
from tests.tenders.factories import build_tender, draft_bid

pytestmark = pytest.mark.django_db

# One request per example keeps the whole file to some seconds.
EXAMPLES = hypothesis_settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ODD_NUMBERS = [
    "1e30",
    "1E+30",
    "-1e30",
    "1e20",
    "1e-30",
    "NaN",
    "-nan",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "-0",
    "-0.00",
    "0",
    "0.001",
    "-5",
    "99999999999999999999",
    "9223372036854775808",
    "2147483648",
    "9" * 400,
    "1" + "0" * 5000,
    "0." + "0" * 400 + "1",
    "1e999999999",
    "£1,000,000.00",
    "£10,000,000,000.01",
    "£",
    "£-5",
    "1,2,3",
    "12%",
    "١٢٣",
    "１２３",
    "²",
    "Ⅻ",
    "1_000",
    "0x10",
    "",
    " ",
    "-",
    ".",
    "1 000",
    "abc",
    "=1+1",
    "\x00",
]
numbers = st.one_of(
    st.sampled_from(ODD_NUMBERS),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=25),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40),
)
ids = st.one_of(
    st.sampled_from(["abc", "-1", "0", "1e3", "1.0", " 1", "１", "9223372036854775808", "\x00"]),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=20),
)
huge_ids = st.integers(min_value=2**31 - 1, max_value=10**40)


class _Undo(Exception):
    pass


def answer(send):
    """One request in a savepoint rolled back afterwards; throttles start afresh."""
    cache.clear()
    try:
        with transaction.atomic():
            response = send()
            raise _Undo(response)
    except _Undo as undo:
        return undo.args[0]


def assert_not_a_server_error(response, sent):
    assert response.status_code < 500, f"{response.status_code} for {sent!r}"


# --- the world the pages work on ---------------------------------------------------------------


@pytest.fixture
def world(settings, tmp_path, authority, bidder_org):
    """An officer's draft and open tenders, a bidder's draft bid, a commissioner's draft
    definition and planned contract, and a catalogue admin."""
    settings.MEDIA_ROOT = tmp_path / "media"
    officer = person_with_role(Role.PROCUREMENT_OFFICER, authority)
    commissioner = person_with_role(Role.COMMISSIONER, authority)
    bidder = person_with_role(Role.BIDDER, bidder_org)
    open_tender = build_tender(officer, authority)
    draft_tender = build_tender(officer, authority, publish=False, title="Meals at home")
    definition = definition_services.definition_create(
        actor=commissioner, owner=authority, title="Our social value", statement="Good work."
    )
    priority = definition_services.priority_add(
        actor=commissioner, definition=definition, theme="economic", outcome="Local jobs"
    )
    definition_services.priority_set_measures(
        actor=commissioner, priority=priority, measures=list(Measure.objects.filter(code="ECO-01"))
    )
    sv_question = Criterion.objects.get(
        lot__tender=open_tender, kind=CriterionKind.SOCIAL_VALUE, children__isnull=True
    )
    return {
        "authority": authority,
        "officer": officer,
        "commissioner": commissioner,
        "bidder": bidder,
        "staff": UserFactory(is_staff=True),
        "open_tender": open_tender,
        "draft_tender": draft_tender,
        "draft_lot": draft_tender.lots.get(),
        "bid": draft_bid(bidder, bidder_org, open_tender),
        "sv_question": sv_question,
        "definition": definition,
        "priority": priority,
        "target": priority.measures.get(),
        "contract": PlannedContractFactory(authority=authority, title="Home care"),
        "measure": Measure.objects.get(code="ECO-01"),
    }


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


# --- forms -------------------------------------------------------------------------------------


@EXAMPLES
@given(value=numbers, services_value=numbers, vat_rate=numbers, mixed=st.booleans())
def test_the_act_check_form_never_fails_on_odd_amounts(
    world, as_user, value, services_value, vat_rate, mixed
):
    data = check_form(value=value, vat_rate=vat_rate)
    if mixed:
        data.update(contract_type="mixed", services_value=services_value)
        data.update(service_category_mixed="standard", route_mixed="contract")
    client = as_user(world["commissioner"])
    url = reverse("act-check", args=[world["contract"].pk])
    assert_not_a_server_error(answer(lambda: client.post(url, data)), data)


@EXAMPLES
@given(estimated_value=numbers, deduction=numbers, edit=st.booleans())
def test_the_tender_form_never_fails_on_odd_values(
    world, as_user, estimated_value, deduction, edit
):
    data = {
        "title": "Grounds maintenance",
        "description": "Parks and verges.",
        "contract_type": "services",
        "estimated_value": estimated_value,
        "price_method": "deduction_per_percent_above_lowest",
        "points_per_percent": deduction,
    }
    client = as_user(world["officer"])
    url = (
        reverse("tender-edit", args=[world["draft_tender"].pk])
        if edit
        else reverse("tender-create")
    )
    assert_not_a_server_error(answer(lambda: client.post(url, data)), data)


@EXAMPLES
@given(
    lot_value=numbers,
    weight=numbers,
    word_limit=numbers,
    max_mark=numbers,
    pass_mark=numbers,
    mark=numbers,
    parent=ids,
    which=st.integers(min_value=0, max_value=3),
)
def test_the_lot_criteria_and_weights_forms_never_fail_on_odd_numbers(
    world, as_user, lot_value, weight, word_limit, max_mark, pass_mark, mark, parent, which
):
    client = as_user(world["officer"])
    lot = world["draft_lot"]
    quality = Criterion.objects.get(lot=lot, parent=None, kind=CriterionKind.QUALITY)
    sent = [
        (reverse("tender-lot-add", args=[world["draft_tender"].pk]), {"title": "Lot 2"}, {}),
        (
            reverse("tender-criterion-add", args=[lot.pk]),
            {
                "name": "Safeguarding",
                "weight": weight,
                "word_limit": word_limit,
                "max_mark": max_mark,
                "pass_mark": pass_mark,
                "descriptors": f"{mark}: Excellent\n0: No answer",
            },
            {"parent": quality.pk},
        ),
        (reverse("tender-criterion-add", args=[lot.pk]), None, {"parent": parent}),
        (
            reverse("tender-weights", args=[lot.pk]),
            {f"weight_{row.pk}": weight for row in Criterion.objects.filter(lot=lot)},
            {},
        ),
    ]
    sent[0][1]["estimated_value"] = lot_value
    url, data, query = sent[which]
    if data is None:
        response = answer(lambda: client.get(url, query))
    else:
        target = f"{url}?parent={query['parent']}" if query else url
        response = answer(lambda: client.post(target, data))
    assert_not_a_server_error(response, (url, data, query))


@EXAMPLES
@given(percent=numbers)
def test_the_local_minimum_form_never_fails_on_odd_percentages(world, as_user, percent):
    data = {"title": "Our policy", "percent": percent, "starts_0": "1", "starts_1": "4"}
    data["starts_2"] = "2026"
    client = as_user(world["officer"])
    url = reverse("tender-policy", args=[world["authority"].slug])
    assert_not_a_server_error(answer(lambda: client.post(url, data)), data)


@EXAMPLES
@given(
    price=numbers,
    quantity=numbers,
    criterion=ids,
    measure=ids,
    preview=st.booleans(),
    which=st.sampled_from(["price", "commitment", "odd ids"]),
)
def test_the_bid_and_commitment_forms_never_fail_on_odd_numbers(
    world, as_user, price, quantity, criterion, measure, preview, which
):
    client = as_user(world["bidder"])
    bid = world["bid"]
    if which == "price":
        url, data = reverse("bid-edit", args=[bid.pk]), {"price": price}
    else:
        url = reverse("bid-commitment-add", args=[bid.pk])
        data = {"quantity": quantity, "timing": "Every year"}
        if which == "odd ids":
            data.update(criterion=criterion, measure=measure)
        else:
            data.update(criterion=world["sv_question"].pk, measure=world["measure"].pk)
        if preview:
            data["preview"] = "1"
    assert_not_a_server_error(answer(lambda: client.post(url, data)), data)


@EXAMPLES
@given(
    target=numbers,
    contract_value=numbers,
    which=st.sampled_from(["definition-target", "definition-detail", "definition-priority"]),
)
def test_the_definition_target_and_proportionality_forms_never_fail(
    world, as_user, target, contract_value, which
):
    client = as_user(world["commissioner"])
    if which == "definition-target":
        url = reverse(which, args=[world["target"].pk])
        data = {"target_quantity": target, "target_text": ""}
        response = answer(lambda: client.post(url, data))
    else:
        key = "definition" if which == "definition-detail" else "priority"
        url = reverse(which, args=[world[key].pk])
        response = answer(lambda: client.get(url, {"contract_value": contract_value}))
    assert_not_a_server_error(response, (which, target, contract_value))


@EXAMPLES
@given(value=numbers)
def test_a_new_proxy_version_never_fails_on_an_odd_value(world, as_user, value):
    data = {"value": value, "valid_from_0": "1", "valid_from_1": "1", "valid_from_2": "2031"}
    data.update(source_title="A source", source_url="https://example.org/source")
    client = as_user(world["staff"])
    url = reverse("measure-proxy-add", args=["ECO-01"])
    assert_not_a_server_error(answer(lambda: client.post(url, data)), data)


@EXAMPLES
@given(value=numbers)
def test_the_catalogue_import_never_fails_on_an_odd_proxy_value(world, as_user, value):
    cells = dict.fromkeys(HEADER, "")
    cells.update(
        code="NEW-01",
        theme="economic",
        outcome="Local work",
        name="Weeks of work",
        unit="week",
        proxy_value=value,
        proxy_valid_from="2026-04-01",
        source_title="A source",
        source_url="https://example.org/source",
        source_confirmed="false",
    )
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, [cells[name] for name in HEADER]])
    upload = SimpleUploadedFile("catalogue.csv", buffer.getvalue().encode("utf-8"))
    client = as_user(world["staff"])
    response = answer(lambda: client.post(reverse("measure-import"), {"file": upload}))
    assert_not_a_server_error(response, value)


# --- query strings, paths and the APIs ---------------------------------------------------------


@EXAMPLES
@given(
    page=ids,
    authority=ids,
    closing=ids,
    band=ids,
    text=numbers,
    which=st.sampled_from(
        ["tender-opportunities", "bid-list", "tender-list", "measure-list", "tender-bids"]
    ),
)
def test_query_string_filters_and_page_numbers_never_fail(
    world, as_user, page, authority, closing, band, text, which
):
    query = {"page": page, "authority": authority, "closing": closing, "value": band, "q": text}
    bidder_pages = ("tender-opportunities", "bid-list")
    client = as_user(world["bidder"] if which in bidder_pages else world["officer"])
    url = reverse(which, args=[world["open_tender"].pk] if which == "tender-bids" else [])
    assert_not_a_server_error(answer(lambda: client.get(url, query)), (which, query))


@EXAMPLES
@given(page=ids, page_size=ids, authority=ids, closing=ids, band=ids)
def test_the_opportunities_api_answers_odd_filters_without_failing(
    world, client, page, page_size, authority, closing, band
):
    query = {"page": page, "page_size": page_size, "authority": authority}
    query.update(closing=closing, value=band)
    response = answer(lambda: client.get(reverse("api-opportunities"), query))
    assert_not_a_server_error(response, query)


@EXAMPLES
@given(
    value=st.one_of(numbers, st.integers(), st.floats(allow_nan=False), st.booleans()),
    vat_rate=st.one_of(numbers, st.integers(), st.floats(allow_nan=False), st.none()),
    services_value=st.one_of(numbers, st.integers(), st.none()),
)
def test_the_act_api_answers_odd_amounts_with_a_client_error(
    world, client, value, vat_rate, services_value
):
    body = {
        "authority_type": "local_authority",
        "nation": "england",
        "contract_type": "mixed",
        "service_category": "standard",
        "value": value,
        "vat": "exclusive",
        "vat_rate": vat_rate,
        "services_value": services_value,
        "date": "2026-09-01",
    }
    text = json.dumps(body)
    response = answer(
        lambda: client.post(reverse("api-act-assess"), text, content_type="application/json")
    )
    assert_not_a_server_error(response, body)


@EXAMPLES
@given(
    day=numbers,
    month=numbers,
    year=numbers,
    parent=ids,
    page=ids,
    which=st.sampled_from(["consultation", "decommissioning", "comment", "lists"]),
)
def test_the_compact_forms_never_fail_on_odd_dates_ids_or_pages(
    world, as_user, day, month, year, parent, page, which
):
    from tests.factories import CompactGroupFactory, MembershipFactory

    commissioner = world["commissioner"]
    client = as_user(commissioner)
    odd = {"_0": day, "_1": month, "_2": year}
    if which == "consultation":
        data = {"authority": world["authority"].pk, "title": "T", "subject": "policy"}
        data.update({"description": "D", "audience": "A", "planned_contract": parent})
        data.update({f"starts_on{k}": v for k, v in odd.items()})
        data.update({f"ends_on{k}": v for k, v in odd.items()}, ends_on_2="9999")
        url = reverse("compact-consultation-create")
    elif which == "decommissioning":
        data = {"authority": world["authority"].pk, "service": "S", "change": "end"}
        data.update({f"notice_given_on{k}": v for k, v in odd.items()})
        data.update(ends_on_0="31", ends_on_1="12", ends_on_2="9999")
        url = reverse("compact-decommissioning-create")
    elif which == "comment":
        group = CompactGroupFactory()
        MembershipFactory(user=commissioner, organisation=group, role=Role.COMPACT_MEMBER)
        definition = world["definition"]
        definition.review_group = group
        definition.status = "in_review"
        definition.save()
        data = {"body": "A comment.", "parent": parent, "priority": page}
        url = reverse("compact-review-comment", args=[definition.pk])
    else:
        url = reverse("compact-consultations")
        assert_not_a_server_error(answer(lambda: client.get(url, {"page": page})), page)
        url = reverse("compact-decommissioning-list")
        assert_not_a_server_error(answer(lambda: client.get(url, {"page": page})), page)
        return
    assert_not_a_server_error(answer(lambda: client.post(url, data)), (which, data))


def _int_routes(patterns=None, prefix=""):
    """(name, converter names) of every named route taking an int, outside the admin."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace != "admin":
                yield from _int_routes(entry.url_patterns)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = entry.pattern.converters
            if any(type(c).__name__ == "IntConverter" for c in converters.values()):
                yield entry.name, tuple((k, type(c).__name__) for k, c in converters.items())


PLACEHOLDER = 7654321


def _path_with(name: str, converters: tuple, number: int) -> str:
    kwargs = {key: PLACEHOLDER if kind == "IntConverter" else "x" for key, kind in converters}
    return reverse(name, kwargs=kwargs).replace(str(PLACEHOLDER), str(number))


INT_ROUTES = sorted(set(_int_routes()), key=lambda r: r[0])


def test_every_route_taking_an_id_is_found():
    names = {name for name, _ in INT_ROUTES}
    assert {"tender-detail", "bid-edit", "api-tender-detail", "act-check", "job"} <= names


def test_an_id_too_large_for_any_row_is_not_found(as_user, procurement_officer):
    client = as_user(procurement_officer)
    for name, converters in INT_ROUTES:
        path = _path_with(name, converters, 2**63)
        response = answer(lambda path=path: client.get(path))
        assert response.status_code in (302, 403, 404, 405), (path, response.status_code)
        path = _path_with(name, converters, 10**30)
        assert_not_a_server_error(answer(lambda path=path: client.post(path, {})), path)


@EXAMPLES
@given(number=huge_ids, route=st.sampled_from(INT_ROUTES))
def test_any_huge_id_in_a_path_is_not_a_server_error(world, as_user, number, route):
    client = as_user(world["officer"])
    path = _path_with(*route, number)
    assert_not_a_server_error(answer(lambda: client.get(path)), path)


# --- the assess_act command --------------------------------------------------------------------


@hypothesis_settings(max_examples=25, deadline=None)
@given(value=numbers, vat_rate=numbers, services_value=numbers)
def test_the_assess_act_command_refuses_odd_amounts_naming_the_option(
    value, vat_rate, services_value
):
    options = {
        "authority_type": "local_authority",
        "nation": "england",
        "contract_type": "mixed",
        "value": value,
        "vat": "exclusive",
        "vat_rate": vat_rate,
        "services_value": services_value,
        "date": "2026-09-01",
    }
    out = io.StringIO()
    with suppress(OptionError):
        call_command("assess_act", stdout=out, **options)
        answered = json.loads(out.getvalue())
        assert answered["regime"]["code"]
        assert Decimal(value.replace(",", "").removeprefix("£").strip()) <= Decimal(10**10)
