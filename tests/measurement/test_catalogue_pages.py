"""The measures catalogue in the database and on its pages: versions, import, export, access."""

import csv
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measurement import selectors, services
from measurement.catalogue import HEADER, CatalogueError, load_catalogue, rows_from_text
from measurement.models import Measure, ProxyValue
from socialvalue.models import AuditEntry, Role
from tests.factories import UserFactory, person_with_role
from tests.measurement.factories import MeasureFactory, ProxyValueFactory

pytestmark = pytest.mark.django_db

HEADER_LINE = ",".join(HEADER)


def row(code="NEW-01", **cells) -> str:
    values = {
        "code": code,
        "theme": "social",
        "outcome": "Stronger communities",
        "name": "Hours of mentoring",
        "unit": "hour",
        "evidence_guidance": "Timesheets",
        "proxy_value": "12.50",
        "proxy_valid_from": "2025-01-01",
        "proxy_year": "2025",
        "price_base": "cash",
        "source_title": "A public source",
        "source_url": "https://example.org/a",
        "source_quote": "",
        "source_confirmed": "false",
        "notes": "",
    }
    values.update(cells)
    return ",".join(f'"{values[c]}"' for c in HEADER)


def csv_text(*rows: str) -> str:
    return "\n".join([HEADER_LINE, *rows]) + "\n"


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True)


# --- the starter catalogue and proxy versions -------------------------------------------------


def test_the_starter_catalogue_is_loaded_by_migration_with_every_version():
    shipped = load_catalogue()
    assert Measure.objects.count() == len(shipped.measures) >= 30
    assert ProxyValue.objects.count() == sum(len(m.versions) for m in shipped.measures)


def test_the_proxy_in_force_is_the_latest_version_on_or_before_the_date():
    eco01 = Measure.objects.get(code="ECO-01")
    assert selectors.proxy_in_force(measure=eco01, on_date=date(2024, 10, 28)) is None
    assert selectors.proxy_in_force(measure=eco01, on_date=date(2024, 10, 29)).value == 728
    assert selectors.proxy_in_force(measure=eco01, on_date=date(2025, 10, 23)).value == Decimal(
        "766.60"
    )


def test_bulk_proxies_in_force_answer_many_measures_in_one_query(django_assert_num_queries):
    ids = list(Measure.objects.values_list("pk", flat=True))
    with django_assert_num_queries(1):
        found = selectors.proxies_in_force(measures=ids, on_date=date(2025, 1, 1))
    assert set(found) == set(ids)
    assert found[Measure.objects.get(code="ECO-01").pk].value == 728


def test_a_stored_proxy_version_cannot_be_edited():
    version = ProxyValue.objects.filter(measure__code="ECO-01").first()
    version.value = Decimal("1")
    with pytest.raises(ValidationError, match="cannot be changed"):
        version.save()


def test_an_old_commitment_keeps_its_value_when_a_new_version_is_added(staff):
    measure = MeasureFactory()
    old = ProxyValueFactory(measure=measure, value=Decimal("10.00"), valid_from=date(2024, 4, 1))
    # What a commitment keeps: a reference to the version it was judged with.
    commitment_proxy_id = old.pk
    services.proxy_add(
        actor=staff,
        measure=measure,
        value=Decimal("12.00"),
        valid_from=date(2025, 4, 1),
        source_title="Newer source",
        source_url="https://example.org/new",
    )
    assert ProxyValue.objects.get(pk=commitment_proxy_id).value == Decimal("10.00")
    assert selectors.proxy_in_force(measure=measure, on_date=date(2024, 12, 1)).value == 10
    assert selectors.proxy_in_force(measure=measure, on_date=date(2025, 5, 1)).value == 12


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"valid_from": date(2024, 4, 1)}, "valid_from"),
        ({"valid_from": date(2023, 1, 1)}, "valid_from"),
        ({"value": Decimal("-1")}, "value"),
        ({"source_url": ""}, "source_url"),
        ({"source_title": ""}, "source_title"),
        ({"source_confirmed": True, "source_quote": ""}, "source_quote"),
    ],
)
def test_a_bad_new_proxy_version_is_refused_naming_the_field(staff, changes, field):
    measure = MeasureFactory()
    ProxyValueFactory(measure=measure, valid_from=date(2024, 4, 1))
    fields = {
        "value": Decimal("11.00"),
        "valid_from": date(2025, 4, 1),
        "source_title": "Source",
        "source_url": "https://example.org/x",
    }
    fields.update(changes)
    with pytest.raises(ValidationError) as caught:
        services.proxy_add(actor=staff, measure=measure, **fields)
    assert field in caught.value.message_dict
    assert measure.proxy_values.count() == 1


