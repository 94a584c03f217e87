"""Chart geometry for the dashboard, worked out here so the drawing only places it (no Django import).

Every function takes plain values and returns a frozen dataclass whose numbers are ready for an
SVG `viewBox` of `frame.width` x `frame.height` user units, rounded to 0.1: bars, axis ticks on a
1-2-5 rule, axis labels thinned so they never overlap, and shares in percent.  dashboard/svg.py
draws them; the templates in templates/dashboard/charts/ place the drawing and repeat the numbers
in a table.

Text is sized in user units (`FONT`, set on the <svg>), and its width is estimated
from a character count, so labels are fitted and thinned here without a browser.  A chart with
nothing to draw (no items, or every value zero and no budget marker) is `empty`: the template says
so instead of drawing bars.  Negative, infinite or missing values raise ValueError: what the dashboard counts
(cases, money, minutes) cannot be below zero.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

FONT = 12.0  # text size in user units
CHAR = FONT * 0.6  # estimated width of a character of a sans-serif face
BOLD = FONT * 0.7  # of the values, drawn semi-bold with figures all of one width (charts.css)
NARROW = frozenset(" .,:;'|!()il")  # about half as wide as the average character
GAP = 6.0  # clear space between two labels
PALETTE = 8  # .chart-c0 ... .chart-c7 in static/css/charts.css
ROW_PITCH, ROW_BAR, ROW_BAR_TOP = 40.0, 14.0, 18.0  # a horizontal row: label line, then its bar
# The marks' and flags' words in English; the dashboard passes them translated (dashboard/pages.py).
MEDIAN_TEXT, P90_TEXT, OVER_TEXT = "median", "90th percentile", "over budget"


@dataclass(frozen=True)
class Item:
    label: str
    value: float
    url: str | None
    display: str | None = None  # the value as people read it ("£1,250"); formatted here if None


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]  # one per period
    urls: Sequence[str | None]  # one per period, or none at all
    colour_index: int  # .chart-c{colour_index % 8}


@dataclass(frozen=True)
class Frame:
    """The viewBox (width x height) and, inside it, the plot area (left..right, top..bottom)."""

    width: float
    height: float
    left: float
    top: float
    right: float
    bottom: float

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"

    @property
    def plot_width(self) -> float:
        return round(self.right - self.left, 1)

    @property
    def plot_height(self) -> float:
        return round(self.bottom - self.top, 1)

    @property
    def mid_x(self) -> float:
        return round((self.left + self.right) / 2, 1)

    @property
    def mid_y(self) -> float:
        return round((self.top + self.bottom) / 2, 1)


@dataclass(frozen=True)
class Tick:
    value: float
    label: str
    pos: float  # y on a vertical chart, x on a horizontal one
    anchor: str = "end"  # text-anchor of its label


@dataclass(frozen=True)
class AxisLabel:
    x: float
    lines: tuple[str, ...]  # one or two lines, shortened with "…" when even two would not fit


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str
    url: str | None
    percent: float  # share of the chart's total
    colour: int
    x: float
    y: float
    width: float
    height: float
    centre: float
    slot_x: float  # the whole column, for the link's hit area and focus ring
    slot_width: float
    axis_label: AxisLabel | None  # None where thinned out
    show_value: bool  # room above the bar for `display`

    @property
    def linked(self) -> bool:
        return bool(self.url) and self.value > 0


@dataclass(frozen=True)
class Marker:
    text: str  # "median"
    index: int  # of the bar it marks
    label: str  # that bar's label
    x: float
    text_y: float
    anchor: str


@dataclass(frozen=True)
class BarChart:
    frame: Frame
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    total: float
    total_display: str
    peak: Bar | None
    empty: bool
    markers: tuple[Marker, ...] = ()


@dataclass(frozen=True)
class Segment:
    series: str
    period: str
    value: float
    display: str
    url: str | None
    colour: int
    x: float
    y: float
    width: float
    height: float

    @property
    def linked(self) -> bool:
        return bool(self.url) and self.value > 0


@dataclass(frozen=True)
class Stack:
    label: str
    total: float
    display: str
    x: float
    y: float  # top of the stack
    width: float
    centre: float
    axis_label: AxisLabel | None
    show_value: bool
    segments: tuple[Segment, ...]  # one per series, bottom up, zeros included (for the table)


@dataclass(frozen=True)
class LegendEntry:
    name: str
    colour: int
    total: float
    display: str


@dataclass(frozen=True)
class StackedChart:
    frame: Frame
    stacks: tuple[Stack, ...]
    legend: tuple[LegendEntry, ...]
    ticks: tuple[Tick, ...]
    total: float
    total_display: str
    peak: Stack | None
    empty: bool


@dataclass(frozen=True)
class Row:
    """A horizontal bar: its label on a line of its own above it, the value at the line's end."""

    label: str
    value: float
    display: str
    url: str | None
    percent: float
    colour: int
    top: float  # the row, label line included: the link's hit area
    text_y: float  # baseline of the label line
    label_text: str  # `label`, shortened to leave room for `value_text`
    value_text: str
    x: float
    y: float
    width: float
    height: float
    marker: float | None = None
    marker_x: float | None = None
    over: bool = False  # beyond its marker (a location over its budget)
    cumulative: float | None = None  # pareto: percent of the total up to and including this row

    @property
    def linked(self) -> bool:
        return bool(self.url) and self.value > 0


