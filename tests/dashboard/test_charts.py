"""Chart geometry (dashboard/charts.py, pure: no database, no Django) and the templates that draw it."""

import ast
import dataclasses
import math
import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from dashboard import charts
from dashboard.charts import Item, Series

CHARTS_PY = Path(charts.__file__)


def items(*values, url=True):
    return [Item(f"Item {i}", v, f"/cases/?n={i}" if url else None) for i, v in enumerate(values)]


GEOMETRY = {"x", "y", "width", "height", "centre", "slot_x", "slot_width", "pos", "top", "text_y", "marker_x",
            "threshold_x", "left", "right", "bottom", "percent", "cumulative"}  # fmt: skip


def numbers(value):
    """Every coordinate, length and percentage anywhere in a chart, for checking they are rounded."""
    if dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            part = getattr(value, field.name)
            if field.name in GEOMETRY and isinstance(part, int | float):
                yield part
            else:
                yield from numbers(part)
    elif isinstance(value, tuple | list):
        for part in value:
            yield from numbers(part)


def test_charts_module_does_not_import_django():
    tree = ast.parse(CHARTS_PY.read_text())
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    relative = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level]
    assert not relative, "a relative import could bring Django in through the app"
    assert not [name for name in imported if name.split(".")[0] == "django"]


# Geometry --------------------------------------------------------------------------------------


def test_tallest_bar_fills_the_plot_height():
    chart = charts.bars(items(20, 100, 40))
    tallest = max(chart.bars, key=lambda bar: bar.value)
    assert tallest.height == chart.frame.plot_height
    assert tallest.y == chart.frame.top
    assert chart.ticks[-1].value == 100 and chart.ticks[-1].pos == chart.frame.top


@given(st.lists(st.integers(min_value=0, max_value=5_000_000), min_size=1, max_size=60))
def test_bars_are_scaled_to_the_top_tick_and_stay_in_the_plot(values):
    chart = charts.bars(items(*values))
    for bar in chart.bars:
        assert chart.frame.top - 0.1 <= bar.y <= chart.frame.bottom
        assert math.isclose(bar.y + bar.height, chart.frame.bottom, abs_tol=0.11)
        assert chart.frame.left <= bar.x and bar.x + bar.width <= chart.frame.right + 0.11
    if max(values):
        tallest = max(chart.bars, key=lambda bar: bar.value)
        share = max(values) / chart.ticks[-1].value
        assert math.isclose(tallest.height, chart.frame.plot_height * share, abs_tol=0.11)


def test_a_zero_bar_has_no_height():
    chart = charts.bars(items(0, 5, 0))
    assert [bar.height for bar in chart.bars] == [0.0, chart.frame.plot_height, 0.0]
    assert chart.bars[0].y == chart.frame.bottom
    assert not chart.bars[0].linked  # nothing behind it to open


@pytest.mark.parametrize(
    "maximum, expected",
    [
        (1, [0, 1]),
        (7, [0, 2, 4, 6, 8]),
        (42, [0, 10, 20, 30, 40, 50]),
        (100, [0, 20, 40, 60, 80, 100]),
        (101, [0, 20, 40, 60, 80, 100, 120]),
        (0.3, [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]),
        (1_250_000, [0, 500_000, 1_000_000, 1_500_000]),
    ],
)
def test_ticks_are_nice_numbers_covering_the_maximum(maximum, expected):
    assert charts.nice_ticks(maximum, integer=isinstance(maximum, int)) == expected


@given(st.floats(min_value=1e-3, max_value=1e12), st.integers(min_value=2, max_value=10))
def test_ticks_step_by_one_two_or_five_times_a_power_of_ten(maximum, target):
    ticks = charts.nice_ticks(maximum, target=target)
    step = ticks[1] - ticks[0]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 5, 10))
    assert ticks[0] == 0 and ticks[-1] >= maximum * (1 - 1e-9)
    assert ticks[-2] < maximum  # no more than one step beyond it
    assert len(ticks) - 1 <= target + 1
    assert all(math.isclose(b - a, step, rel_tol=1e-6) for a, b in zip(ticks, ticks[1:], strict=False))


