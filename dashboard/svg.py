"""The SVG of the dashboard's charts, drawn from the geometry in dashboard/charts.py.

Written out here rather than in a template: a year's dashboard has some three thousand numbers
in its charts, and Django's template engine took a third of the page's time to place them one
`{{ }}` at a time. The tables that repeat the numbers stay in templates/dashboard/charts/.

Every text is escaped; numbers are written as Python writes them (no localisation: SVG wants
"12.5", never "12,5").
"""

from html import escape

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .charts import BarChart, HBarChart, ParetoChart, StackedChart

# What a chart with nothing to draw says, unless its template says otherwise (translated when drawn).
EMPTY_TEXT = _("Nothing to show for this selection.")


def _open(cid: str, frame, title: str, desc: str) -> list[str]:
    return [
        f'<svg viewBox="{frame.view_box}" width="100%" font-size="12" role="img" '
        f'aria-labelledby="chart-{cid}-title" aria-describedby="chart-{cid}-desc">',
        f'<title id="chart-{cid}-title">{escape(title)}</title>',
        f'<desc id="chart-{cid}-desc">{escape(desc)}</desc>',
    ]


def _link(url: str | None, linked: bool) -> tuple[str, str]:
    return (f'<a href="{escape(url)}">', "</a>") if linked and url is not None else ("<g>", "</g>")


def _y_grid(chart) -> str:
    f = chart.frame
    return (
        '<g class="chart-grid">'
        + "".join(
            f'<line x1="{f.left}" x2="{f.right}" y1="{t.pos}" y2="{t.pos}"/>'
            f'<text class="chart-tick" x="{f.left}" y="{t.pos}" dx="-4" dy="0.32em" text-anchor="end">'
            f"{escape(t.label)}</text>"
            for t in chart.ticks
        )
        + "</g>"
    )


def _x_grid(chart) -> str:
    f = chart.frame
    return (
        '<g class="chart-grid">'
        + "".join(
            f'<line x1="{t.pos}" x2="{t.pos}" y1="{f.top}" y2="{f.bottom}"/>'
            f'<text class="chart-tick" x="{t.pos}" y="{f.bottom}" dy="1.2em" text-anchor="{t.anchor}">'
            f"{escape(t.label)}</text>"
            for t in chart.ticks
        )
        + "</g>"
    )


def _baseline_and_axis(chart, columns) -> list[str]:
    f = chart.frame
    parts = [f'<line class="chart-baseline" x1="{f.left}" x2="{f.right}" y1="{f.bottom}" y2="{f.bottom}"/>']
    parts.append('<g class="chart-axis-labels">')
    for column in columns:
        label = column.axis_label
        if label is None:
            continue
        spans = "".join(
            f'<tspan x="{label.x}" dy="{"1.25em" if i == 0 else "1.15em"}">{escape(line)}</tspan>'
            for i, line in enumerate(label.lines)
        )
        parts.append(f'<text x="{label.x}" y="{f.bottom}" text-anchor="middle">{spans}</text>')
    parts.append("</g>")
    return parts


def _rect(css: str, shape) -> str:
    return f'<rect class="{css}" x="{shape.x}" y="{shape.y}" width="{shape.width}" height="{shape.height}"/>'


def _value_above(x: float, y: float, display: str) -> str:
    return f'<text class="chart-value" x="{x}" y="{y}" dy="-0.35em" text-anchor="middle">{escape(display)}</text>'


def _empty_note(chart, text: str, *, below_rows: bool = False) -> str:
    f = chart.frame
    where = f'y="{f.bottom}" dy="1.2em"' if below_rows else f'y="{f.mid_y}"'
    return f'<text class="chart-empty" x="{f.mid_x}" {where} text-anchor="middle">{escape(text)}</text>'


