"""socialvalue.core.charts: pygal's SVG, readable without colour and with its text alternative,
the same for the ranking page's image and a PDF report's figure."""

import base64
from decimal import Decimal

from socialvalue.core import charts


def _chart():
    return charts.bar_chart(
        title="Weighting <of> tenders & lots",
        alt="Meals: 15%; Youth: 7.5%.",
        categories=["Meals", "Youth"],
        series=[
            charts.Series("Lowest", (Decimal("15"), Decimal("7.5")), ("15%", "7.5%")),
            charts.Series("Highest", (Decimal("20"), None), ("20%", "")),
        ],
    )


def test_each_series_has_its_own_pattern_and_every_bar_its_words():
    svg = _chart().svg
    # Two series, two different pattern fills (not colour alone), and no script at all.
    assert svg.count("<pattern") == len(charts.PATTERN_NAMES)
    assert "-p0)" in svg and "-p1)" in svg
    assert "<script" not in svg
    for words in ("15%", "7.5%", "20%"):
        assert f">{words}<" in svg
    # Text is escaped once by pygal's XML writer; the label names the chart for screen readers.
    assert "Weighting &lt;of&gt; tenders &amp; lots" in svg
    assert 'role="img"' in svg
    assert 'aria-label="Weighting &lt;of&gt; tenders &amp; lots"' in svg


def test_the_text_alternative_is_the_summary_and_the_figures():
    chart = _chart()
    assert chart.alt == "Meals: 15%; Youth: 7.5%."
    assert chart.table_rows == [("Meals", ["15%", "20%"]), ("Youth", ["7.5%", ""])]
    # The PDF's image is the same SVG.
    encoded = chart.data_uri.removeprefix("data:image/svg+xml;base64,")
    assert base64.b64decode(encoded).decode() == chart.svg


def test_values_without_words_show_two_places_half_up():
    svg = charts.stacked_bars(
        title="Totals",
        categories=["A"],
        series=[charts.Series("Price", [Decimal("1.005")]), charts.Series("Quality", [None])],
        maximum=Decimal(100),
    )
    assert ">1.01<" in svg
    assert charts.pattern_name(1) == "diagonal lines"