def test_counts_get_whole_number_ticks():
    assert [tick.label for tick in charts.bars(items(1, 3)).ticks] == ["0", "1", "2", "3"]


def test_tick_labels_are_compact_for_large_values():
    chart = charts.hbars(items(1_250_000.5, 20_000), prefix="£")
    assert [tick.label for tick in chart.ticks] == ["0", "£0.5M", "£1M", "£1.5M"]
    assert chart.bars[0].display == "£1,250,000.50"


def test_thinning_keeps_the_first_and_last_labels_without_overlap():
    labels = [f"{day} Nov" for day in range(1, 31)] + [f"{day} Dec" for day in range(1, 31)]
    chart = charts.bars([Item(label, 1, None) for label in labels])
    shown = [bar for bar in chart.bars if bar.axis_label]
    assert shown[0] is chart.bars[0] and shown[-1] is chart.bars[-1]
    assert 4 <= len(shown) < len(labels)
    for left, right in zip(shown, shown[1:], strict=False):
        widths = [max(charts._text_width(line) for line in bar.axis_label.lines) for bar in (left, right)]
        assert right.axis_label.x - left.axis_label.x >= sum(widths) / 2


def test_few_bars_keep_every_label():
    chart = charts.bars(items(1, 2, 3, 4, 5))
    assert [bar.axis_label.lines for bar in chart.bars] == [(f"Item {i}",) for i in range(5)]


def test_percentages_are_shares_of_the_total():
    chart = charts.bars(items(1, 3))
    assert [bar.percent for bar in chart.bars] == [25.0, 75.0]
    assert chart.total == 4 and chart.total_display == "4"


def test_all_geometry_is_rounded_to_a_tenth():
    every_chart = [
        charts.bars(items(*(i * 3.7 for i in range(45)))),
        charts.histogram(items(3, 7, 11.3, 2), median=1, p90=2),
        charts.stacked_bars(["a", "b", "c"], [Series("x", [1.11, 2, 3], [], 0), Series("y", [0.7, 0, 9], [], 1)]),
        charts.hbars(items(13.37, 7), marker=[10.01, None]),
        charts.pareto(items(3, 1.9, 7.3)),
    ]
    for chart in every_chart:
        found = list(numbers(chart))
        assert len(found) > 10
        assert [n for n in found if n != round(n, 1)] == []