def bars_svg(chart: BarChart, *, title: str, cid: str, noun: str = "", empty_text: str = "") -> str:
    """Vertical bars (charts.bars, charts.histogram), each a link to its cases."""
    empty_text = empty_text or str(EMPTY_TEXT)
    if chart.empty or chart.peak is None:
        desc = empty_text
    else:
        desc = gettext("Total {total} across {count} {noun}; highest: {label} ({display}).").format(
            total=chart.total_display,
            count=len(chart.bars),
            noun=noun or gettext("bars"),
            label=chart.peak.label,
            display=chart.peak.display,
        ) + "".join(
            " " + gettext("The {marker} is in {label}.").format(marker=m.text, label=m.label) for m in chart.markers
        )
    f = chart.frame
    parts = _open(cid, f, title, desc)
    parts.append(_y_grid(chart))
    for m in chart.markers:
        parts.append(
            f'<g class="chart-marker"><line x1="{m.x}" x2="{m.x}" y1="{m.text_y}" y2="{f.bottom}"/>'
            f'<text x="{m.x}" y="{m.text_y}" dy="-0.2em" text-anchor="{m.anchor}">{escape(m.text)}</text></g>'
        )
    for bar in chart.bars:
        start, end = _link(bar.url, bar.linked)
        parts.append(
            f"{start}<title>{escape(bar.label)}: {escape(bar.display)}</title>"
            f'<rect class="chart-hit" x="{bar.slot_x}" y="{f.top}" width="{bar.slot_width}" height="{f.plot_height}"/>'
        )
        if bar.height:
            parts.append(_rect(f"chart-c{bar.colour}", bar))
        if bar.show_value:
            parts.append(_value_above(bar.centre, bar.y, bar.display))
        parts.append(end)
    parts += _baseline_and_axis(chart, chart.bars)
    if chart.empty:
        parts.append(_empty_note(chart, empty_text))
    parts.append("</svg>")
    return "\n".join(parts)


def stacked_svg(chart: StackedChart, *, title: str, cid: str, empty_text: str = "") -> str:
    """Stacked bars (charts.stacked_bars): one stack a period, each segment a link to its cases."""
    empty_text = empty_text or str(EMPTY_TEXT)
    if chart.empty or chart.peak is None:
        desc = empty_text
    else:
        by = ", ".join(f"{entry.name} ({entry.display})" for entry in chart.legend)
        desc = gettext("Total {total} across {count} periods, by {by}; highest: {label} ({display}).").format(
            total=chart.total_display,
            count=len(chart.stacks),
            by=by,
            label=chart.peak.label,
            display=chart.peak.display,
        )
    parts = _open(cid, chart.frame, title, desc)
    parts.append(_y_grid(chart))
    for stack in chart.stacks:
        parts.append('<g class="chart-stack">')
        for s in stack.segments:
            if not s.height:
                continue
            start, end = _link(s.url, s.linked)
            parts.append(
                f"{start}<title>{escape(s.period)}, {escape(s.series)}: {escape(s.display)}</title>"
                f"{_rect(f'chart-c{s.colour}', s)}{end}"
            )
        if stack.show_value:
            parts.append(_value_above(stack.centre, stack.y, stack.display))
        parts.append("</g>")
    parts += _baseline_and_axis(chart, chart.stacks)
    if chart.empty:
        parts.append(_empty_note(chart, empty_text))
    parts.append("</svg>")
    return "\n".join(parts)


def _row(chart, row, title: str, value_class: str = "chart-value", bar_class: str | None = None) -> str:
    f = chart.frame
    start, end = _link(row.url, row.linked)
    text = (
        f"{start}<title>{escape(title)}</title>"
        f'<rect class="chart-hit" x="0" y="{row.top}" width="{f.width}" height="{chart.row_height}"/>'
        f'<text class="chart-label" x="{f.left}" y="{row.text_y}">{escape(row.label_text)}</text>'
        f'<text class="{value_class}" x="{f.right}" y="{row.text_y}" text-anchor="end">{escape(row.value_text)}</text>'
    )
    if row.width:
        text += _rect(bar_class or f"chart-c{row.colour}", row)
    if row.marker_x is not None:
        text += f'<path class="chart-budget" d="M{row.marker_x} {row.y}m0 -4v{row.height}v8"/>'
    return text + end


