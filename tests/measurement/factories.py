"""Factories for the measures catalogue."""

from datetime import date
from decimal import Decimal

import factory

from measurement.models import Measure, ProxyValue


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    code = factory.Sequence(lambda n: f"TST-{n:04d}")
    theme = "economic"
    outcome = "Test outcome"
    name = factory.Sequence(lambda n: f"Test measure {n}")
    unit = "hour"
    evidence_guidance = "Keep timesheets."


class ProxyValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProxyValue

    measure = factory.SubFactory(MeasureFactory)
    value = Decimal("10.00")
    valid_from = date(2024, 4, 1)
    proxy_year = "2024"
    source_title = "A public source"
    source_url = "https://example.org/source"