def test_charts_are_frozen():
    chart = charts.bars(items(1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        chart.bars[0].height = 3


# Stacked bars ------------------------------------------------------------------------------------


def test_stacked_totals_are_the_sums_of_the_series():
    series = [
        Series("Food", [1, 0, 4], ["/f1", "/f2", "/f3"], 0),
        Series("Service", [2, 5, 0], ["/s1", "/s2", "/s3"], 1),
        Series("Noise", [3, 1, 1], [], 9),
    ]
    chart = charts.stacked_bars(["Mon", "Tue", "Wed"], series)
    assert [stack.total for stack in chart.stacks] == [6, 6, 5]
    assert chart.total == 17
    assert [(entry.name, entry.total, entry.colour) for entry in chart.legend] == [
        ("Food", 5, 0),
        ("Service", 7, 1),
        ("Noise", 5, 1),  # colour indexes wrap around the palette of 8
    ]
    for stack in chart.stacks:
        segments = stack.segments
        assert math.isclose(sum(s.height for s in segments), chart.frame.bottom - stack.y, abs_tol=0.11)
        for lower, upper in zip(segments, segments[1:], strict=False):
            assert math.isclose(upper.y + upper.height, lower.y, abs_tol=0.01)  # no gaps, no overlaps
    assert chart.stacks[0].segments[0].url == "/f1" and chart.stacks[0].segments[2].url is None
    assert chart.peak.label in ("Mon", "Tue")


@pytest.mark.parametrize(
    "periods, series",
    [([], []), (["Mon", "Tue"], []), ([], [Series("Food", [], [], 0)]), (["Mon"], [Series("Food", [0], [], 0)])],
)
def test_stacked_bars_with_nothing_to_stack_are_empty(periods, series):
    chart = charts.stacked_bars(periods, series)
    assert chart.empty and chart.total == 0 and chart.ticks == () and chart.peak is None
    assert len(chart.stacks) == len(periods)


def test_a_series_must_have_a_value_for_each_period():
    with pytest.raises(ValueError, match="one value"):
        charts.stacked_bars(["Mon", "Tue"], [Series("Food", [1], [], 0)])
    with pytest.raises(ValueError, match="one value"):
        charts.stacked_bars(["Mon", "Tue"], [Series("Food", [1, 2], ["/only-one"], 0)])


# Horizontal bars -------------------------------------------------------------------------------


def test_hbars_mark_each_rows_budget_and_flag_those_over_it():
    chart = charts.hbars(
        [Item("Leeds", 1250, "/leeds", "£1,250 of £1,000"), Item("York", 500, "/york"), Item("Hull", 0, None)],
        marker=[1000, None, 800],
        prefix="£",
    )
    leeds, york, hull = chart.bars
    assert (leeds.over, york.over, hull.over) == (True, False, False)
    assert chart.over == 1 and chart.marked
    assert leeds.value_text == "over budget · £1,250 of £1,000"
    assert york.display == "£500" and york.marker_x is None
    assert leeds.x < leeds.marker_x < leeds.x + leeds.width  # the tick crosses its bar
    assert hull.width == 0 and hull.marker_x > hull.x
    assert chart.ticks[-1].value == 1500  # the scale covers budgets as well as spending
    assert [row.top for row in chart.bars] == sorted(row.top for row in chart.bars)


def test_hbars_need_one_marker_per_row():
    with pytest.raises(ValueError, match="one value"):
        charts.hbars(items(1, 2), marker=[1])
    with pytest.raises(ValueError):
        charts.hbars(items(1), marker=[-5])


def test_a_long_label_is_shortened_to_leave_room_for_its_value():
    chart = charts.hbars([Item("Manchester Northern Quarter and Ancoats, by the canal", 2100, None, "£2,100")])
    row = chart.bars[0]
    assert row.label_text.endswith("…") and len(row.label_text) < len(row.label)
    assert charts._text_width(row.label_text) + charts._text_width(row.value_text) < chart.frame.plot_width


# Pareto ------------------------------------------------------------------------------------------


def test_pareto_sorts_largest_first_and_its_running_share_ends_at_100():
    chart = charts.pareto(items(5, 30, 10, 5))
    assert [row.value for row in chart.bars] == [30, 10, 5, 5]
    assert [row.label for row in chart.bars] == ["Item 1", "Item 2", "Item 0", "Item 3"]  # ties keep their order
    assert [point.percent for point in chart.points] == [60.0, 80.0, 90.0, 100.0]
    assert chart.bars[-1].cumulative == 100.0
    assert chart.vital_few == 2  # 60%, then 80%: the threshold reached
    assert chart.points[-1].x == chart.frame.right and chart.threshold_x < chart.frame.right
    assert chart.path.startswith("M") and chart.path.count("L") == 3


@given(st.lists(st.floats(min_value=0, max_value=1e9), min_size=1, max_size=30))
def test_pareto_running_share_ends_at_exactly_100(values):
    chart = charts.pareto(items(*values))
    if sum(values):
        assert chart.points[-1].percent == 100.0
        assert [p.percent for p in chart.points] == sorted(p.percent for p in chart.points)
    else:
        assert chart.empty and chart.points == () and chart.path == ""


# Histogram ---------------------------------------------------------------------------------------


def test_histogram_marks_the_median_and_the_90th_percentile():
    chart = charts.histogram(items(40, 80, 120, 60, 30), median=2, p90=4)
    assert [(m.text, m.index, m.label) for m in chart.markers] == [
        ("median", 2, "Item 2"),
        ("90th percentile", 4, "Item 4"),
    ]
    assert chart.markers[0].x == chart.bars[2].centre
    assert chart.markers[0].text_y != chart.markers[1].text_y  # neither label over the other
    assert all(m.text_y < chart.frame.top for m in chart.markers)
    # Adjacent buckets: bars all but touch.
    assert chart.bars[1].x - (chart.bars[0].x + chart.bars[0].width) < chart.bars[0].slot_width * 0.05


def test_histogram_markers_in_one_bucket_share_a_mark():
    chart = charts.histogram(items(1, 5, 1), median=1, p90=1)
    assert [m.text for m in chart.markers] == ["median, 90th percentile"]


def test_histogram_markers_must_point_at_a_bucket():
    with pytest.raises(ValueError, match="outside"):
        charts.histogram(items(1, 2), median=5)


# Edge cases, for every chart ------------------------------------------------------------------

CHARTS = {
    "bars": lambda xs: charts.bars(xs),
    "histogram": lambda xs: charts.histogram(xs, median=0 if xs else None),
    "stacked_bars": lambda xs: charts.stacked_bars(
        [x.label for x in xs], [Series("A", [x.value for x in xs], [x.url for x in xs], 0)]
    ),
    "hbars": lambda xs: charts.hbars(xs, marker=[10.0] * len(xs)),
    "pareto": lambda xs: charts.pareto(xs),
}


def bars_of(chart):
    return chart.stacks if hasattr(chart, "stacks") else chart.bars


@pytest.mark.parametrize("kind", CHARTS)
def test_no_items_draw_an_empty_state(kind):
    chart = CHARTS[kind]([])
    assert chart.empty and bars_of(chart) == () and chart.total == 0
    assert chart.frame.width > 0 and chart.frame.height > 0


@pytest.mark.parametrize("kind", CHARTS)
def test_all_zero_values_draw_an_empty_state_without_dividing_by_zero(kind):
    chart = CHARTS[kind](items(0, 0, 0))
    assert chart.empty or kind == "hbars"  # hbars still has budgets to show
    assert len(bars_of(chart)) == 3
    if kind == "stacked_bars":
        heights = [segment.height for stack in chart.stacks for segment in stack.segments]
    else:
        heights = [getattr(bar, "width" if kind in ("hbars", "pareto") else "height") for bar in chart.bars]
    assert heights == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("kind", CHARTS)
def test_one_item(kind):
    chart = CHARTS[kind](items(7))
    assert not chart.empty and len(bars_of(chart)) == 1
    assert bars_of(chart)[0].label == "Item 0"
    assert chart.total == 7


@pytest.mark.parametrize("kind", CHARTS)
def test_huge_values(kind):
    chart = CHARTS[kind](items(1_000_000, 2_500_000_000, 3))
    assert chart.total == 2_501_000_003
    assert all(n == round(n, 1) for n in numbers(chart))
    assert all(len(tick.label) <= 6 for tick in chart.ticks)  # "2.5bn", not "2,500,000,000"


@pytest.mark.parametrize("kind", CHARTS)
@pytest.mark.parametrize("bad", [-1, -0.01, float("nan"), float("inf"), None])
def test_negative_or_non_finite_values_are_refused(kind, bad):
    with pytest.raises(ValueError, match="zero or more"):
        CHARTS[kind](items(3, bad))


# Templates ---------------------------------------------------------------------------------------


def render(name, chart, title="Incidents by day", **extra):
    return render_to_string(f"dashboard/charts/{name}.html", {"chart": chart, "title": title, **extra})


def svg_of(html):
    start = html.index("<svg viewBox")
    return html[start : html.index("</svg>", start)]


def assert_accessible_figure(html, slug):
    assert html.count("<figure") == 1 and "<figcaption" in html
    assert f'role="img" aria-labelledby="chart-{slug}-title" aria-describedby="chart-{slug}-desc"' in html
    assert f'<title id="chart-{slug}-title">' in html and f'<desc id="chart-{slug}-desc">' in html
    assert 'width="100%"' in html
    assert '<details class="chart-data">' in html and '<table class="table table-sm' in html


def test_bars_template_links_every_bar_and_tabulates_it():
    chart = charts.bars([Item("Mon", 3, "/cases/?day=mon"), Item("Tue", 0, "/cases/?day=tue"), Item("Wed", 5, None)])
    html = render("bars", chart)
    assert_accessible_figure(html, "incidents-by-day")
    svg = svg_of(html)
    assert '<a href="/cases/?day=mon">' in svg and "<title>Mon: 3</title>" in svg
    assert "/cases/?day=tue" not in html  # zero: nothing behind it to open
    assert html.count("<tr>") == 1 + 3 + 1  # head, a row a bar, total
    assert '<th scope="row" class="fw-normal"><a href="/cases/?day=mon">Mon</a></th>' in html
    assert "Total 8 across 3 bars; highest: Wed (5)." in html


def test_bars_template_draws_an_empty_state():
    html = render("bars", charts.bars([]), empty_text="No answers yet.")
    assert html.count("No answers yet.") == 3  # the description, the drawing, the table
    assert '<rect class="chart-c' not in html


def test_histogram_template_marks_median_and_90th_percentile():
    chart = charts.histogram(
        [Item("≤ 15 min", 4, None), Item("15–30 min", 9, None), Item("> 30 min", 1, None)], median=1, p90=2
    )
    html = render("histogram", chart, title="Time to first contact")
    assert_accessible_figure(html, "time-to-first-contact")
    assert ">median</text>" in html and ">90th percentile</text>" in html
    assert "The median is in 15–30 min." in html
    assert html.count("<tr>") == 1 + 3 + 1
    assert "across 3 ranges" in html


def test_stacked_bars_template_links_segments_and_has_a_legend():
    series = [Series("Food", [1, 2], ["/f/1", "/f/2"], 0), Series("Noise", [0, 4], ["/n/1", "/n/2"], 5)]
    html = render("stacked_bars", charts.stacked_bars(["Mon", "Tue"], series), title="Incidents by category")
    assert_accessible_figure(html, "incidents-by-category")
    svg = svg_of(html)
    assert all(f'<a href="{url}">' in svg for url in ("/f/1", "/f/2", "/n/2")) and "/n/1" not in html
    assert "<title>Tue, Noise: 4</title>" in svg and 'class="chart-c5"' in svg
    assert '<ul class="chart-legend">' in html and "Noise <span" in html
    assert html.count("<tr>") == 1 + 2 + 1
    assert '<td class="text-end chart-num"><a href="/f/2">2</a></td>' in html


def test_hbars_template_draws_budgets_and_flags_those_over():
    chart = charts.hbars(
        [Item("Leeds", 1250, "/cases/?location=1", "£1,250 of £1,000"), Item("York", 500, "/cases/?location=2")],
        marker=[1000, 1500],
    )
    html = render("hbars", chart, title="Cost by location")
    assert_accessible_figure(html, "cost-by-location")
    svg = svg_of(html)
    assert '<a href="/cases/?location=1">' in svg and '<a href="/cases/?location=2">' in svg
    assert 'class="chart-over"' in svg and svg.count('class="chart-budget"') == 2
    assert "over budget · £1,250 of £1,000</text>" in svg
    assert '<span class="badge text-bg-danger">Over</span>' in html and "Within" in html
    assert html.count("<tr>") == 1 + 2 + 1


def test_pareto_template_draws_the_running_share_and_the_80_percent_line():
    chart = charts.pareto([Item("Food", 8, "/c/food"), Item("Noise", 1, "/c/noise"), Item("Wait", 3, "/c/wait")])
    html = render("pareto", chart, title="Top causes")
    assert_accessible_figure(html, "top-causes")
    assert f'<path class="chart-cumulative" d="{chart.path}"/>' in html
    assert "80% of all</text>" in html and "2 of 3 make up 80% of the total" in html
    assert html.index("/c/food") < html.index("/c/wait") < html.index("/c/noise")
    assert html.count("<tr>") == 1 + 3 + 1 and "100.0%</td>" in html


def test_two_charts_on_a_page_have_their_own_ids():
    first = render("bars", charts.bars(items(1)), title="Ratings")
    second = render("bars", charts.bars(items(1)), title="Ratings", chart_id="ratings-last-year")
    assert 'id="chart-ratings"' in first and 'id="chart-ratings-last-year"' in second


def test_labels_are_escaped():
    html = render("hbars", charts.hbars([Item("<b>Leeds</b>", 1, "/x?a=1&b=2")]), title="A & B")
    assert "<b>Leeds</b>" not in html and "&lt;b&gt;Leeds&lt;/b&gt;" in html
    assert 'href="/x?a=1&amp;b=2"' in html


@override_settings(USE_THOUSAND_SEPARATOR=True)
def test_svg_numbers_are_not_localised():
    chart = charts.bars(items(*(i * 1.37 for i in range(30))))
    with translation.override("de"):
        svg = svg_of(render("bars", chart))
    assert not re.search(r'(x|y|width|height)="[\d.]*,', svg)
    assert f'viewBox="{chart.frame.view_box}"' in svg


def _amount(label: str) -> float:
    """A tick label read back as a number: "£25k" -> 25000."""
    text = label.replace("£", "").replace(",", "")
    for unit, size in (("bn", 1e9), ("M", 1e6), ("k", 1e3)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * size
    return float(text)


@pytest.mark.parametrize("budget", [900, 2_000, 24_000, 25_000, 180_000, 2_400_000])
def test_ticks_bars_and_budget_markers_are_on_one_scale(budget):
    # A year of a location's budget (issue 11: the ticks read 0-2.5k while bars and markers went to 25k).
    chart = charts.hbars(
        [Item("Soho", budget * 0.8, None), Item("Camden", budget * 1.1, None)], marker=[budget, budget], prefix="£"
    )
    frame, scale = chart.frame, chart.ticks[-1].pos - chart.frame.left
    top = chart.ticks[-1].value
    for tick in chart.ticks:
        assert _amount(tick.label) == pytest.approx(tick.value)
        assert tick.pos == pytest.approx(frame.left + tick.value / top * scale, abs=0.1)
    for row in chart.bars:
        assert row.width == pytest.approx(row.value / top * scale, abs=0.1)
        assert row.marker_x == pytest.approx(frame.left + row.marker / top * scale, abs=0.1)
    assert chart.ticks[-1].value >= max(budget, budget * 1.1)


@pytest.mark.parametrize("peak", [9_000, 25_000, 1_250_000])
def test_vertical_ticks_read_the_values_they_stand_at(peak):
    chart = charts.bars([Item("Jan", peak, None), Item("Feb", peak / 3, None)], prefix="£")
    scale = (chart.frame.bottom - chart.frame.top) / chart.ticks[-1].value
    for tick in chart.ticks:
        assert _amount(tick.label) == pytest.approx(tick.value)
        assert tick.pos == pytest.approx(chart.frame.bottom - tick.value * scale, abs=0.1)
    tallest = max(chart.bars, key=lambda bar: bar.value)
    assert tallest.height == pytest.approx(tallest.value * scale, abs=0.1)