@dataclass(frozen=True)
class HBarChart:
    frame: Frame
    bars: tuple[Row, ...]
    ticks: tuple[Tick, ...]
    total: float
    total_display: str
    peak: Row | None
    empty: bool
    marked: bool  # some row has a marker
    over: int  # rows beyond their marker
    row_height: float = ROW_PITCH - 4  # a row's hit area, label line included


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    percent: float
    label: str


@dataclass(frozen=True)
class ParetoChart:
    frame: Frame
    bars: tuple[Row, ...]  # largest first; bar length is the row's share of the total
    ticks: tuple[Tick, ...]  # 0% ... 100%
    points: tuple[Point, ...]  # the cumulative share at each row
    path: str  # the same points as an SVG path ("M x y L x y ...")
    threshold: float  # 80 (%)
    threshold_x: float
    vital_few: int  # rows that together reach the threshold
    total: float
    total_display: str
    empty: bool
    row_height: float = ROW_PITCH - 4


def _r(value: float) -> float:
    return round(value, 1)


def _checked(values: Sequence[float], what: str) -> list[float]:
    checked = []
    for value in values:
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number) or number < 0:
            raise ValueError(f"{what} must be zero or more, not {value!r}")
        checked.append(number)
    return checked


def _format(value: float, prefix: str = "") -> str:
    return prefix + (f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}")


def nice_ticks(maximum: float, *, target: int = 5, integer: bool = False) -> list[float]:
    """0 up to the first 1, 2 or 5 x 10^n step at or over `maximum`, in at most `target` + 1 steps."""
    if maximum <= 0:
        return [0.0]
    exponent = math.floor(math.log10(maximum / target))
    steps = [m * 10.0**e for e in (exponent, exponent + 1) for m in (1, 2, 5)]
    step = next(s for s in steps if math.ceil(maximum / s - 1e-9) <= target + 1)
    if integer:
        step = max(step, 1.0)
    count = math.ceil(maximum / step - 1e-9)
    digits = max(0, -math.floor(math.log10(step)))
    return [round(i * step, digits) for i in range(count + 1)]


def _tick_labels(values: list[float], prefix: str) -> list[str]:
    """Short labels in one unit for the whole axis: "0", "£2.5k", "£5k", not "£2,500", "£5,000"."""
    top = values[-1] if values else 0
    # Thousands are shortened from 10,000 on; each unit divides by its own size (25,000 is "25k").
    for threshold, size, unit in ((1e9, 1e9, "bn"), (1e6, 1e6, "M"), (1e4, 1e3, "k")):
        if top >= threshold:
            return [f"{prefix}{v / size:g}{unit}" if v else "0" for v in values]
    return [f"{prefix}{v:,g}" if v else "0" for v in values]


