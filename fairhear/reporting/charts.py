"""Charts as SVG markup, drawn on the server in plain Python for the dashboard and the PDF
reports: horizontal bars (one series, grouped or stacked) and a line for trends.

Every chart is an image with a name and a description (role="img", <title>, <desc>,
aria-labelledby) and is always followed on the page by a table of the same numbers. It scales
with the page (a viewBox and width 100%), so it reads at 360 px wide and at 200% zoom. Colours
are the GOV.UK palette, and each series also has its own pattern (bars) or marker and dash
(lines), and every bar and point carries its number, so colour is never the only cue. Every
piece of text is escaped here: the markup may be put into a page as it is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

# GOV.UK Frontend palette: blue, orange, green, purple, red, dark grey.
COLOURS = ("#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#505a5f")
TEXT = "#0b0c0c"
MUTED = "#505a5f"
GRID = "#b1b4b6"
# The service's own typeface stack (assets/scss/main.scss), written on the chart so that a PDF
# draws it in the same letters as a page.
FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
WIDTH = 340  # viewBox units; the chart is drawn 100% of its container's width
FONT = 16  # on a 360 px phone (a 330 px column) this is still about 15.5 px
SMALL = 15
BAR = 20  # a bar's thickness
GAP = 4
VALUE_ROOM = 60  # room kept after the longest bar for its number ("100.0%")
NAME_ROOM = 80  # and for the series' name after it, when bars are grouped
SEGMENT_LABEL_MIN = 34  # a stacked segment narrower than this shows no number inside


@dataclass(frozen=True)
class Series:
    """One set of numbers, one per label; None where there is nothing to show (for a share
    with nothing to divide by). `texts` are the numbers as written beside the bars, when they
    should read otherwise than the plain value (for example "75.0%")."""

    name: str
    values: Sequence[float | int | None]
    texts: Sequence[str] | None = None

    def text(self, i: int, unit: str) -> str:
        if self.texts is not None:
            return self.texts[i]
        value = self.values[i]
        if value is None:
            return "none"
        return f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}"


@dataclass(frozen=True)
class Chart:
    """What a chart shows: its HTML id (letters, digits and hyphens), title and description,
    the labels (rows of a bar chart, points of a line) and the series. `maximum` fixes the
    scale's top (100 for percentages); otherwise the largest value sets it."""

    id: str
    title: str
    description: str
    labels: Sequence[str]
    series: Sequence[Series]
    unit: str = ""
    maximum: float | None = None
    notes: Sequence[str] = field(default_factory=tuple)


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, words: str, *, size: int = FONT, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" font-size="{size}" fill="{TEXT}"{extra}>'
        f"{escape(words)}</text>"
    )


def _patterns(chart: Chart) -> str:
    """A pattern per series: solid, stripes, dots, cross-hatch, lines, checks."""
    shapes = (
        "",
        '<path d="M0,8 L8,0" stroke="#fff" stroke-width="2"/>',
        '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',
        '<path d="M0,0 L8,8 M0,8 L8,0" stroke="#fff" stroke-width="1.5"/>',
        '<path d="M0,4 L8,4" stroke="#fff" stroke-width="2"/>',
        '<rect x="0" y="0" width="4" height="4" fill="#fff" fill-opacity="0.6"/>',
    )
    out = []
    for i, _series in enumerate(chart.series):
        colour = COLOURS[i % len(COLOURS)]
        out.append(
            f'<pattern id="{chart.id}-p{i}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{colour}"/>{shapes[i % len(shapes)]}</pattern>'
        )
    return "<defs>" + "".join(out) + "</defs>"


def _fill(chart: Chart, i: int) -> str:
    return f"url(#{chart.id}-p{i})"


def _legend(chart: Chart, y: float, *, line: bool = False) -> tuple[str, float]:
    """A key, one series a row: its swatch (pattern, or marker and dash) and name."""
    if len(chart.series) < 2:
        return "", y
    out = []
    for i, series in enumerate(chart.series):
        if line:
            swatch = _marker(i, 12, y + 8) + (
                f'<line x1="0" y1="{_num(y + 8)}" x2="24" y2="{_num(y + 8)}" '
                f'stroke="{COLOURS[i % len(COLOURS)]}" stroke-width="3"{_dash(i)}/>'
            )
        else:
            swatch = (
                f'<rect x="0" y="{_num(y)}" width="24" height="16" fill="{_fill(chart, i)}" '
                f'stroke="{COLOURS[i % len(COLOURS)]}"/>'
            )
        out.append(swatch + _text(32, y + 13, series.name))
        y += 24
    return "".join(out), y + 6


