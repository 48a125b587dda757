"""The filters of the opportunities list, declared once (django-filter).

The opportunities page (tenders.views.opportunities) and GET /api/opportunities/ (tenders.api)
narrow the same published tenders with `OpportunityFilter`: the page draws its form in GOV.UK
style and shows a refused filter next to its field; the API reads the same names as query
parameters and answers a refused one with a 400 naming it. The schema describes them from here.
"""

from __future__ import annotations

from datetime import UTC, timedelta

import django_filters
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from socialvalue.core.forms import GDSFormMixin
from socialvalue.models import Organisation
from tenders import reference
from tenders.models import AwardDecision, Lot, Tender, TenderStatus
from tenders.ocds import sources as ocds_sources

CLOSING_WINDOWS = (7, 14, 30, 90)  # days: the choices of "Closing within"

# The words a query string may use for yes and no (those DRF reads); the page's checkbox sends "on".
_YES = frozenset({"true", "t", "yes", "y", "on", "1"})
_NO = frozenset({"false", "f", "no", "n", "off", "0", ""})


def _is_yes(value) -> bool:
    return value is True or str(value).strip().lower() in _YES


class YesNoCheckbox(forms.CheckboxInput):
    """A checkbox that hands the field the word sent, so that a word it does not know is refused
    rather than read as yes (Django's checkbox reads any word but "false" and "0" as yes)."""

    def __init__(self, attrs=None):
        # The GOV.UK class by hand: crispy-forms-gds styles only widgets named CheckboxInput.
        super().__init__({"class": "govuk-checkboxes__input", **(attrs or {})}, check_test=_is_yes)

    def value_from_datadict(self, data, files, name):
        return data.get(name)

    def format_value(self, value):
        return None  # ticked, the box sends "on", whatever word brought the page here


class YesNoField(forms.Field):
    """Yes or no: true/false, yes/no, on/off or 1/0 in any case; absent or blank is no."""

    widget = YesNoCheckbox
    default_error_messages = {"invalid": "%(label)s must be true or false."}

    def to_python(self, value) -> bool:
        if value is None or isinstance(value, bool):
            return bool(value)
        word = str(value).strip().lower()
        if word in _YES or word in _NO:
            return word in _YES
        raise ValidationError(
            self.error_messages["invalid"], code="invalid", params={"label": self.label}
        )


class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField


class OpportunityFilterForm(GDSFormMixin, forms.Form):
    """The form django-filter builds from `OpportunityFilter`, laid out as GOV.UK filters."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.help_text = ""  # the filters' help texts describe the API's parameters
        self.helper.disable_csrf = True  # a GET form: no token in the address
        self.helper.layout = Layout(
            Field.text("q"),
            Field.select("authority"),
            Field.select("value"),
            Field.select("closing"),
            Field.text("lot"),
            Field.checkbox("closed", small=True),
        )


def _value_band_choices() -> list[tuple[str, str]]:
    # A callable: the bands in force are read from dated data on the day of the request.
    return [(band.key, band.label) for band in reference.value_bands()]


def _authorities(request) -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind="authority")


class OpportunityFilter(django_filters.FilterSet):
    """Search, authority, contract value band, closing window, lot and whether closed tenders
    are included. Unless `closed` is yes, only tenders still open for bids are kept."""

    q = django_filters.CharFilter(
        label="Search",
        method="search",
        help_text="Words in the title, description or reference.",
    )
    authority = django_filters.ModelChoiceFilter(
        label="Authority",
        queryset=_authorities,
        empty_label="Any authority",
        error_messages={"invalid_choice": "Choose an authority from the list."},
        help_text="The buying authority's id.",
    )
    value = django_filters.ChoiceFilter(
        label="Contract value",
        choices=_value_band_choices,
        empty_label="Any value",
        error_messages={"invalid_choice": "Choose a contract value from the list."},
        method="in_value_band",
        help_text="A contract value band's key (the proportionality bands in force).",
    )
    closing = django_filters.ChoiceFilter(
        label="Closing",
        choices=[(str(days), f"Within {days} days") for days in CLOSING_WINDOWS],
        empty_label="Any time",
        error_messages={"invalid_choice": "Choose when tenders close from the list."},
        method="closing_within",
        help_text="Closing within this many days.",
    )
    lot = django_filters.CharFilter(
        label="Lot title contains",
        method="lot_search",
        help_text="Words in a lot's title or description.",
    )
    closed = YesNoFilter(
        label="Include closed tenders",
        method="include_closed",
        help_text="Include tenders whose deadline has passed.",
    )

    class Meta:
        model = Tender
        fields: list[str] = []
        form = OpportunityFilterForm

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()

    def filter_queryset(self, queryset: QuerySet[Tender]) -> QuerySet[Tender]:
        # Here rather than in `include_closed`: closed tenders stay out when `closed` is refused.
        if not self.form.cleaned_data.get("closed"):
            queryset = queryset.filter(
                status=TenderStatus.PUBLISHED, submission_deadline__gt=self.now
            )
        return super().filter_queryset(queryset)

    def search(self, queryset, name, value: str):
        # Substring matches, as on SQLite; on PostgreSQL the trigram indexes of migration 0003
        # (on UPPER(column), the expression Django's icontains compares) serve them.
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(reference__icontains=value)
        )

    def in_value_band(self, queryset, name, value: str):
        band = next((b for b in reference.value_bands() if b.key == value), None)
        if band is None:  # the bands changed between checking the choice and filtering
            return queryset
        queryset = queryset.filter(estimated_value__gte=band.from_value)
        if band.below_value is not None:
            queryset = queryset.filter(estimated_value__lt=band.below_value)
        return queryset

    def closing_within(self, queryset, name, value: str):
        return queryset.filter(submission_deadline__lte=self.now + timedelta(days=int(value)))

    def lot_search(self, queryset, name, value: str):
        # EXISTS rather than a join and DISTINCT over every matching tender's columns.
        lots = Lot.objects.filter(tender=OuterRef("pk")).filter(
            Q(title__icontains=value) | Q(description__icontains=value)
        )
        return queryset.filter(Exists(lots))

    def include_closed(self, queryset, name, value: bool):
        return queryset  # applied in filter_queryset


class UTCIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 moment, in UTC: an offset the database cannot store (beyond ±15 hours) or a
    moment that leaves the calendar when moved to UTC is refused rather than sent on."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except OverflowError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class UTCIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCIsoDateTimeField


class ReleaseFilter(django_filters.FilterSet):
    """The OCDS release packages' one filter: releases dated on or after a moment."""

    since = UTCIsoDateTimeFilter(
        label="Since",
        method="released_since",
        error_messages={"invalid": "Enter a date, or a date and time, in ISO 8601 format."},
        help_text=(
            "Only releases dated at or after this moment (ISO 8601, for example "
            "2026-04-01 or 2026-04-01T09:00:00Z); a date alone means its start, UK time."
        ),
    )

    class Meta:
        model = Tender
        fields: list[str] = []

    def released_since(self, queryset, name, value):
        # The releases themselves are narrowed by the view, which reads the same cleaned value.
        changed = (
            Q(published_at__gte=value)
            | Q(amendments__made_at__gte=value)
            | Q(submission_deadline__gte=value)
            | Q(award_notices__issued_at__gte=value)
            | Q(award_notices__standstill_ended_at__gte=value)
            | Q(award_notices__withdrawn_at__gte=value)
            | Q(contracts__entered_at__gte=value)
        )
        # Delivery verified since (sources above tenders, registered in tenders.ocds.sources).
        for source in ocds_sources.implementation_sources():
            changed |= Q(pk__in=source.tenders_changed_since(value))
        return queryset.filter(changed).distinct()


def _bidder_organisations(request) -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind="bidder")


class DateRangeForm(forms.Form):
    """The form of a filter set with `since` and `until` (inclusive): an end before the start
    is refused next to `until` (the API answers 400 naming it)."""

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The end date must be on or after the start date.")
        return data


ISO_DATE_ERROR = {"invalid": "Enter a date in ISO 8601 format, like 2026-04-01."}


def date_range(
    field_name: str, *, label: str, described: str, lookup: str = "", note: str = "ISO 8601"
) -> tuple[django_filters.DateFilter, django_filters.DateFilter]:
    """The `since` and `until` filters (both inclusive) of one date, as the open data API
    declares them: `label` "Signed" reads "Signed on or after", `described` "Contracts signed"
    reads "Contracts signed on or after this day". Pair them with `DateRangeForm`."""

    def bound(words: str, expr: str, example: str) -> django_filters.DateFilter:
        return django_filters.DateFilter(
            label=f"{label} on or {words}",
            field_name=field_name,
            lookup_expr=f"{lookup}{expr}",
            error_messages=ISO_DATE_ERROR,
            help_text=f"{described} on or {words} this day ({note}, like {example}).",
        )

    return bound("after", "gte", "2026-04-01"), bound("before", "lte", "2026-04-30")


class AwardFilter(django_filters.FilterSet):
    """The published awards' filters: buyer, winner, and when the award was issued."""

    buyer = django_filters.ModelChoiceFilter(
        label="Buyer",
        field_name="lot__tender__authority",
        queryset=_authorities,
        error_messages={"invalid_choice": "Choose a buying authority by its id."},
        help_text="The buying authority's id.",
    )
    supplier = django_filters.ModelChoiceFilter(
        label="Supplier",
        field_name="bid__bidder",
        queryset=_bidder_organisations,
        error_messages={"invalid_choice": "Choose a supplier by its id."},
        help_text="The winning supplier's id.",
    )
    since, until = date_range(
        "awarded_at",
        label="Awarded",
        described="Awards issued",
        lookup="date__",
        note="UK time; ISO 8601",
    )

    class Meta:
        model = AwardDecision
        fields: list[str] = []
        form = DateRangeForm