# --- import and export ------------------------------------------------------------------------


def test_export_then_import_changes_nothing(staff):
    exported = services.export_csv()
    plan = services.plan_import(rows_from_text(exported))
    assert plan.is_valid and plan.changes == []
    assert plan.unchanged_rows == ProxyValue.objects.count()
    before = ProxyValue.objects.count()
    services.import_catalogue(actor=staff, rows=rows_from_text(exported))
    assert ProxyValue.objects.count() == before


def test_the_export_is_the_shipped_catalogue_format():
    exported = rows_from_text(services.export_csv())
    assert tuple(exported[0]) == HEADER
    eco01 = [r for r in exported if r[0] == "ECO-01"]
    assert [r[6] for r in eco01] == ["728.00", "766.60"]


def test_importing_a_new_measure_and_version_adds_them_and_is_audited(staff):
    services.import_catalogue(
        actor=staff,
        rows=rows_from_text(
            csv_text(row(), row(proxy_value="13.00", proxy_valid_from="2026-01-01"))
        ),
    )
    measure = Measure.objects.get(code="NEW-01")
    assert [v.value for v in measure.proxy_values.order_by("valid_from")] == [
        Decimal("12.50"),
        Decimal("13.00"),
    ]
    assert AuditEntry.objects.filter(action="catalogue.imported").exists()


def test_a_changed_proxy_value_becomes_a_new_version_and_the_old_one_stays(staff):
    services.import_catalogue(actor=staff, rows=rows_from_text(csv_text(row())))
    today = date(2026, 3, 1)
    changed = csv_text(row(proxy_value="15.00"))
    plan = services.import_catalogue(actor=staff, rows=rows_from_text(changed), today=today)
    assert plan.count("changed_version") == 1
    versions = list(Measure.objects.get(code="NEW-01").proxy_values.order_by("valid_from"))
    assert [(v.valid_from, v.value) for v in versions] == [
        (date(2025, 1, 1), Decimal("12.50")),
        (today, Decimal("15.00")),
    ]
    # The same file again is recognised as already imported.
    again = services.plan_import(rows_from_text(changed), today=today + timedelta(days=3))
    assert again.changes == [] and again.unchanged_rows == 1


def test_changing_an_old_version_that_has_a_later_one_is_refused(staff):
    services.import_catalogue(
        actor=staff,
        rows=rows_from_text(csv_text(row(), row(proxy_valid_from="2026-01-01"))),
    )
    with pytest.raises(CatalogueError) as caught:
        services.import_catalogue(
            actor=staff,
            rows=rows_from_text(
                csv_text(row(proxy_value="99.00"), row(proxy_valid_from="2026-01-01"))
            ),
        )
    assert "Row 2, column proxy_value" in str(caught.value)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("code,theme,name\nX-1,social,Y\n", "Row 1: The header row must be exactly"),
        (csv_text(row(proxy_value="-5")), "Row 2, column proxy_value: '-5' is negative"),
        (csv_text(row(proxy_value="12,50")), "Row 2, column proxy_value"),
        (csv_text(row(proxy_value="abc")), "is not a plain number"),
        (csv_text(row(), row(name="Other name")), "Row 3, column name"),
        (csv_text(row(), row()), "Row 3, column proxy_valid_from"),
        (csv_text(row(theme="cultural")), "Row 2, column theme"),
        (csv_text(row(code="eco 1")), "Row 2, column code"),
        (csv_text(row(unit="tonne", code="ECO-01", proxy_valid_from="2027-01-01")), "column unit"),
    ],
)
def test_a_bad_file_is_refused_with_row_and_column_and_nothing_is_saved(staff, text, expected):
    good = row(code="GOOD-01")
    before = (Measure.objects.count(), ProxyValue.objects.count())
    rows = rows_from_text(text)
    if len(rows) > 1 and rows[0] == list(HEADER):
        rows.insert(1, next(iter(rows_from_text(csv_text(good))[1:])))
        # The good row moved the others down one: look for the error one row further on.
        expected = expected.replace("Row 3", "Row 4").replace("Row 2", "Row 3")
    with pytest.raises(CatalogueError) as caught:
        services.import_catalogue(actor=staff, rows=rows)
    assert expected in str(caught.value)
    assert (Measure.objects.count(), ProxyValue.objects.count()) == before