def _open(chart: Chart, height: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" id="{chart.id}" '
        f'aria-labelledby="{chart.id}-title {chart.id}-desc" '
        f'viewBox="0 0 {WIDTH} {_num(height)}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" class="fh-chart" font-family="{escape(FONTS)}">'
        f'<title id="{chart.id}-title">{escape(chart.title)}</title>'
        f'<desc id="{chart.id}-desc">{escape(chart.description)}</desc>'
    )


def _top(chart: Chart, totals: Sequence[float]) -> float:
    top = chart.maximum if chart.maximum is not None else max([0, *totals])
    return top or 1


def bar_length(value: float | None, top: float, room: float = WIDTH - VALUE_ROOM) -> float:
    """How long a bar of `value` is when `top` fills the `room` for bars."""
    if not value:
        return 0.0
    return room * min(value, top) / top


def bars(chart: Chart, *, stacked: bool = False) -> str:
    """Horizontal bars: for each label, its name on a line of its own, then one bar per
    series (grouped), or one bar split into a segment per series (stacked) with the total."""
    # Grouped bars write their series' name after the number, so they leave it more room.
    grouped = not stacked and len(chart.series) > 1
    room = WIDTH - VALUE_ROOM - (NAME_ROOM if grouped else 0)
    values = [[s.values[i] or 0 for s in chart.series] for i in range(len(chart.labels))]
    top = _top(chart, [sum(v) if stacked else max(v, default=0) for v in values])
    body, y = _legend(chart, 0)
    parts = [body]
    for i, label in enumerate(chart.labels):
        parts.append(_text(0, y + FONT, label, font_weight="bold"))
        y += FONT + 6
        if stacked:
            x = 0.0
            for j, series in enumerate(chart.series):
                length = bar_length(series.values[i], top, room)
                if length:
                    parts.append(
                        f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(length)}" '
                        f'height="{BAR}" fill="{_fill(chart, j)}" stroke="#fff" '
                        f'data-series="{j}"><title>{escape(series.name)}: '
                        f"{escape(series.text(i, chart.unit))}</title></rect>"
                    )
                    if length >= SEGMENT_LABEL_MIN:
                        words = series.text(i, chart.unit)
                        parts.append(
                            f'<rect x="{_num(x + 2)}" y="{_num(y + 3)}" '
                            f'width="{_num(min(length - 4, 9 * len(words) + 4))}" '
                            f'height="{BAR - 6}" fill="#fff" rx="2"/>'
                        )
                        parts.append(
                            _text(x + 4, y + BAR - 5, series.text(i, chart.unit), size=SMALL)
                        )
                x += length
            total = sum(values[i])
            total_text = f"{total:g}{chart.unit}" if total else f"0{chart.unit}"
            parts.append(_text(min(x, room) + 6, y + BAR - 4, total_text))
            y += BAR + GAP
        else:
            for j, series in enumerate(chart.series):
                length = bar_length(series.values[i], top, room)
                parts.append(
                    f'<rect x="0" y="{_num(y)}" width="{_num(length)}" height="{BAR}" '
                    f'fill="{_fill(chart, j)}" stroke="{COLOURS[j % len(COLOURS)]}" '
                    f'data-series="{j}"/>'
                )
                words = series.text(i, chart.unit)
                if grouped:
                    words = f"{words} {series.name}"
                parts.append(_text(length + 6, y + BAR - 4, words))
                y += BAR + GAP
        y += 10
    if not chart.labels:
        parts.append(_text(0, y + FONT, "Nothing to show for this period."))
        y += FONT + 10
    return _open(chart, max(y, 30)) + _patterns(chart) + "".join(parts) + "</svg>"


def _dash(i: int) -> str:
    dashes = ("", "8 5", "2 4", "10 4 2 4")
    dash = dashes[i % len(dashes)]
    return f' stroke-dasharray="{dash}"' if dash else ""


