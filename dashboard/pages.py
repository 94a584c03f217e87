"""Laying the figures out for the page: headline numbers, warnings, charts and tables,
every figure with the link to the cases behind it. Plain values in, plain values out;
the template only places them."""

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import dateformat
from django.utils.translation import gettext, ngettext

from cases.models import SEVERITY_CHOICES, Category
from core.money import format_money
from recovery.policy import RemedyKind

from . import charts
from .facts import NOT_COMPENSATION
from .figures import Share, Verdict, bucket_range_label, span
from .periods import period_end, period_label
from .selectors import DashboardFigures, KindMoney, LocationMoney, Scope

CATEGORY_LABELS = dict(Category.choices)
SEVERITY_LABELS = dict(SEVERITY_CHOICES)
SEVERITY_ORDER = [value for value, _ in SEVERITY_CHOICES]
# Worse reads warmer: sky blue, yellow, orange, vermillion (charts.css).
SEVERITY_COLOURS = {"minor": 4, "moderate": 6, "major": 1, "critical": 5}


@dataclass(frozen=True)
class Figure:
    label: str
    value: str  # as people read it: "1,204", "83%", "£80.00"
    detail: str = ""
    url: str = ""
    tone: str = ""  # a Bootstrap colour for warnings
    # The value as a plain number, and what it is out of, for a spreadsheet (the CSV).
    number: int | float | Decimal | None = None
    whole: int | Decimal | None = None


def count(label: str, n: int, detail: str = "", url: str = "", tone: str = "") -> Figure:
    return Figure(label, f"{n:,}", detail, url, tone, number=n)


def shared(label: str, share: Share, detail: str = "", url: str = "") -> Figure:
    return Figure(label, share.percent, detail, url, number=share.part, whole=share.whole)


def amount(label: str, money: Decimal, detail: str = "", url: str = "", whole: Decimal | None = None) -> Figure:
    # Short on the page ("£80.41M"); to the penny in the CSV's Number and the card's tooltip.
    return Figure(label, format_money(money, short=True), detail, url, number=money, whole=whole)


def cases_url(scope: Scope, figure: str = "", **extra: object) -> str:
    """The case list showing the cases behind a figure: the same days, place and kind."""
    params: dict[str, object] = {"created_from": scope.start.isoformat(), "created_to": scope.end.isoformat()}
    if scope.location_id is not None:
        params["location"] = scope.location_id
    if scope.category:
        params["category"] = scope.category
    if scope.severity:
        params["severity"] = scope.severity
    if figure:
        params["figure"] = figure
    params.update({key: value for key, value in extra.items() if value not in (None, "")})
    return f"{_case_list()}?{urlencode(params)}"


@functools.cache
def _case_list() -> str:
    # A page links to the list some two hundred times; reversing it each time was half the
    # time of laying the page out.
    return reverse("cases:list")


def _share(share: Share) -> str:
    if not share.whole:
        return gettext("no cases")
    return gettext("{percent} of {whole}").format(percent=share.percent, whole=f"{share.whole:,}")


Link = Callable[..., str]  # a figure's name and extra filters to the URL of the cases behind it


@dataclass(frozen=True)
class Incidents:
    by_category: charts.StackedChart
    by_severity: charts.StackedChart
    categories: charts.ParetoChart
    corrective: charts.ParetoChart
    repeat: list[Figure]
    grain: str


@dataclass(frozen=True)
class DurationRow:
    label: str
    count: int
    median: str
    p90: str
    average: str
    url: str


@dataclass(frozen=True)
class Speed:
    durations: list[DurationRow]
    histogram: charts.BarChart
    sla: list[Figure]
    sla_kept: Share
    callbacks: Figure


@dataclass(frozen=True)
class KindLine:
    """A kind of remedy as the page names it, with its money (selectors.KindMoney)."""

    label: str
    money: KindMoney


@dataclass(frozen=True)
class Money:
    totals: list[Figure]
    budget: Decimal
    budget_detail: str
    budget_help: str
    by_location: charts.HBarChart
    locations: list[LocationMoney]
    by_kind: charts.HBarChart
    kinds: list[KindLine]
    corrections: Decimal  # overcharges given back: owed, not compensation


@dataclass(frozen=True)
class Comparison:
    label: str
    answers: int
    rating: str
    will_return: str
    url: str


