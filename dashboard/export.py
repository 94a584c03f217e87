"""The dashboard as a CSV: every figure on the page, one a row, with the range it covers.

"Value" is the figure as the page shows it ("83%", "£1,250.00"); "Number" is the same as a
plain number and "Out of" what it is a share or a part of (the cases, the budget), so a
spreadsheet can add them up without parsing what people read."""

from collections.abc import Iterator
from decimal import Decimal

from core.money import format_money

from .pages import DashboardPage

CENTS = Decimal("0.01")

CSV_HEADER = ["Section", "Figure", "Value", "Number", "Out of", "Detail", "From", "To"]


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

    yield from figures("Headline", page.headline)
    yield from figures("Warnings", page.warnings)
    for stack in page.incidents.by_category.stacks:
        for segment in stack.segments:
            label = f"{segment.series}, {stack.label}"
            yield row("Incidents by category", label, segment.display, int(segment.value), int(stack.total))
    yield from figures("Repeat incidents", page.incidents.repeat)
    for speed in page.speed.durations:
        detail = f"90%: {speed.p90}; average {speed.average}; {speed.count} cases"
        yield row("Speed", speed.label, speed.median, detail=detail)
    yield from figures("First contact", page.speed.sla)
    yield from figures("Callbacks", [page.speed.callbacks])
    yield from figures("Money", page.money.totals)
    for place in page.money.locations:
        cost, budget = place.granted_cost, place.budget
        yield row("Money by location", place.name, format_money(cost), cost, budget, f"budget {format_money(budget)}")
    for kind in page.money.kinds:
        granted = kind.money.granted_cost or 0
        detail = f"face value {format_money(kind.money.granted_face or 0)}"
        yield row("Money by remedy", kind.label, format_money(granted), granted, detail=detail)
    yield from figures("Closing the loop", page.loop)
    yield from figures("Outcome", page.verdict.outcomes)
    for group in page.verdict.comparison:
        detail = f"will come back {group.will_return}"
        number = None if group.rating == "–" else group.rating
        yield row("The customer's verdict", group.label, group.rating, number, group.answers, detail)
    for person in page.staff:
        detail = f"first contact {person.contact}; in time {person.in_time}"
        yield row("Staff", person.name, f"{person.cases:,}", person.cases, detail=detail)
