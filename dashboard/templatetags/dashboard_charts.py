from collections.abc import Callable

from django import template
from django.utils.safestring import mark_safe

from dashboard import charts, svg

register = template.Library()

DRAW: dict[type, Callable[..., str]] = {
    charts.BarChart: svg.bars_svg,
    charts.StackedChart: svg.stacked_svg,
    charts.HBarChart: svg.hbars_svg,
    charts.ParetoChart: svg.pareto_svg,
}


@register.simple_tag
def chart_svg(chart, *, title, cid, **options):
    """The chart's SVG (dashboard/svg.py); options left empty in the template take their defaults."""
    return mark_safe(DRAW[type(chart)](chart, title=title, cid=cid, **{k: v for k, v in options.items() if v}))
