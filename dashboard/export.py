"""The dashboard as a CSV: every figure on the page, one a row, with the range it covers.

"Value" is the figure as the page shows it ("83%", "£1,250.00"); "Number" is the same as a
plain number and "Out of" what it is a share or a part of (the cases, the budget), so a
spreadsheet can add them up without parsing what people read."""

from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext

from core.money import format_money

from .pages import DashboardPage

CENTS = Decimal("0.01")


def csv_header() -> list[str]:
    """The columns' headings, for people: in the language of the page."""
    return [
        gettext("Section"),
        gettext("Figure"),
        gettext("Value"),
        gettext("Number"),
        gettext("Out of"),
        gettext("Detail"),
        gettext("From"),
        gettext("To"),
    ]


def dashboard_csv_rows(page: DashboardPage) -> Iterator[list[object]]:
    scope = page.scope
    days = [scope.start.isoformat(), scope.end.isoformat()]

    def plain(number):
        # Money to the penny on every database (SQLite's sums drop trailing zeros).
        return number.quantize(CENTS) if isinstance(number, Decimal) else number

    def row(section, label, value, number=None, whole=None, detail=""):
        return [section, label, value, plain(number), plain(whole), detail, *days]

    def figures(section, items):
        for item in items:
            yield row(section, item.label, item.value, item.number, item.whole, item.detail)

    yield from figures(gettext("Headline"), page.headline)
    yield from figures(gettext("Warnings"), page.warnings)
    for stack in page.incidents.by_category.stacks:
        for segment in stack.segments:
            label = f"{segment.series}, {stack.label}"
            section = gettext("Incidents by category")
            yield row(section, label, segment.display, int(segment.value), int(stack.total))
    yield from figures(gettext("Repeat incidents"), page.incidents.repeat)
    for speed in page.speed.durations:
        detail = gettext("90%: {p90}; average {average}; {count} cases").format(
            p90=speed.p90, average=speed.average, count=speed.count
        )
        yield row(gettext("Speed"), speed.label, speed.median, detail=detail)
    yield from figures(gettext("First contact"), page.speed.sla)
    yield from figures(gettext("Callbacks"), [page.speed.callbacks])
    yield from figures(gettext("Money"), page.money.totals)
    for place in page.money.locations:
        cost, budget = place.granted_cost, place.budget
        detail = gettext("budget {budget}").format(budget=format_money(budget))
        yield row(gettext("Money by location"), place.name, format_money(cost), cost, budget, detail)
    for kind in page.money.kinds:
        granted = kind.money.granted_cost or 0
        detail = gettext("face value {amount}").format(amount=format_money(kind.money.granted_face or 0))
        yield row(gettext("Money by remedy"), kind.label, format_money(granted), granted, detail=detail)
    yield from figures(gettext("Closing the loop"), page.loop)
    yield from figures(gettext("Outcome"), page.verdict.outcomes)
    for group in page.verdict.comparison:
        detail = gettext("will come back {share}").format(share=group.will_return)
        number = None if group.rating == "–" else group.rating
        yield row(gettext("The customer's verdict"), group.label, group.rating, number, group.answers, detail)
    for person in page.staff:
        detail = gettext("first contact {contact}; in time {share}").format(
            contact=person.contact, share=person.in_time
        )
        yield row(gettext("Staff"), person.name, f"{person.cases:,}", person.cases, detail=detail)
