"""What an indicator is: a code, its definition, its unit and direction, the service standard it
measures (R10.1) and one function that computes it for a period and a dimension by aggregation.

Every indicator is a pair (numerator, denominator) per key of the dimension: a rate is
numerator / denominator × scale, a mean is the sum over the count, a count has no denominator. So
values of finer keys add up, and a report can ask for any period (R9.5, R15.1).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Granularity(models.TextChoices):
    DAY = "day", _("Day")
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class Dimension(models.TextChoices):
    TOTAL = "total", _("Total")
    GROUP = "group", _("Group")
    STAFF = "staff", _("Staff member")
    REGION = "region", _("Region")
    SERVICE_TYPE = "service_type", _("Service type")
    CUSTOMER_CLASS = "customer_class", _("Customer class")
    CHANNEL = "channel", _("Channel")


class Unit(models.TextChoices):
    PERCENT = "percent", _("%")
    POINTS = "points", _("points")
    PER_THOUSAND = "per_thousand", _("per 1,000 requests")
    HOURS = "hours", _("mean hours")
    COUNT = "count", _("requests")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


TOTAL_KEY = ""  # the key of the whole period's value


@dataclass(frozen=True)
class Period:
    granularity: str
    start: datetime.date

    @classmethod
    def containing(cls, granularity: str, day: datetime.date) -> "Period":
        if granularity == Granularity.DAY:
            return cls(granularity, day)
        if granularity == Granularity.WEEK:
            return cls(granularity, day - datetime.timedelta(days=day.weekday()))
        if granularity == Granularity.MONTH:
            return cls(granularity, day.replace(day=1))
        if granularity == Granularity.QUARTER:
            return cls(granularity, day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1))
        return cls(Granularity.YEAR, day.replace(month=1, day=1))

    @property
    def end(self) -> datetime.date:
        """The first day after the period."""
        g, s = self.granularity, self.start
        if g == Granularity.DAY:
            return s + datetime.timedelta(days=1)
        if g == Granularity.WEEK:
            return s + datetime.timedelta(days=7)
        months = {Granularity.MONTH: 1, Granularity.QUARTER: 3}.get(g, 12)
        index = s.year * 12 + s.month - 1 + months
        return datetime.date(index // 12, index % 12 + 1, 1)

    def previous(self) -> "Period":
        return Period.containing(self.granularity, self.start - datetime.timedelta(days=1))

    def next(self) -> "Period":
        return Period(self.granularity, self.end)

    def last(self, count: int) -> list["Period"]:
        """This period and the `count - 1` before it, oldest first."""
        periods = [self]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        return periods[::-1]

    @property
    def since(self) -> datetime.datetime:
        return local_midnight(self.start)

    @property
    def until(self) -> datetime.datetime:
        return local_midnight(self.end)

    @property
    def label(self) -> str:
        g, s = self.granularity, self.start
        if g == Granularity.DAY:
            return f"{s:%m-%d}"
        if g == Granularity.WEEK:
            return f"{s.isocalendar()[0]}-W{s.isocalendar()[1]:02d}"
        if g == Granularity.MONTH:
            return f"{s:%Y-%m}"
        if g == Granularity.QUARTER:
            return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
        return str(s.year)


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()), timezone.get_current_timezone())


@dataclass(frozen=True)
class Value:
    numerator: float
    denominator: float | None = None  # None: a count

    def value(self, scale: float = 1) -> float | None:
        if self.denominator is None:
            return self.numerator
        return self.numerator * scale / self.denominator if self.denominator else None


# compute(since, until, dimension) -> {key: Value}; the whole period's value under TOTAL_KEY
Compute = Callable[[datetime.datetime, datetime.datetime, str], dict]
# drill(period, key) -> the query string of the ticket list behind the figure (without "?"), or ""
Drill = Callable[["Period", str], str]


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    definition: str  # numerator, denominator, filters and the period a request counts in
    unit: str
    direction: str
    standard: str  # the code of the service standard it measures (R10.1), "" if none
    compute: Compute
    dimensions: tuple[str, ...] = (Dimension.TOTAL,)
    drill: Drill | None = None
    scale: float = 1
    source: str = ""  # where the definition lives when another app owns it

    @property
    def unit_label(self) -> str:
        return Unit(self.unit).label

    @property
    def direction_label(self) -> str:
        return Direction(self.direction).label

    def value_of(self, v: Value | None) -> float | None:
        return None if v is None else v.value(self.scale)

    def is_good(self, value: float | None, target: float | None) -> bool | None:
        if value is None or target is None:
            return None
        return value >= target if self.direction == Direction.HIGHER else value <= target
