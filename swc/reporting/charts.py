"""Server-rendered SVG charts, written by hand: bars and lines, with their data.

Pure functions, no ORM, no JavaScript. Each chart has a ``<title>`` and
``<desc>`` referenced by ``aria-labelledby``, and is always shown next to a
table holding the same figures (the table is the accessible version; the chart
is for a quick look).

A value that disclosure control hid (``[c]``) is drawn as a gap with a marker
(a hollow diamond on the axis, labelled ``[c]``) and a note under the chart, so
it can never be read as a zero (no bar) nor as a value (no height). Labels are
never cut off: they are wrapped or turned, and the chart grows to hold them.
The legend gives each series its full name on a line of its own. Colours are
SVG presentation attributes, not ``style`` attributes, so the content security
policy (no inline styles) is respected.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from .suppression import NOT_APPLICABLE, SUPPRESSED

WIDTH = 640
PLOT_HEIGHT = 208
MARGIN_LEFT = 48
MARGIN_TOP = 16
MARGIN_RIGHT = 16
FONT = 12
# Width of a character at 12px in the GOV.UK font, generously: labels must fit.
CHAR = 7.2
LINE = 16
PALETTE = (
    "#1d70b8",
    "#d4351c",
    "#00703c",
    "#f47738",
    "#4c2c92",
    "#505a5f",
    "#912b88",
    "#28a197",
    "#b58840",
    "#d53880",
    "#5694ca",
)
MARKER = "#505a5f"
TARGET = "#0b0c0c"
NOTE_HIDDEN = (
    f"{SUPPRESSED} marks a value hidden to protect children: it is not zero, and not drawn."
)


@dataclass(frozen=True)
class Series:
    """One named run of values; None is a value hidden by disclosure control, drawn as a
    marked gap. Positions in ``no_data`` have nothing to measure: a plain gap, ``[z]``."""

    name: str
    values: tuple[float | None, ...]
    no_data: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Chart:
    """The SVG and the table that go with it."""

    chart_id: str
    title: str
    svg: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    target: float | None = None

    def table_rows(self) -> list[tuple[str, list[str]]]:
        """One row per label, one cell per series, ``[c]`` where the value is hidden."""
        return [
            (label, [NOT_APPLICABLE if k in s.no_data else _cell(s.values[k]) for s in self.series])
            for k, label in enumerate(self.labels)
        ]


def _cell(value: float | None) -> str:
    if value is None:
        return SUPPRESSED
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def series_measured(name: str, values: Sequence[float | None]) -> Series:
    """A series whose NaN values had nothing to measure (drawn as a plain gap, ``[z]``);
    None values were hidden by disclosure control (a marked gap, ``[c]``)."""
    no_data = frozenset(k for k, v in enumerate(values) if v is not None and math.isnan(v))
    return Series(name, tuple(None if k in no_data else v for k, v in enumerate(values)), no_data)


def shown_value(text: str) -> float | None:
    """A published cell back to a number for drawing: a symbol becomes a gap."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _scale_max(series: Sequence[Series], target: float | None) -> float:
    top = max((v for s in series for v in s.values if v is not None), default=0.0)
    top = max(top, target or 0.0)
    if top <= 0:
        return 1.0
    # A round axis maximum: 1, 2 or 5 times a power of ten at or above the top value.
    magnitude = 1.0
    while magnitude * 10 < top:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= top:
            return step * magnitude
    return top


def _wrap(label: str, width: float) -> list[str]:
    """The label in lines of at most ``width`` pixels, broken between words."""
    lines: list[str] = []
    for word in label.split():
        if lines and (len(lines[-1]) + 1 + len(word)) * CHAR <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


@dataclass(frozen=True)
class _Layout:
    slot: float
    base: float  # y of the axis
    label_lines: tuple[tuple[str, ...], ...]
    turned: bool  # labels turned upright (too many or too long to wrap)
    labels_height: float
    every: int  # label every nth slot (long monthly series)