def test_only_staff_or_holders_of_the_permission_may_import(db):
    commissioner = person_with_role(Role.COMMISSIONER)
    with pytest.raises(PermissionDenied):
        services.import_catalogue(actor=commissioner, rows=rows_from_text(csv_text(row())))
    from django.contrib.auth.models import Permission

    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="import_catalogue"))
    editor = type(editor).objects.get(pk=editor.pk)
    services.import_catalogue(actor=editor, rows=rows_from_text(csv_text(row())))
    assert Measure.objects.filter(code="NEW-01").exists()


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, args",
    [
        ("measure-list", []),
        ("measure-detail", ["ECO-01"]),
        ("measure-export", []),
        ("measure-import", []),
        ("measure-proxy-add", ["ECO-01"]),
    ],
)
def test_signed_out_visitors_are_sent_to_sign_in(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_signed_in_role_reads_and_exports_but_does_not_import(client_for, role):
    client = client_for(person_with_role(role))
    assert client.get(reverse("measure-list")).status_code == 200
    assert client.get(reverse("measure-detail", args=["ECO-01"])).status_code == 200
    export = client.get(reverse("measure-export"))
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert client.get(reverse("measure-import")).status_code == 403
    assert client.get(reverse("measure-proxy-add", args=["ECO-01"])).status_code == 403
    assert client.post(reverse("measure-import-confirm"), {"digest": "x"}).status_code == 403


def test_the_list_filters_by_theme_and_search(client_for):
    client = client_for(person_with_role(Role.BIDDER))
    page = client.get(reverse("measure-list"), {"theme": "environmental"}).content.decode()
    assert "ENV-01" in page and "ECO-01" not in page
    page = client.get(reverse("measure-list"), {"q": "apprentice"}).content.decode()
    assert "ECO-05" in page and "SOC-01" not in page
    page = client.get(reverse("measure-list"), {"q": "zzzz-nothing"}).content.decode()
    assert "No measures match" in page


def test_the_detail_page_shows_every_version_with_its_source(client_for):
    page = client_for(person_with_role(Role.BIDDER)).get(reverse("measure-detail", args=["ECO-01"]))
    text = page.content.decode()
    assert "£728.00" in text and "£766.60" in text
    assert "Annual Survey of Hours and Earnings" in text
    assert "In force today" in text and "Earlier version" in text


def test_an_unknown_code_is_not_found(client_for):
    client = client_for(person_with_role(Role.BIDDER))
    assert client.get(reverse("measure-detail", args=["NOPE-1"])).status_code == 404


def test_catalogue_list_queries_stay_constant_as_measures_grow(
    client_for, django_assert_max_num_queries
):
    client = client_for(person_with_role(Role.COMMISSIONER))
    client.get(reverse("measure-list"))
    for _ in range(60):
        ProxyValueFactory(measure=MeasureFactory())
    with django_assert_max_num_queries(8):
        assert client.get(reverse("measure-list")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("measure-list"), {"page": 2}).status_code == 200


def test_staff_import_through_the_pages_checks_then_imports(client_for, staff):
    client = client_for(staff)
    upload = SimpleUploadedFile("new.csv", csv_text(row()).encode(), content_type="text/csv")
    page = client.post(reverse("measure-import"), {"file": upload})
    text = page.content.decode()
    assert "Check the changes before importing" in text and "NEW-01" in text
    assert not Measure.objects.filter(code="NEW-01").exists()
    digest = page.context["digest"]
    response = client.post(reverse("measure-import-confirm"), {"digest": digest})
    assert response.status_code == 302
    assert Measure.objects.filter(code="NEW-01").exists()


def test_a_bad_upload_lists_row_errors_and_saves_nothing(client_for, staff):
    client = client_for(staff)
    bad = csv_text(row(proxy_value="-1"), row(code="NEW-02", theme="other"))
    upload = SimpleUploadedFile("bad.csv", bad.encode(), content_type="text/csv")
    text = client.post(reverse("measure-import"), {"file": upload}).content.decode()
    assert "nothing has been saved" in text
    assert "Row 2, column proxy_value" in text and "Row 3, column theme" in text
    assert not Measure.objects.filter(code__in=["NEW-01", "NEW-02"]).exists()


@pytest.mark.parametrize(
    "content, message",
    [(b"", "The file is empty"), ("caf\xe9".encode("latin-1"), "not UTF-8")],
)
def test_an_unreadable_upload_is_refused_next_to_the_file_field(
    client_for, staff, content, message
):
    upload = SimpleUploadedFile("bad.csv", content, content_type="text/csv")
    response = client_for(staff).post(reverse("measure-import"), {"file": upload})
    assert message in response.content.decode()


def test_a_new_proxy_version_form_keeps_input_on_error(client_for, staff):
    client = client_for(staff)
    url = reverse("measure-proxy-add", args=["ECO-01"])
    response = client.post(
        url, {"value": "-3", "valid_from_0": "1", "valid_from_1": "1", "valid_from_2": "2030"}
    )
    text = response.content.decode()
    assert "Enter a proxy value greater than zero." in text and 'value="-3"' in text
    assert ProxyValue.objects.filter(measure__code="ECO-01").count() == 2


def test_a_proxy_version_without_a_date_asks_for_it_and_saves_nothing(client_for, staff):
    response = client_for(staff).post(
        reverse("measure-proxy-add", args=["ECO-01"]),
        {"value": "12", "valid_from_0": "", "valid_from_1": "", "valid_from_2": ""},
    )
    text = response.content.decode()
    assert text.count("Enter the date it is in force from.") == 2
    assert 'value="12"' in text
    assert ProxyValue.objects.filter(measure__code="ECO-01").count() == 2


def test_the_import_confirmation_counts_in_words_that_agree(client_for, staff):
    client = client_for(staff)
    upload = SimpleUploadedFile("new.csv", csv_text(row()).encode(), content_type="text/csv")
    digest = client.post(reverse("measure-import"), {"file": upload}).context["digest"]
    page = client.post(reverse("measure-import-confirm"), {"digest": digest}, follow=True)
    assert (
        "Imported new.csv: 1 new measure, 0 measures with new wording, 1 new proxy version; "
        "0 rows already in the catalogue." in page.content.decode()
    )


def test_the_catalogue_points_readers_to_the_market_statements(client_for, bidder):
    page = client_for(bidder).get(reverse("measure-list")).content.decode()
    assert reverse("definition-market-index") in page


# --- spreadsheet formulas in the CSV ---------------------------------------------------------


FORMULA = '=HYPERLINK("http://x","y")'


def test_a_formula_in_a_measure_is_exported_as_text_and_imported_unchanged(staff):
    measure = MeasureFactory(code="TXT-01", name=FORMULA, outcome="@SUM(A1:A9)")
    ProxyValueFactory(measure=measure, notes="-2+3 tonnes", value=Decimal("5"))
    exported = services.export_csv()
    assert f"'{FORMULA}".replace('"', '""') in exported
    row = next(r for r in rows_from_text(exported) if r[0] == "TXT-01")
    assert row[HEADER.index("name")] == FORMULA
    assert row[HEADER.index("outcome")] == "@SUM(A1:A9)"
    assert row[HEADER.index("notes")] == "-2+3 tonnes"
    # Round trip: importing the export changes nothing.
    plan = services.plan_import(rows_from_text(exported))
    assert plan.is_valid and plan.changes == []


def test_every_exported_formula_cell_begins_with_an_apostrophe_and_numbers_do_not(staff):
    measure = MeasureFactory(code="TXT-02", name="=cmd|' /C calc'!A0", unit="+unit")
    ProxyValueFactory(measure=measure, value=Decimal("12.5"))
    raw = [line for line in services.export_csv().splitlines() if line.startswith("TXT-02")]
    assert raw
    for cell in csv.reader(raw):
        assert cell[HEADER.index("name")] == "'=cmd|' /C calc'!A0"
        assert cell[HEADER.index("unit")] == "'+unit"
        assert cell[HEADER.index("proxy_value")] == "12.50"


def test_a_proxy_value_too_large_for_the_catalogue_is_refused_by_row_and_column(staff):
    plan = services.plan_import(rows_from_text(csv_text(row(proxy_value="99999999999999999999"))))
    assert not plan.is_valid
    assert any(
        e.column == "proxy_value" and "Enter a proxy value of £10,000,000 or less." in e.message
        for e in plan.errors
    )