def _text_width(text: str, char: float = CHAR) -> float:
    return sum(0.5 if c in NARROW else 1.0 for c in text) * char


def _fit(text: str, width: float) -> str:
    """`text`, shortened with an ellipsis to about `width` user units."""
    if _text_width(text) <= width:
        return text
    while len(text) > 1 and _text_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _two_lines(text: str) -> tuple[str, ...]:
    """`text` broken at the space or dash nearest its middle ("1 day–" / "2 days")."""
    breaks = [i + 1 for i, c in enumerate(text) if c in " –-/"]
    if not breaks:
        return (text,)
    at = min(breaks, key=lambda i: max(len(text[:i].rstrip()), len(text[i:].lstrip())))
    return tuple(part for part in (text[:at].rstrip(), text[at:].lstrip()) if part)


def _axis_labels(labels: list[str], centres: list[float], slot: float, width: float) -> list[AxisLabel | None]:
    """Labels under a row of columns, every `nth` one so none overlap; the first and last always."""
    count = len(labels)
    if not count:
        return []
    widest = max(_text_width(label) for label in labels)
    widest_split = max(max(_text_width(line) for line in _two_lines(label)) for label in labels)
    every = max(1, math.ceil((widest + GAP) / slot))
    split = (split_every := max(1, math.ceil((widest_split + GAP) / slot))) * 1.5 <= every
    if split:  # two lines only where they show clearly more labels, and then all of them, to look alike
        every = split_every
    shown = list(range(0, count, every))
    if shown[-1] != count - 1:
        if len(shown) > 1 and count - 1 - shown[-1] < every:
            shown.pop()  # too close to the last: give way to it
        shown.append(count - 1)
    room = {}
    for position, index in enumerate(shown):
        gaps = [abs(index - shown[j]) for j in (position - 1, position + 1) if 0 <= j < len(shown)]
        room[index] = (min(gaps) if gaps else count) * slot - GAP
    result: list[AxisLabel | None] = [None] * count
    for index, available in room.items():
        label = labels[index]
        lines = _two_lines(label) if split or _text_width(label) > available else (label,)
        lines = tuple(_fit(line, max(available, 3 * CHAR)) for line in lines[:2])
        half = max(_text_width(line) for line in lines) / 2
        x = min(max(centres[index], half + 1), width - half - 1)
        result[index] = AxisLabel(x=_r(x), lines=lines)
    return result