@dataclass(frozen=True)
class VerdictPanel:
    ratings: charts.BarChart
    verdict: Verdict
    outcomes: list[Figure]
    comparison: list[Comparison]
    unhappy_url: str
    will_not_return_url: str


@dataclass(frozen=True)
class StaffLine:
    name: str
    cases: int
    url: str
    contact: str
    in_time: str
    on_the_spot: Share


@dataclass(frozen=True)
class DashboardPage:
    """The dashboard laid out: what the template places and the CSV lists."""

    scope: Scope
    headline: list[Figure]
    warnings: list[Figure]
    incidents: Incidents
    speed: Speed
    money: Money
    loop: list[Figure]
    verdict: VerdictPanel
    staff: list[StaffLine]


def dashboard_page(figures: DashboardFigures) -> DashboardPage:
    scope = figures.scope

    def link(figure: str = "", **extra: object) -> str:
        return cases_url(scope, figure, **extra)

    money = _money(figures, scope, link)
    return DashboardPage(
        scope=scope,
        headline=_headline(figures, money, link),
        warnings=_warnings(figures, link),
        incidents=_incidents(figures, scope, link),
        speed=_speed(figures, link),
        money=money,
        loop=_loop(figures.totals, link),
        verdict=_verdict(figures, link),
        staff=_staff(figures, link),
    )


def _headline(figures: DashboardFigures, money: Money, link: Link) -> list[Figure]:
    totals, sla, verdict = figures.totals, figures.sla, figures.verdict
    return [
        count(gettext("Incidents"), totals["cases"], _repeat_detail(totals), link()),
        shared(gettext("First contact in time"), sla.kept, _share(sla.kept), link("sla_missed")),
        Figure(
            gettext("Time to first contact"),
            figures.contact.median_in(gettext),
            gettext("median; 90% {p90}").format(p90=figures.contact.p90_in(gettext)),
            link("contacted"),
        ),
        amount(
            gettext("Cost of remedies"),
            totals["granted_cost"],
            money.budget_detail,
            link("granted"),
            whole=money.budget,
        ),
        Figure(
            gettext("Customers' rating"),
            "–" if verdict.average_rating is None else f"{verdict.average_rating:.1f} / 5",
            gettext("{count} answers").format(count=f"{verdict.answers:,}"),
            link("answered"),
            number=None if verdict.average_rating is None else round(verdict.average_rating, 2),
            whole=verdict.answers,
        ),
        shared(gettext("Will come back"), verdict.will_return, _share(verdict.will_return), link("answered")),
    ]


def _warnings(figures: DashboardFigures, link: Link) -> list[Figure]:
    totals, live = figures.totals, figures.live
    return [
        count(
            gettext("Closed with an apology only"),
            totals["apology_only"],
            gettext("moderate harm or worse"),
            link("apology_only"),
            "danger",
        ),
        count(gettext("Promised callbacks missed"), totals["callbacks_missed"], "", link("callbacks_missed"), "danger"),
        count(
            gettext("Remedies approved, not delivered"),
            live.undelivered,
            gettext("{count} past the delivery time").format(count=f"{live.undelivered_overdue:,}"),
            link("undelivered"),
            "warning",
        ),
        count(
            gettext("Messages that could not be sent"),
            totals["followups_failed"],
            "",
            link("followups_failed"),
            "warning",
        ),
    ]


def _repeat_detail(totals: Mapping[str, Any]) -> str:
    repeat = totals["repeat_second"] + totals["repeat_later"]
    if not totals["cases"]:
        return gettext("none logged")
    return gettext("{percent} repeat incidents").format(percent=Share(repeat, totals["cases"]).percent)