def _marker(i: int, x: float, y: float) -> str:
    """Each line's points have their own shape: circle, square, triangle, diamond."""
    colour = COLOURS[i % len(COLOURS)]
    shape = i % 4
    if shape == 0:
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="5" fill="{colour}"/>'
    if shape == 1:
        return f'<rect x="{_num(x - 5)}" y="{_num(y - 5)}" width="10" height="10" fill="{colour}"/>'
    if shape == 2:
        return (
            f'<path d="M{_num(x)},{_num(y - 6)} L{_num(x + 6)},{_num(y + 5)} '
            f'L{_num(x - 6)},{_num(y + 5)} Z" fill="{colour}"/>'
        )
    return (
        f'<path d="M{_num(x)},{_num(y - 6)} L{_num(x + 6)},{_num(y)} L{_num(x)},{_num(y + 6)} '
        f'L{_num(x - 6)},{_num(y)} Z" fill="{colour}"/>'
    )


def _point_numbers(chart: Chart, px: object, py: object) -> list[str]:
    """Each point's number above it; where the series meet, the numbers stand one above the
    other (the lowest point's nearest), so none hides another."""
    out = []
    for i in range(len(chart.labels)):
        points = [
            (py(s.values[i]), s.text(i, chart.unit))
            for s in chart.series
            if s.values[i] is not None
        ]
        above = math.inf
        for y, words in sorted(points, reverse=True):
            above = min(y - 9, above - SMALL - 3)
            out.append(
                _text(px(i), above, words, size=SMALL, text_anchor="middle", font_weight="bold")
            )
    return out


def line(chart: Chart) -> str:
    """A line per series over the labels (months, left to right), with the scale's 0, middle
    and top marked; each point carries its number while there are 12 points or fewer. A label
    may hold a line break ("Apr\\n2026")."""
    legend, y0 = _legend(chart, 0, line=True)
    left, right, inset, plot_h = 40.0, 20.0, 14.0, 180.0
    # Room above the plot for the numbers of points at the top, one above the other.
    top_y = y0 + 8 + (SMALL + 3) * len(chart.series)
    bottom_y = top_y + plot_h
    n = len(chart.labels)
    every = [v for s in chart.series for v in s.values if v is not None]
    top = _top(chart, every)
    if chart.maximum is None and top == int(top):
        top += top % 2  # a count's scale ends on an even number, so its middle is whole
    span = WIDTH - left - right - 2 * inset
    step = span / max(n - 1, 1)

    def px(i: int) -> float:
        return left + inset + (step * i if n > 1 else span / 2)

    def py(value: float) -> float:
        return bottom_y - plot_h * min(value, top) / top

    parts = [legend]
    for tick in (0, top / 2, top):
        y = py(tick)
        parts.append(
            f'<line x1="{_num(left)}" y1="{_num(y)}" x2="{WIDTH - right}" y2="{_num(y)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            _text(left - 4, y + 5, f"{_num(tick)}{chart.unit}", size=SMALL, text_anchor="end")
        )
    # Every label where they fit side by side, else every second or third from the first:
    # twelve months' "Sep" and "Oct" would run into each other at the chart's width.
    widest = max((len(w) for label in chart.labels for w in label.split("\n")), default=0)
    shown = max(1, math.ceil(n / 12), math.ceil((widest * SMALL * 0.6 + 6) / step))
    for i, label in enumerate(chart.labels):
        if i % shown:
            continue
        lines = label.split("\n")
        spans = "".join(
            f'<tspan x="{_num(px(i))}" dy="{0 if k == 0 else SMALL + 2}">{escape(words)}</tspan>'
            for k, words in enumerate(lines)
        )
        parts.append(
            f'<text x="{_num(px(i))}" y="{_num(bottom_y + SMALL + 6)}" font-size="{SMALL}" '
            f'fill="{TEXT}" text-anchor="middle">{spans}</text>'
        )
    for j, series in enumerate(chart.series):
        colour = COLOURS[j % len(COLOURS)]
        points = [(px(i), py(v)) for i, v in enumerate(series.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="3"'
                f'{_dash(j)} data-series="{j}"/>'
            )
        parts.extend(_marker(j, px(i), py(v)) for i, v in enumerate(series.values) if v is not None)
    if n <= 12:
        parts.extend(_point_numbers(chart, px, py))
    height = bottom_y + SMALL * 2 + 18
    return _open(chart, height) + "".join(parts) + "</svg>"
