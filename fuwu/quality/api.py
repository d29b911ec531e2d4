"""Quality API (R9.5, R15.1): the indicator catalogue and an indicator's values for any period and
dimension, computed by aggregation, for reports and other tools."""

import datetime

from ninja import Router, Schema

from fuwu.core.errors import InvalidInput, NotFound
from fuwu.org.policy import Perm, require
from fuwu.quality.codes import QualityError
from fuwu.quality.indicators import INDICATORS, REGISTRY, Dimension, Granularity, Period
from fuwu.quality.merit.api import router as merit_router

router = Router(tags=["quality"])
router.add_router("/merit", merit_router)  # rewards and penalties linked to results (R9.5, R11.5)


class IndicatorOut(Schema):
    code: str
    label: str
    definition: str
    unit: str
    direction: str
    standard: str
    dimensions: list[str]


class ValueOut(Schema):
    key: str
    value: float | None
    numerator: float
    denominator: float | None


class ValuesOut(Schema):
    indicator: str
    granularity: str
    start: datetime.date
    end: datetime.date
    dimension: str
    values: list[ValueOut]


@router.get("/indicators", response=list[IndicatorOut])
def indicator_list(request):
    require(request.user, Perm.QUALITY_VIEW)
    return [IndicatorOut(code=i.code, label=str(i.label), definition=str(i.definition), unit=i.unit,
                         direction=i.direction, standard=i.standard, dimensions=list(i.dimensions))
            for i in INDICATORS]


@router.get("/indicators/{code}/values", response=ValuesOut)
def indicator_values(request, code: str, start: datetime.date, granularity: str = Granularity.MONTH,
                     dimension: str = Dimension.TOTAL):
    """The values of the period of `granularity` that contains `start`; the total under the key ""."""
    require(request.user, Perm.QUALITY_VIEW)
    ind = REGISTRY.get(code)
    if ind is None:
        raise NotFound()
    if granularity not in Granularity.values:
        raise InvalidInput(errors={"granularity": [f"one of {', '.join(Granularity.values)}"]})
    if dimension not in ind.dimensions:
        raise InvalidInput(code=QualityError.BAD_DIMENSION, errors={"dimension": [", ".join(ind.dimensions)]})
    if not datetime.date(2000, 1, 1) <= start <= datetime.date(2199, 12, 31):
        raise InvalidInput(errors={"start": ["2000-01-01 – 2199-12-31"]})
    period = Period.containing(granularity, start)
    values = ind.compute(period.since, period.until, dimension)
    return ValuesOut(indicator=code, granularity=granularity, start=period.start, end=period.end, dimension=dimension,
                     values=[ValueOut(key=k, value=ind.value_of(v), numerator=v.numerator, denominator=v.denominator)
                             for k, v in values.items()])