def _incidents(figures: DashboardFigures, scope: Scope, link: Link) -> Incidents:
    series = figures.series
    labels = [period_label(first, series.grain, gettext, _month) for first in series.periods]

    def period_links(**extra: str) -> list[str | None]:
        return [
            cases_url(
                replace(scope, start=max(first, scope.start), end=min(period_end(first, series.grain), scope.end)),
                **extra,
            )
            for first in series.periods
        ]

    by_category = [
        charts.Series(str(CATEGORY_LABELS.get(name, name)), values, period_links(category=name), index)
        for index, (name, values) in enumerate(sorted(series.by_category.items()))
    ]
    by_severity = [
        charts.Series(
            SEVERITY_LABELS[name], series.by_severity[name], period_links(severity=name), SEVERITY_COLOURS[name]
        )
        for name in SEVERITY_ORDER
        if name in series.by_severity
    ]
    categories = [
        charts.Item(str(CATEGORY_LABELS.get(name, name)), count, link(category=name), f"{count:,}")
        for name, count, _ in figures.categories
    ]
    corrective = [
        charts.Item(title, count, reverse("corrective:detail", kwargs={"pk": pk}), f"{count:,}")
        for pk, title, count in figures.corrective
    ]
    totals = figures.totals
    return Incidents(
        by_category=charts.stacked_bars(labels, by_category),
        by_severity=charts.stacked_bars(labels, by_severity),
        categories=charts.pareto(categories),
        corrective=charts.pareto(corrective),
        repeat=[
            _repeat(gettext("Second incident"), totals["repeat_second"], totals["cases"], link("repeat")),
            _repeat(gettext("Third or later"), totals["repeat_later"], totals["cases"], link("repeat")),
        ],
        grain=series.grain.value,
    )


def _month(day: date) -> str:
    """A month's short name in the page's language ("Dec")."""
    return dateformat.format(day, "M")


def _repeat(label: str, n: int, cases: int, url: str) -> Figure:
    return Figure(label, f"{n:,}", Share(n, cases).percent, url, number=n, whole=cases)


def _speed(figures: DashboardFigures, link: Link) -> Speed:
    sla, totals = figures.sla, figures.totals
    contact = figures.contact
    rows = [
        (gettext("First contact"), figures.contact, link("contacted")),
        (gettext("Resolution (logged to closed)"), figures.resolution, link("resolved")),
        (gettext("Approval by a manager or owner"), figures.approval, link("decided")),
    ]
    callbacks = Share(totals["callbacks_kept"], totals["callbacks_kept"] + totals["callbacks_missed"])
    return Speed(
        durations=[
            DurationRow(label, d.count, d.median_in(gettext), d.p90_in(gettext), d.average_in(gettext), url)
            for label, d, url in rows
        ],
        histogram=charts.histogram(
            [
                charts.Item(bucket_range_label(index, gettext), count, link(f"contact_{index}"), f"{count:,}")
                for index, count in enumerate(contact.histogram)
            ],
            median=contact.median_bucket,
            p90=contact.p90_bucket,
            median_text=gettext("median"),
            p90_text=gettext("90th percentile"),
        ),
        sla=[
            count(gettext("In time"), sla.on_time, "", link("sla_kept")),
            count(gettext("Late"), sla.late, "", link("sla_missed")),
            count(
                gettext("Never contacted, deadline passed"), sla.uncontacted - sla.still_in_time, "", link("sla_missed")
            ),
            count(gettext("Not contacted yet, still in time"), sla.still_in_time, "", link("still_in_time")),
        ],
        sla_kept=sla.kept,
        callbacks=shared(gettext("Callbacks made as promised"), callbacks, _share(callbacks), link("callbacks_kept")),
    )


def _money(figures: DashboardFigures, scope: Scope, link: Link) -> Money:
    totals = figures.totals
    rows = figures.money_by_location
    budget = sum((row.budget for row in rows), Decimal(0))
    by_location = charts.hbars(
        [
            charts.Item(
                row.name,
                float(row.granted_cost),
                cases_url(replace(scope, location_id=row.location_id), "granted"),
                gettext("{cost} of {budget}").format(
                    cost=format_money(row.granted_cost, short=True), budget=format_money(row.budget, short=True)
                ),
            )
            for row in rows
        ],
        marker=[float(row.budget) for row in rows],
        over_text=gettext("over budget"),
    )
    kinds, corrections = [], Decimal(0)
    for row in figures.money_by_kind:
        if row.kind in NOT_COMPENSATION:
            # Giving back an overcharge is owed, not given: not in the totals, and said apart.
            corrections += row.granted_face or 0
            continue
        try:
            label = gettext(RemedyKind(row.kind).label)
        except ValueError:
            label = row.kind
        kinds.append(KindLine(label, row))
    by_kind = charts.hbars(
        [
            charts.Item(
                line.label, float(line.money.granted_cost), None, format_money(line.money.granted_cost, short=True)
            )
            for line in kinds
        ]
    )
    return Money(
        totals=[
            amount(gettext("Granted, face value"), totals["granted_face"], "", link("granted")),
            amount(gettext("Granted, cost to us"), totals["granted_cost"], "", link("granted"), whole=budget),
            amount(gettext("Delivered, face value"), totals["delivered_face"], "", link("remedy_delivered")),
            amount(gettext("Delivered, cost to us"), totals["delivered_cost"], "", link("remedy_delivered")),
        ],
        budget=budget,
        budget_detail=(
            gettext("of {budget} budget for these days").format(budget=format_money(budget, short=True)) if rows else ""
        ),
        budget_help=budget_help(rows, scope),
        by_location=by_location,
        locations=rows,
        by_kind=by_kind,
        kinds=kinds,
        corrections=corrections,
    )


def budget_help(rows: list[LocationMoney], scope: Scope) -> str:
    """Why the budget shown is not the monthly budget: it is pro-rated to the days chosen."""
    if not rows:
        return ""
    monthly = sum((row.monthly_budget for row in rows), Decimal(0))
    days = (scope.end - scope.start).days + 1
    said = ngettext(
        "The budget is pro-rated: {monthly} a month, counted for the {days} day chosen (each day a share of its "
        "month), so {budget} here.",
        "The budget is pro-rated: {monthly} a month, counted for the {days} days chosen (each day a share of its "
        "month), so {budget} here.",
        days,
    )
    budget = sum((row.budget for row in rows), Decimal(0))
    return said.format(monthly=format_money(monthly), days=f"{days:,}", budget=format_money(budget))


def _loop(totals: Mapping[str, Any], link: Link) -> list[Figure]:
    told = Share(totals["told_remedy"], totals["remedy_delivered"])
    corrective = Share(totals["told_corrective"], totals["corrective_done"])
    on_time = Share(totals["followups_on_time"], totals["followups_sent"])
    return [
        shared(
            gettext("Told what we did"),
            told,
            gettext("{share} with a remedy delivered").format(share=_share(told)),
            link("not_told_remedy"),
        ),
        shared(
            gettext("Told what we changed"),
            corrective,
            gettext("{share} whose cause was fixed").format(share=_share(corrective)),
            link("not_told_corrective"),
        ),
        shared(
            gettext("Follow-ups on time"),
            on_time,
            gettext("{share} sent, within 5 minutes").format(share=_share(on_time)),
        ),
        count(
            gettext("Could not be sent"),
            totals["followups_failed"],
            gettext("messages and reminders"),
            link("followups_failed"),
        ),
    ]


def _verdict(figures: DashboardFigures, link: Link) -> VerdictPanel:
    verdict, totals = figures.verdict, figures.totals

    def average(value: float | None) -> str:
        return "–" if value is None else f"{value:.1f}"

    outcomes = [
        count(gettext("Retained"), totals["closed_retained"], "", link("retained")),
        count(gettext("Lost"), totals["closed_lost"], "", link("lost")),
        count(gettext("Unknown"), totals["closed_unknown"], "", link("unknown")),
    ]
    return VerdictPanel(
        ratings=charts.bars(
            [
                charts.Item(
                    gettext("{rating} of 5").format(rating=rating), count, link(f"rating_{rating}"), f"{count:,}"
                )
                for rating, count in zip(range(1, 6), verdict.ratings, strict=True)
            ]
        ),
        verdict=verdict,
        outcomes=outcomes,
        comparison=[
            Comparison(
                label=gettext("Given a remedy beyond an apology"),
                answers=verdict.recovered_answers,
                rating=average(verdict.recovered_average),
                will_return=verdict.recovered_will_return.percent,
                url=link("recovered"),
            ),
            Comparison(
                label=gettext("The rest (an apology, or nothing yet)"),
                answers=verdict.rest_answers,
                rating=average(verdict.rest_average),
                will_return=verdict.rest_will_return.percent,
                url=link("answered"),
            ),
        ],
        unhappy_url=link("unhappy"),
        will_not_return_url=link("will_not_return"),
    )


def _staff(figures: DashboardFigures, link: Link) -> list[StaffLine]:
    rows = []
    for row in figures.staff:
        contacted = row.contacted or 0
        rows.append(
            StaffLine(
                name=str(row.person or gettext("Someone no longer here")),
                cases=row.cases,
                url=link(assignee=row.staff_id),
                contact=span(row.contact_seconds / contacted, gettext) if contacted else "–",
                in_time=Share(row.sla_on_time, row.cases).percent,
                on_the_spot=Share(row.on_the_spot, row.granted_cases),
            )
        )
    return rows