def hbars_svg(chart: HBarChart, *, title: str, cid: str, marker_noun: str = "",
              empty_text: str = "") -> str:  # fmt: skip
    """Horizontal bars (charts.hbars), a label line above each, with a marker (a budget) per row."""
    empty_text = empty_text or str(EMPTY_TEXT)
    if chart.empty:
        desc = empty_text
    elif chart.peak:
        desc = gettext("Total {total} across {count} rows; highest: {label} ({display}).").format(
            total=chart.total_display, count=len(chart.bars), label=chart.peak.label, display=chart.peak.display
        )
    else:
        desc = gettext("Total {total} across {count} rows.").format(total=chart.total_display, count=len(chart.bars))
    if not chart.empty and chart.over:
        noun = (marker_noun or gettext("budget")).lower()
        desc += " " + gettext("{count} over {noun}.").format(count=chart.over, noun=noun)
    parts = _open(cid, chart.frame, title, desc)
    parts.append(_x_grid(chart))
    for row in chart.bars:
        parts.append(
            _row(
                chart,
                row,
                f"{row.label}: {row.value_text}",
                value_class="chart-value chart-over-text" if row.over else "chart-value",
                bar_class="chart-over" if row.over else None,
            )
        )
    if chart.empty:
        parts.append(_empty_note(chart, empty_text, below_rows=bool(chart.bars)))
    parts.append("</svg>")
    return "\n".join(parts)


def pareto_svg(chart: ParetoChart, *, title: str, cid: str, empty_text: str = "") -> str:
    """Top causes (charts.pareto): bars largest first, the running share, the 80% line."""
    empty_text = empty_text or str(EMPTY_TEXT)
    threshold = f"{chart.threshold:.0f}"
    if chart.empty:
        desc = empty_text
    else:
        largest = ", ".join(f"{row.label} ({row.percent}%)" for row in chart.bars[:3])
        # xgettext:no-python-format
        desc = gettext("{few} of {count} make up {threshold}% of the total, {total}; the largest: {largest}.").format(
            few=chart.vital_few, count=len(chart.bars), threshold=threshold, total=chart.total_display, largest=largest
        )
    f = chart.frame
    parts = _open(cid, f, title, desc)
    parts.append(_x_grid(chart))
    if not chart.empty:
        x = chart.threshold_x
        # xgettext:no-python-format
        of_all = gettext("{percent}% of all").format(percent=threshold)
        parts.append(
            f'<g class="chart-threshold"><line x1="{x}" x2="{x}" y1="{f.top}" y2="{f.bottom}"/>'
            f'<text x="{x}" y="{f.top}" dy="-0.4em" text-anchor="middle">{escape(of_all)}</text></g>'
        )
    if chart.path:
        parts.append(f'<path class="chart-cumulative" d="{chart.path}"/>')
    for row in chart.bars:
        said = gettext("{label}: {display}, {percent}% of all ({cumulative}% with those above)")
        parts.append(
            _row(
                chart,
                row,
                said.format(label=row.label, display=row.display, percent=row.percent, cumulative=row.cumulative),
            )
        )
    if chart.points:
        parts.append('<g class="chart-cumulative">')
        above = gettext("{label} and those above: {percent}%")
        parts += [
            f'<circle cx="{p.x}" cy="{p.y}" r="3">'
            f"<title>{escape(above.format(label=p.label, percent=p.percent))}</title></circle>"
            for p in chart.points
        ]
        parts.append("</g>")
    if chart.empty:
        parts.append(_empty_note(chart, empty_text, below_rows=bool(chart.bars)))
    parts.append("</svg>")
    return "\n".join(parts)