def _y_axis(
    maximum: float, integer: bool, prefix: str, height: float, two_lines: bool
) -> tuple[list[float], list[str], float, float]:
    """Tick values and labels of a vertical chart, the plot's left edge (room for the widest label)
    and its bottom edge (room for one or two lines of axis labels)."""
    values = nice_ticks(maximum, target=max(2, int(height // 50)), integer=integer)
    labels = _tick_labels(values, prefix)
    left = max(18.0, max(_text_width(label, CHAR * 0.92) for label in labels) + 8)
    return values, labels, left, height - (FONT * 2.6 + 6 if two_lines else FONT + 10)


def _columns(labels: list[str], maxima: list[float], *, integer: bool, prefix: str, width: float, height: float,
             top: float = 18.0, fill: float = 0.8, widest: float = 48.0
             ) -> tuple[Frame, tuple[Tick, ...], float, list[float], list[AxisLabel | None], float, float]:  # fmt: skip
    """Frame, ticks, column centres and axis labels shared by the vertical charts."""
    maximum = max(maxima, default=0.0)
    left = 0.0
    for two_lines in (False, True):
        values, tick_labels, left, bottom = _y_axis(maximum, integer, prefix, height, two_lines)
        slot = (width - 4 - left) / len(labels) if labels else width
        centres = [left + slot * (i + 0.5) for i in range(len(labels))]
        axis = _axis_labels(labels, centres, slot, width)
        if two_lines or all(a is None or len(a.lines) == 1 for a in axis):
            break
    frame = Frame(width, height, _r(left), _r(top), _r(width - 4), _r(bottom))
    scale = (frame.bottom - frame.top) / values[-1] if maximum > 0 else 0.0
    ticks = tuple(Tick(v, label, _r(frame.bottom - v * scale)) for v, label in zip(values, tick_labels, strict=True))
    bar_width = min(slot * fill, widest)
    return frame, ticks if maximum > 0 else (), slot, centres, axis, scale, bar_width


def bars(items: list[Item], *, prefix: str = "", colour_index: int = 0, width: float = 360,
         height: float = 240) -> BarChart:  # fmt: skip
    """Vertical bars in the order given (periods): the tallest reaches the top tick, zero is no height,
    ticks on a 1-2-5 rule cover the largest value, and labels are thinned so none overlap."""
    return _bars(items, prefix=prefix, colour_index=colour_index, width=width, height=height, gap=0.2, widest=48.0,
                 markers={})  # fmt: skip


def _bars(items: list[Item], *, prefix: str, colour_index: int, width: float, height: float, gap: float,
          widest: float, markers: dict[int, str]) -> BarChart:  # fmt: skip
    values = _checked([item.value for item in items], "a bar's value")
    total = sum(values)
    integer = all(v.is_integer() for v in values)
    frame, ticks, slot, centres, axis, scale, bar_width = _columns(
        [item.label for item in items], values, integer=integer, prefix=prefix, width=width, height=height,
        top=18.0 + 14 * len(markers), fill=1 - gap, widest=widest,
    )  # fmt: skip
    displays = [item.display or _format(v, prefix) for item, v in zip(items, values, strict=True)]
    show_values = bool(items) and max(_text_width(d, BOLD) for d in displays) + 2 <= slot
    chart_bars = []
    for i, (item, value) in enumerate(zip(items, values, strict=True)):
        height_ = value * scale
        chart_bars.append(Bar(
            label=item.label, value=value, display=displays[i], url=item.url,
            percent=_r(value / total * 100) if total else 0.0, colour=colour_index % PALETTE,
            x=_r(centres[i] - bar_width / 2), y=_r(frame.bottom - height_), width=_r(bar_width),
            height=_r(height_), centre=_r(centres[i]), slot_x=_r(centres[i] - slot / 2), slot_width=_r(slot),
            axis_label=axis[i], show_value=show_values and value > 0,
        ))  # fmt: skip
    chart_markers = []
    for row, (index, text) in enumerate(sorted(markers.items())):
        if not 0 <= index < len(items):
            raise ValueError(f"marker {text!r} at {index} is outside the {len(items)} bars")
        half = _text_width(text) / 2
        x = centres[index]
        anchor = "start" if x - half < 0 else "end" if x + half > width else "middle"
        chart_markers.append(Marker(text, index, items[index].label, _r(x), _r(FONT + 14 * row), anchor))
    return BarChart(
        frame=frame, bars=tuple(chart_bars), ticks=ticks, total=total, total_display=_format(total, prefix),
        peak=max(chart_bars, key=lambda b: b.value) if total else None, empty=not total,
        markers=tuple(chart_markers),
    )  # fmt: skip


def histogram(buckets: list[Item], *, median: int | None = None, p90: int | None = None, prefix: str = "",
              colour_index: int = 0, width: float = 360, height: float = 240, median_text: str = MEDIAN_TEXT,
              p90_text: str = P90_TEXT) -> BarChart:  # fmt: skip
    """Adjacent bars for the buckets of a distribution, marked at the median's and the 90th
    percentile's bucket (one mark if they share it), in the words given."""
    markers: dict[int, str] = {}
    for index, text in ((median, median_text), (p90, p90_text)):
        if index is not None:
            markers[index] = f"{markers[index]}, {text}" if index in markers else text
    # Buckets are adjacent ranges: the bars all but touch, however few and wide.
    return _bars(buckets, prefix=prefix, colour_index=colour_index, width=width, height=height, gap=0.04,
                 widest=math.inf, markers=markers)  # fmt: skip


def stacked_bars(periods: list[str], series: list[Series], *, prefix: str = "", width: float = 360,
                 height: float = 240) -> StackedChart:  # fmt: skip
    """One stack per period, the series stacked bottom up in the order given; a stack's height is its
    total, the sum of the series, and the tallest reaches the top tick."""
    columns = []
    for s in series:
        if len(s.values) != len(periods) or len(s.urls) not in (0, len(periods)):
            raise ValueError(f"series {s.name!r} needs one value (and one link) for each of {len(periods)} periods")
        columns.append(_checked(s.values, f"a value of {s.name!r}"))
    totals = [sum(column[i] for column in columns) for i in range(len(periods))]
    grand = sum(totals)
    integer = all(v.is_integer() for column in columns for v in column)
    frame, ticks, slot, centres, axis, scale, bar_width = _columns(
        periods, totals, integer=integer, prefix=prefix, width=width, height=height
    )
    displays = [_format(total, prefix) for total in totals]
    show_values = bool(periods) and max(_text_width(d, BOLD) for d in displays) + 2 <= slot
    stacks = []
    for i, period in enumerate(periods):
        x, running, segments = _r(centres[i] - bar_width / 2), 0.0, []
        for s, column in zip(series, columns, strict=True):
            # Both edges of a segment come from running totals, so rounding never opens a gap.
            base = _r(frame.bottom - running * scale)
            running += column[i]
            top = _r(frame.bottom - running * scale)
            segments.append(Segment(
                series=s.name, period=period, value=column[i], display=_format(column[i], prefix),
                url=s.urls[i] if s.urls else None, colour=s.colour_index % PALETTE,
                x=x, y=top, width=_r(bar_width), height=_r(base - top),
            ))  # fmt: skip
        stacks.append(Stack(
            label=period, total=totals[i], display=displays[i], x=x, y=_r(frame.bottom - totals[i] * scale),
            width=_r(bar_width), centre=_r(centres[i]), axis_label=axis[i], show_value=show_values and totals[i] > 0,
            segments=tuple(segments),
        ))  # fmt: skip
    legend = tuple(
        LegendEntry(s.name, s.colour_index % PALETTE, sum(column), _format(sum(column), prefix))
        for s, column in zip(series, columns, strict=True)
    )
    return StackedChart(
        frame=frame, stacks=tuple(stacks), legend=legend, ticks=ticks, total=grand,
        total_display=_format(grand, prefix), peak=max(stacks, key=lambda s: s.total) if grand else None,
        empty=not grand,
    )  # fmt: skip


def _rows(items: list[Item], values: list[float], *, displays: list[str], texts: list[str], scale_top: float,
          width: float, top: float, colour_index: int) -> tuple[Frame, float, list[Row]]:  # fmt: skip
    """Rows for a horizontal chart: a line for the label (and `texts` at its end), the bar under it."""
    height = top + max(len(items), 1) * ROW_PITCH + FONT + 10  # room for a row when empty; then tick labels
    frame = Frame(width, _r(height), 2.0, top, _r(width - 2), _r(height - FONT - 10))
    scale = frame.plot_width / scale_top if scale_top else 0.0
    total = sum(values)
    rows = []
    for i, (item, value) in enumerate(zip(items, values, strict=True)):
        row_top = top + i * ROW_PITCH
        room = frame.plot_width - _text_width(texts[i], BOLD) - GAP * 2
        rows.append(Row(
            label=item.label, value=value, display=displays[i], url=item.url,
            percent=_r(value / total * 100) if total else 0.0, colour=colour_index % PALETTE,
            top=_r(row_top), text_y=_r(row_top + FONT), label_text=_fit(item.label, room), value_text=texts[i],
            x=frame.left, y=_r(row_top + ROW_BAR_TOP), width=_r(value * scale), height=ROW_BAR,
        ))  # fmt: skip
    return frame, scale, rows


def _x_ticks(values: list[float], labels: list[str], frame: Frame, scale: float) -> tuple[Tick, ...]:
    last = len(values) - 1
    return tuple(
        Tick(v, label, _r(frame.left + v * scale), "start" if i == 0 else "end" if i == last else "middle")
        for i, (v, label) in enumerate(zip(values, labels, strict=True))
    )


def hbars(items: list[Item], *, marker: list[float | None] | None = None, prefix: str = "", colour_index: int = 0,
          over_text: str = OVER_TEXT, width: float = 360) -> HBarChart:  # fmt: skip
    """Horizontal bars in the order given (ranked), each under its label, with an optional marker per row
    (a budget) drawn as a tick across its bar; a row over its marker is `over`."""
    values = _checked([item.value for item in items], "a bar's value")
    if marker is not None and len(marker) != len(items):
        raise ValueError(f"marker needs one value (or None) for each of {len(items)} rows")
    marks = [None if m is None else _checked([m], "a marker")[0] for m in marker or [None] * len(items)]
    known = [*values, *(m for m in marks if m is not None)]
    tick_values = nice_ticks(max(known, default=0.0), target=max(2, int(width // 80)),
                             integer=all(v.is_integer() for v in known))  # fmt: skip
    over = [m is not None and v > m for v, m in zip(values, marks, strict=True)]
    displays = [item.display or _format(v, prefix) for item, v in zip(items, values, strict=True)]
    texts = [f"{over_text} · {d}" if o else d for d, o in zip(displays, over, strict=True)]
    scale_top = tick_values[-1] if max(known, default=0.0) else 0.0
    frame, scale, rows = _rows(items, values, displays=displays, texts=texts, scale_top=scale_top, width=width,
                               top=4.0, colour_index=colour_index)  # fmt: skip
    rows = [
        replace(row, marker=m, over=o, marker_x=None if m is None else _r(frame.left + m * scale))
        for row, m, o in zip(rows, marks, over, strict=True)
    ]
    total = sum(values)
    ticks = _x_ticks(tick_values, _tick_labels(tick_values, prefix), frame, scale) if scale else ()
    return HBarChart(
        frame=frame, bars=tuple(rows), ticks=ticks, total=total, total_display=_format(total, prefix),
        peak=max(rows, key=lambda r: r.value) if total else None, empty=not scale,
        marked=any(m is not None for m in marks), over=sum(over),
    )  # fmt: skip


def pareto(items: list[Item], *, threshold: float = 80.0, prefix: str = "", colour_index: int = 0,
           width: float = 360) -> ParetoChart:  # fmt: skip
    """The items largest first, each bar its share of the total, with the cumulative share as a line
    (ending at 100%) and a line at `threshold`% that shows the few causes behind most of it."""
    values = _checked([item.value for item in items], "a bar's value")
    ordered = sorted(zip(items, values, strict=True), key=lambda pair: -pair[1])  # stable: ties keep their order
    items, values = [item for item, _ in ordered], [value for _, value in ordered]
    running, cumulative = 0.0, []
    for value in values:
        running += value
        cumulative.append(running)
    total = running  # the same additions as the running sums, so the last share is exactly 100%
    displays = [item.display or _format(v, prefix) for item, v in zip(items, values, strict=True)]
    texts = [f"{d} · {v / total:.0%}" if total else d for d, v in zip(displays, values, strict=True)]
    frame, _, rows = _rows(items, values, displays=displays, texts=texts, scale_top=total, width=width,
                           top=FONT + 8, colour_index=colour_index)  # fmt: skip
    percents = [_r(c / total * 100) if total else 0.0 for c in cumulative]
    rows = [replace(row, cumulative=percent) for row, percent in zip(rows, percents, strict=True)]
    scale = frame.plot_width / 100
    points = tuple(
        Point(_r(frame.left + p * scale), _r(row.y + ROW_BAR / 2), p, row.label)
        for row, p in zip(rows, percents, strict=True)
    ) if total else ()  # fmt: skip
    return ParetoChart(
        frame=frame, bars=tuple(rows), points=points,
        ticks=_x_ticks([0, 20, 40, 60, 80, 100], ["0", "20%", "40%", "60%", "80%", "100%"], frame, scale)
        if total else (),
        path=" ".join(f"{'M' if i == 0 else 'L'}{p.x:g} {p.y:g}" for i, p in enumerate(points)),
        threshold=threshold, threshold_x=_r(frame.left + threshold * scale),
        vital_few=next((i + 1 for i, p in enumerate(percents) if p >= threshold), 0),
        total=total, total_display=_format(total, prefix), empty=not total,
    )  # fmt: skip
