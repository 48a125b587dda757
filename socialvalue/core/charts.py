"""Charts as self-contained SVG, drawn by pygal, for pages and PDF reports alike.

Readable without colour: each series is filled with its own pattern (solid, diagonal lines,
dots, cross-hatch...) as well as its colour, and every segment carries its value as a label.
A page showing a chart also shows the figures as a table: the chart is never the only way to
read them. The SVG loads nothing (no scripts, no fonts, no external style sheet), so it can be
served as an image or embedded in a PDF.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pygal
from pygal.style import Style

# Pattern tiles, one per series, in order. Each is a light colour with a dark mark, so the
# series differ in greyscale and for people who cannot tell the colours apart.
_PATTERNS = (
    # Solid mid blue.
    '<rect width="8" height="8" fill="#5694ca"/>',
    # Light green with dark diagonal lines.
    '<rect width="8" height="8" fill="#cce2d8"/>'
    '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#00703c" stroke-width="2"/>',
    # Light yellow with dark dots.
    '<rect width="8" height="8" fill="#fff7bf"/><circle cx="4" cy="4" r="1.8" fill="#594d00"/>',
    # Light pink with a cross-hatch.
    '<rect width="8" height="8" fill="#f4d7e8"/>'
    '<path d="M0,0 l8,8 M8,0 l-8,8" stroke="#6f1c4d" stroke-width="1.2"/>',
    # White with horizontal lines.
    '<rect width="8" height="8" fill="#ffffff"/>'
    '<path d="M0,2 h8 M0,6 h8" stroke="#0b0c0c" stroke-width="1"/>',
)
PATTERN_NAMES = ("solid", "diagonal lines", "dots", "cross-hatch", "horizontal lines")

_CSS = (
    "inline:"
    "{{id}} .text-overlay text.value{fill:#0b0c0c;font-weight:bold;paint-order:stroke;"
    "stroke:#fff;stroke-width:3px;stroke-linejoin:round}"
    "{{id}} .rect{stroke:#0b0c0c;stroke-width:1}"
)
_PLACES = Decimal("0.01")
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)


@dataclass(frozen=True)
class Series:
    """One part of each bar (for example the price score of every bid), in category order."""

    name: str
    values: Sequence[Decimal | None]


def pattern_name(index: int) -> str:
    """The words for a series' fill, for a legend or a table that explains the chart."""
    return PATTERN_NAMES[index % len(PATTERN_NAMES)]


def _shown(value: Decimal | float | None) -> str:
    if value is None:
        return ""
    return str(Decimal(str(value)).quantize(_PLACES, rounding=ROUND_HALF_UP))


def stacked_bars(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    maximum: Decimal | None = None,
    unit: str = "",
) -> str:
    """Horizontal bars, one per category (the first at the top), each stacked from the series'
    values (2 dp labels).

    Values stay Decimal until drawn; a None leaves that part of the bar empty. Returns the SVG
    document as text (no XML declaration), its text escaped by pygal's XML writer.
    """
    chart_id = f"chart-{uuid.uuid4().hex[:12]}"
    style = Style(
        colors=tuple(f"url(#{chart_id}-p{i % len(_PATTERNS)})" for i in range(len(series))),
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#0b0c0c",
        foreground_strong="#0b0c0c",
        foreground_subtle="#505a5f",
        font_family="Arial, Helvetica, sans-serif",
        value_font_size=13,
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=14,
        title_font_size=16,
    )
    chart = pygal.HorizontalStackedBar(
        style=style,
        js=[],
        # pygal's own sheets (layout, then the style's colours) and ours after them.
        css=[*pygal.Config().css, _CSS.replace("{{id}}", f"#{chart_id}")],
        defs=[
            f'<pattern id="{chart_id}-p{i}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f"{tile}</pattern>"
            for i, tile in enumerate(_PATTERNS)
        ],
        disable_xml_declaration=True,
        print_values=True,
        print_zeroes=False,
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=max(1, len(series)),
        width=800,
        height=max(220, 70 + 48 * len(categories)),
        title=title,
        x_title=unit or None,
        range=(0, float(maximum)) if maximum is not None else None,
        truncate_label=40,
        value_formatter=_shown,
        no_data_text="No figures",
    )
    # pygal draws the first category at the bottom; people read the first at the top.
    chart.x_labels = list(reversed(categories))
    for part in series:
        # pygal draws floats; the labels come from the Decimal through value_formatter.
        chart.add(part.name, [None if v is None else float(v) for v in reversed(part.values)])
    svg = chart.render(is_unicode=True)
    # pygal always writes its configuration into a <script> for its optional tooltips; the
    # chart needs no script, so none is kept (nothing runs wherever the SVG is shown).
    svg = _SCRIPT.sub("", svg)
    # pygal names the root by a random id of its own; use ours so the patterns resolve.
    root_id = svg.split('id="', 1)[1].split('"', 1)[0]
    return svg.replace(root_id, chart_id).replace(
        "<svg ", f'<svg role="img" aria-label="{_attr(title)}" ', 1
    )


def _attr(text: str) -> str:
    return (
        str(text)
        .replace("&", "&amp;")
        .replace('"', "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )
