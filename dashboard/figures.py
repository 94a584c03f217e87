"""Turning summed counters into the figures people read (no Django import).

A share always carries its whole ("83% of 1,204"), so a figure over three cases
is not mistaken for one over thousands; an empty range gives no figure ("–"),
never a zero that looks measured.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.translatable import Translate, as_it_is, gettext_noop

from .facts import BUCKET_EDGES, BUCKETS, DURATIONS, RATINGS
from .periods import percentile_bucket

# The units and words of a duration, in English and marked for translation.
MINUTES = gettext_noop("{n} min")
HOURS = gettext_noop("{n} h")
ONE_DAY = gettext_noop("1 day")
DAYS = gettext_noop("{n} days")
WITHIN = gettext_noop("within {span}")
OVER = gettext_noop("over {span}")


@dataclass(frozen=True)
class Share:
    part: int
    whole: int

    @property
    def ratio(self) -> float | None:
        return self.part / self.whole if self.whole else None

    @property
    def percent(self) -> str:
        return "–" if self.ratio is None else f"{self.ratio:.0%}"


@dataclass(frozen=True)
class Duration:
    """Median and 90th percentile (to the bucket), and the exact average, of a duration."""

    count: int
    median_bucket: int | None
    p90_bucket: int | None
    average_seconds: float | None
    histogram: tuple[int, ...]

    @property
    def median(self) -> str:
        return self.median_in()

    @property
    def p90(self) -> str:
        return self.p90_in()

    @property
    def average(self) -> str:
        return self.average_in()

    def median_in(self, translate: Translate = as_it_is) -> str:
        return bucket_label(self.median_bucket, translate)

    def p90_in(self, translate: Translate = as_it_is) -> str:
        return bucket_label(self.p90_bucket, translate)

    def average_in(self, translate: Translate = as_it_is) -> str:
        return "–" if self.average_seconds is None else span(self.average_seconds, translate)


def span(seconds: float, translate: Translate = as_it_is) -> str:
    """A duration in the largest unit that reads well: 12 min, 3.5 h, 2.1 days."""
    minutes = seconds / 60
    if minutes < 90:
        return translate(MINUTES).format(n=f"{minutes:.0f}")
    if minutes < 48 * 60:
        return translate(HOURS).format(n=f"{minutes / 60:.1f}")
    return translate(DAYS).format(n=f"{minutes / 1440:.1f}")


def edge_label(minutes: int, translate: Translate = as_it_is) -> str:
    if minutes < 60:
        return translate(MINUTES).format(n=minutes)
    if minutes < 1440:
        return translate(HOURS).format(n=minutes // 60)
    days = minutes // 1440
    return translate(ONE_DAY) if days == 1 else translate(DAYS).format(n=days)


def bucket_label(index: int | None, translate: Translate = as_it_is) -> str:
    if index is None:
        return "–"
    if index < len(BUCKET_EDGES):
        return translate(WITHIN).format(span=edge_label(BUCKET_EDGES[index], translate))
    return translate(OVER).format(span=edge_label(BUCKET_EDGES[-1], translate))


def bucket_range_label(index: int, translate: Translate = as_it_is) -> str:
    """A bucket's own range, for the axis of a histogram: "15–30 min", "over 30 days"."""
    if index == 0:
        return f"≤ {edge_label(BUCKET_EDGES[0], translate)}"
    if index < len(BUCKET_EDGES):
        return f"{edge_label(BUCKET_EDGES[index - 1], translate)}–{edge_label(BUCKET_EDGES[index], translate)}"
    return f"> {edge_label(BUCKET_EDGES[-1], translate)}"


def duration(totals: Mapping[str, Any], measure: str) -> Duration:
    assert measure in DURATIONS
    histogram = tuple(int(totals.get(f"{measure}_{index}") or 0) for index in range(BUCKETS))
    count = sum(histogram)
    seconds = totals.get(f"{measure}_seconds") or 0
    return Duration(
        count=count,
        median_bucket=percentile_bucket(list(histogram), 0.5),
        p90_bucket=percentile_bucket(list(histogram), 0.9),
        average_seconds=seconds / count if count else None,
        histogram=histogram,
    )


@dataclass(frozen=True)
class Sla:
    on_time: int
    late: int
    uncontacted: int
    still_in_time: int  # not contacted yet, and their deadline has not passed

    @property
    def missed(self) -> int:
        return self.late + self.uncontacted - self.still_in_time

    @property
    def kept(self) -> Share:
        return Share(self.on_time, self.on_time + self.missed)


def sla(totals: Mapping[str, Any], still_in_time: int) -> Sla:
    return Sla(
        on_time=totals.get("sla_on_time") or 0,
        late=totals.get("sla_late") or 0,
        uncontacted=totals.get("uncontacted") or 0,
        still_in_time=still_in_time,
    )


@dataclass(frozen=True)
class Verdict:
    answers: int
    average_rating: float | None
    ratings: tuple[int, ...]  # how many gave 1, 2, ... 5
    will_return: Share
    not_sure: int
    will_not_return: int
    recovered_answers: int
    recovered_average: float | None
    recovered_will_return: Share
    rest_answers: int
    rest_average: float | None
    rest_will_return: Share


def _average(total: float, count: int) -> float | None:
    return total / count if count else None


def verdict(totals: Mapping[str, Any]) -> Verdict:
    def get(name: str) -> int:
        return int(totals.get(name) or 0)

    answers, recovered = get("answers"), get("recovered_answers")
    rest = answers - recovered
    return Verdict(
        answers=answers,
        average_rating=_average(get("rating_sum"), answers),
        ratings=tuple(get(f"rating_{rating}") for rating in RATINGS),
        will_return=Share(get("will_return_yes"), answers),
        not_sure=get("will_return_not_sure"),
        will_not_return=get("will_return_no"),
        recovered_answers=recovered,
        recovered_average=_average(get("recovered_rating_sum"), recovered),
        recovered_will_return=Share(get("recovered_will_return_yes"), recovered),
        rest_answers=rest,
        rest_average=_average(get("rating_sum") - get("recovered_rating_sum"), rest),
        rest_will_return=Share(get("will_return_yes") - get("recovered_will_return_yes"), rest),
    )


def pareto(counts: dict[str, int]) -> list[tuple[str, int, float]]:
    """(name, count, cumulative share) from the largest down; ties by name."""
    total = sum(counts.values())
    rows, running = [], 0
    for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if not count:
            continue
        running += count
        rows.append((name, count, running / total))
    return rows
