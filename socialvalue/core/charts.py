"""Charts as SVG, the same markup on a page and in a PDF, readable without colour.

Hand-written SVG rather than a plotting library's: the markup uses presentation attributes only
(no <style> element, no script), so it passes the service's Content-Security-Policy inline on a
page, and WeasyPrint draws it in a PDF. Bars carry their value in words beside them and series
differ by fill pattern as well as shade, so a greyscale print reads the same. Every chart comes
with its text alternative: a one-sentence summary (`alt`) and the figures as table rows.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_WIDTH = 260
VALUE_WIDTH = 110
BAR_HEIGHT = 18
BAR_GAP = 10
FONT = 'font-family="DejaVu Sans, Arial, sans-serif" font-size="12"'
# Fills that stay apart in greyscale: near black, a diagonal hatch, a light grey with an outline.
SERIES_FILLS = ("#0b0c0c", "url(#chart-hatch)", "#b1b4b6")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Decimal | None, ...]
    shown: tuple[str, ...]  # each value as a person reads it ("£1,200.00", "12%")


@dataclass(frozen=True)
class Chart:
    title: str
    alt: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    svg: SafeString

    @property
    def data_uri(self) -> str:
        """The SVG as a data: URI, for an <img> with `alt` in a PDF (tagged as a figure)."""
        return "data:image/svg+xml;base64," + base64.b64encode(str(self.svg).encode()).decode()

    @property
    def table_rows(self) -> list[tuple[str, list[str]]]:
        """(category, [each series' value as text]): the figures behind the bars."""
        return [
            (category, [s.shown[i] for s in self.series])
            for i, category in enumerate(self.categories)
        ]


def _truncate(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    *, title: str, alt: str, categories: list[str], series: list[Series], chart_id: str = "chart"
) -> Chart:
    """A horizontal bar chart: one group of bars per category, one bar per series."""
    top = max((v for s in series for v in s.values if v is not None), default=Decimal(0))
    scale_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    group_height = len(series) * BAR_HEIGHT + BAR_GAP
    legend_height = 24 if len(series) > 1 else 0
    height = legend_height + max(1, len(categories)) * group_height + BAR_GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'class="app-chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(alt)}</desc>',
        '<defs><pattern id="chart-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#0b0c0c" stroke-width="3"/></pattern></defs>',
    ]
    if len(series) > 1:
        x = LABEL_WIDTH
        for index, one in enumerate(series):
            fill = SERIES_FILLS[index % len(SERIES_FILLS)]
            parts.append(
                f'<rect x="{x}" y="4" width="14" height="14" fill="{fill}" stroke="#0b0c0c"/>'
                f'<text x="{x + 20}" y="16" {FONT}>{escape(one.name)}</text>'
            )
            x += 30 + 8 * len(one.name)
    for row, category in enumerate(categories):
        y0 = legend_height + row * group_height + BAR_GAP // 2
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y0 + len(series) * BAR_HEIGHT / 2 + 4:.1f}" '
            f'text-anchor="end" {FONT}>{escape(_truncate(category))}</text>'
        )
        for index, one in enumerate(series):
            value = one.values[row]
            y = y0 + index * BAR_HEIGHT
            width = 0 if not value or not top else float(value / top) * scale_width
            fill = SERIES_FILLS[index % len(SERIES_FILLS)]
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{width:.1f}" '
                f'height="{BAR_HEIGHT - 4}" fill="{fill}" stroke="#0b0c0c" stroke-width="0.5"/>'
                f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + BAR_HEIGHT - 5}" {FONT}>'
                f"{escape(one.shown[row])}</text>"
            )
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="{legend_height}" x2="{LABEL_WIDTH}" y2="{height}" '
        'stroke="#0b0c0c" stroke-width="1"/></svg>'
    )
    return Chart(
        title=title,
        alt=alt,
        categories=tuple(categories),
        series=tuple(series),
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text above went through escape()
    )