def _layout(labels: Sequence[str]) -> _Layout:
    slot = (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / max(1, len(labels))
    every = max(1, math.ceil(len(labels) / 24))
    wrapped: tuple[tuple[str, ...], ...] = tuple(
        tuple(_wrap(label, slot * every - 4)) for label in labels
    )
    longest_word = max((len(w) for label in labels for w in label.split()), default=0)
    turned = longest_word * CHAR > slot * every - 4 or max(map(len, wrapped), default=1) > 3
    lines: tuple[tuple[str, ...], ...]
    if turned:
        # Turned upright, reading upwards, below their tick: never past either side.
        height = max((len(label) for label in labels), default=0) * CHAR + LINE
        lines = tuple((label,) for label in labels)
    else:
        height = max(map(len, wrapped), default=1) * LINE + 6
        lines = wrapped
    return _Layout(slot, MARGIN_TOP + PLOT_HEIGHT, lines, turned, height, every)


def _legend(series: Sequence[Series], top: float, target: float | None) -> tuple[list[str], float]:
    """Each series (and the target) on a line of its own, full name: (parts, height)."""
    entries = [(s.name, PALETTE[k % len(PALETTE)], "box") for k, s in enumerate(series)]
    if target is not None:
        entries.append((f"Target: {_cell(target)}", TARGET, "dash"))
    if len(entries) < 2:
        return [], 0.0
    parts = []
    for k, (name, colour, kind) in enumerate(entries):
        y = top + LINE * k + 12
        if kind == "box":
            parts.append(
                f'<rect x="{MARGIN_LEFT}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
            )
        else:
            parts.append(
                f'<line x1="{MARGIN_LEFT}" y1="{y - 4}" x2="{MARGIN_LEFT + 12}" y2="{y - 4}" '
                f'stroke="{colour}" stroke-width="2" stroke-dasharray="4 3"/>'
            )
        parts.append(
            f'<text x="{MARGIN_LEFT + 18}" y="{y}" font-size="{FONT}">{escape(name)}</text>'
        )
    return parts, LINE * len(entries) + 8


def _frame(chart_id: str, title: str, description: str, height: float, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'class="swc-chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'focusable="false">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _axes(top: float, layout: _Layout, labels: Sequence[str]) -> list[str]:
    base = layout.base
    parts = [
        f'<line x1="{MARGIN_LEFT}" y1="{base}" x2="{WIDTH - MARGIN_RIGHT}" y2="{base}" '
        f'stroke="#0b0c0c"/>',
        f'<line x1="{MARGIN_LEFT}" y1="{MARGIN_TOP}" x2="{MARGIN_LEFT}" y2="{base}" '
        f'stroke="#0b0c0c"/>',
    ]
    # Whole-number steps where the axis allows (0, 10, 20 ... 50 rather than 12.5, 37.5).
    if top.is_integer() and top < 4:
        # A low axis (every value hidden or small) steps by one: 0, 1, 2, never 0.25.
        steps = int(top)
    else:
        steps = 4 if (top / 4).is_integer() or not (top / 5).is_integer() else 5
    for k in range(steps + 1):
        value = top * k / steps
        y = base - PLOT_HEIGHT * k / steps
        parts.append(
            f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="{FONT}">'
            f"{_cell(value)}</text>"
        )
    for k, lines in enumerate(layout.label_lines):
        if k % layout.every:
            continue
        x = MARGIN_LEFT + layout.slot * (k + 0.5)
        if layout.turned:
            y = base + 8
            parts.append(
                f'<text x="{x + 4:.1f}" y="{y}" text-anchor="end" font-size="{FONT}" '
                f'transform="rotate(-90 {x + 4:.1f} {y})">{escape(lines[0])}</text>'
            )
        else:
            spans = "".join(
                f'<tspan x="{x:.1f}" dy="{LINE if n else 0}">{escape(line)}</tspan>'
                for n, line in enumerate(lines)
            )
            parts.append(
                f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle" font-size="{FONT}">'
                f"{spans}</text>"
            )
    return parts


def _hidden_marker(x: float, base: float, label: str, series: str) -> list[str]:
    """A hollow diamond on the axis with ``[c]`` above it: a gap that says why."""
    return [
        f'<path d="M{x:.1f} {base - 12:.1f} l5 5 l-5 5 l-5 -5 z" fill="#ffffff" '
        f'stroke="{MARKER}" stroke-width="1.5" class="swc-chart__hidden">'
        f"<title>{escape(label)}, {escape(series)}: {SUPPRESSED} (hidden)</title></path>",
        f'<text x="{x:.1f}" y="{base - 16:.1f}" text-anchor="middle" font-size="10" '
        f'fill="{MARKER}">{SUPPRESSED}</text>',
    ]


def _target_line(top: float, target: float | None, base: float) -> list[str]:
    if target is None:
        return []
    y = base - PLOT_HEIGHT * target / top
    return [
        f'<line x1="{MARGIN_LEFT}" y1="{y:.1f}" x2="{WIDTH - MARGIN_RIGHT}" y2="{y:.1f}" '
        f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4" class="swc-chart__target"/>'
    ]


def _finish(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    layout: _Layout,
    body: list[str],
    target: float | None,
) -> Chart:
    y = layout.base + layout.labels_height
    legend, legend_height = _legend(series, y, target)
    body += legend
    y += legend_height
    if _any_hidden(series):
        y += LINE
        body.append(
            f'<text x="{MARGIN_LEFT}" y="{y:.0f}" font-size="{FONT}" class="swc-chart__note">'
            f"{escape(NOTE_HIDDEN)}</text>"
        )
    description = _describe(labels, series, target)
    svg = _frame(chart_id, title, description, y + 8, body)
    return Chart(chart_id, title, svg, tuple(labels), tuple(series), target)


def bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    target: float | None = None,
) -> Chart:
    """Grouped vertical bars, one group per label and one bar per series."""
    _check(labels, series)
    top = _scale_max(series, target)
    layout = _layout(labels)
    bar = layout.slot * 0.8 / max(1, len(series))
    body = _axes(top, layout, labels)
    for s_index, s in enumerate(series):
        colour = PALETTE[s_index % len(PALETTE)]
        for k, value in enumerate(s.values):
            x = MARGIN_LEFT + layout.slot * k + layout.slot * 0.1 + bar * s_index
            if k in s.no_data:
                continue
            if value is None:
                body += _hidden_marker(x + bar / 2, layout.base, labels[k], s.name)
                continue
            h = PLOT_HEIGHT * value / top
            body.append(
                f'<rect x="{x:.1f}" y="{layout.base - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(labels[k])}, {escape(s.name)}: '
                f"{_cell(value)}</title></rect>"
            )
    body += _target_line(top, target, layout.base)
    return _finish(chart_id, title, labels, series, layout, body, target)


def line_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    target: float | None = None,
) -> Chart:
    """One line per series over the labels (months); a hidden value breaks the line."""
    _check(labels, series)
    top = _scale_max(series, target)
    layout = _layout(labels)
    body = _axes(top, layout, labels)
    body += _target_line(top, target, layout.base)
    for s_index, s in enumerate(series):
        colour = PALETTE[s_index % len(PALETTE)]
        runs: list[list[str]] = [[]]
        for k, value in enumerate(s.values):
            x = MARGIN_LEFT + layout.slot * (k + 0.5)
            if k in s.no_data:
                runs.append([])
                continue
            if value is None:
                runs.append([])
                body += _hidden_marker(x, layout.base, labels[k], s.name)
                continue
            y = layout.base - PLOT_HEIGHT * value / top
            runs[-1].append(f"{x:.1f},{y:.1f}")
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(labels[k])}, {escape(s.name)}: {_cell(value)}</title></circle>"
            )
        for run in runs:
            if len(run) > 1:
                body.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"/>'
                )
    return _finish(chart_id, title, labels, series, layout, body, target)


def _describe(labels: Sequence[str], series: Sequence[Series], target: float | None) -> str:
    names = ", ".join(s.name for s in series)
    span = f"{labels[0]} to {labels[-1]}" if labels else "no data"
    aim = f" Target {_cell(target)}." if target is not None else ""
    hidden = (
        " Some values are hidden to protect children."
        if any(v is None for s in series for v in s.values)
        else ""
    )
    return f"{names}: {span}.{aim}{hidden} The table beside the chart gives every value."


def _any_hidden(series: Sequence[Series]) -> bool:
    return any(v is None and k not in s.no_data for s in series for k, v in enumerate(s.values))


def _check(labels: Sequence[str], series: Sequence[Series]) -> None:
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(
                f"series {s.name!r} has {len(s.values)} values for {len(labels)} labels"
            )
