"""A report's archived figures as the reader sees them, in the active language: labels for the codes,
values with their units, met or missed, and the summary paragraph. The web page, the PDF and the
workbook all read a report through `present`, so the three say the same."""

import datetime
from dataclasses import dataclass

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from fuwu.complaints.models import BUILTIN_ROOT_CAUSES
from fuwu.quality.indicators import REGISTRY, Direction, Unit
from fuwu.quality.models import MeritRule
from fuwu.reports.models import ReportKind
from fuwu.standards.models import Channel, ClockKind


def fmt(value, unit: str = "") -> str:
    """A value with its unit: 93.4%, 12.0 h, 1,234."""
    if value is None:
        return "—"
    if unit == Unit.PERCENT:
        return f"{value:.1f}%"
    if unit == Unit.COUNT:
        return f"{int(value):,}"
    if unit == Unit.HOURS:
        return _("%(n).1f h") % {"n": value}
    if unit == Unit.PER_THOUSAND:
        return f"{value:.1f}‰"
    return f"{value:.1f}"


def signed(change) -> str:
    return "—" if change is None else f"{change:+.1f}%"


def _choice(choices, key) -> str:
    try:
        return str(choices(key).label)
    except ValueError:
        return str(key or "—")


@dataclass
class IndicatorRow:
    code: str
    label: str
    definition: str
    unit: str
    value: float | None
    display: str
    target: str
    previous: str
    met: bool | None
    alarm: bool | None
    better: str  # ↑ or ↓
    target_value: float | None = None
    previous_value: float | None = None
    numerator: float = 0
    denominator: float | None = None

    @property
    def status(self) -> str:
        if self.met is None:
            return _("No target") if self.value is not None else _("No data")
        return pgettext("report", "Met") if self.met else pgettext("report", "Missed")

    @property
    def tone(self) -> str:
        if self.met is None:
            return "secondary"
        return "success" if self.met else ("danger" if self.alarm else "warning")


def period_title(data: dict) -> str:
    start = datetime.date.fromisoformat(data["period"]["start"])
    end = datetime.date.fromisoformat(data["period"]["end"]) - datetime.timedelta(days=1)
    if data["kind"] == ReportKind.MONTHLY:
        return _("%(year)d-%(month)02d") % {"year": start.year, "month": start.month}
    return _("%(label)s (%(start)s to %(end)s)") % {"label": data["period"]["label"], "start": f"{start:%m-%d}",
                                                   "end": f"{end:%m-%d}"}


def present(data: dict) -> dict:
    """Everything a page, the PDF or the workbook shows of `data`."""
    v = data["volumes"]
    indicators = []
    for row in data["indicators"]:
        ind = REGISTRY.get(row["code"])
        indicators.append(IndicatorRow(
            row["code"], str(ind.label) if ind else row["code"], str(ind.definition) if ind else "", row["unit"],
            row["value"], fmt(row["value"], row["unit"]), fmt(row["target"], row["unit"]),
            fmt(row["previous"], row["unit"]), row["met"], row["alarm"],
            "↑" if row["direction"] == Direction.HIGHER else "↓", row["target"], row["previous"],
            row["numerator"], row["denominator"]))
    channels = [{**r, "label": _choice(Channel, r["key"])} for r in v["by_channel"]]
    english = get_language() == "en"  # versions issued before names were kept in both languages have one
    types = [{**r, "label": (english and r.get("name_en")) or r["name"] or "—"} for r in v["by_type"]]
    breaches = data["breaches"]
    by_kind = [{**r, "label": _choice(ClockKind, r["kind"])} for r in breaches["by_kind"]]
    by_group = [{**r, "label": r["name"] or _("No group")} for r in breaches["by_group"]]
    causes = [{**r, "label": str(BUILTIN_ROOT_CAUSES.get(r["code"], r["name"] or r["code"]))}
              for r in data["complaints"]["by_root_cause"]]
    return {
        "kind_label": str(ReportKind(data["kind"]).label), "title": period_title(data),
        "summary": summary(data, indicators, causes), "indicators": indicators,
        "met": [i for i in indicators if i.met is True], "missed": [i for i in indicators if i.met is False],
        "scored": sum(1 for i in indicators if i.met is not None),
        "channels": channels, "types": types, "breach_kinds": by_kind, "breach_groups": by_group,
        "causes": causes, "volumes": v, "complaints": data["complaints"], "surveys": data["surveys"],
        "followups": data.get("followups"), "staff": data["staff"], "breaches": breaches,
        "improvements": data.get("improvements"), "period": data["period"],
        "merit": [{**r, "label": _choice(MeritRule.Outcome, r["outcome"])} for r in data["merit"]]
        if "merit" in data else None,
        "by_code": {i.code: i for i in indicators},
        "as_of": datetime.datetime.fromisoformat(data["period"]["as_of"]).strftime("%Y-%m-%d %H:%M"),
    }


def summary(data: dict, indicators: list[IndicatorRow], causes: list[dict]) -> list[str]:
    """The summary in a few plain sentences: volume and its change, targets met and missed, breaches,
    complaints and their first cause, satisfaction."""
    v, c, s = data["volumes"], data["complaints"], data["surveys"]
    monthly = data["kind"] == ReportKind.MONTHLY
    sentences = []
    if v["change"] is None:
        sentences.append((_("This month %(n)s requests were received.") if monthly
                          else _("This week %(n)s requests were received.")) % {"n": f"{v['total']:,}"})
    else:
        sentences.append((_("This month %(n)s requests were received, %(change)s on the month before.") if monthly
                          else _("This week %(n)s requests were received, %(change)s on the week before."))
                         % {"n": f"{v['total']:,}", "change": signed(v["change"])})
    met = [i for i in indicators if i.met is True]
    missed = [i for i in indicators if i.met is False]
    if met or missed:
        text = _("%(met)d indicators met their targets, %(missed)d missed them") % {"met": len(met),
                                                                                   "missed": len(missed)}
        if missed:
            text += _(": %(list)s") % {"list": _("; ").join(
                _("%(label)s %(value)s (target %(target)s)") % {"label": i.label, "value": i.display,
                                                               "target": i.target} for i in missed)}
        sentences.append(text + _("."))
    b = data["breaches"]
    if b["clocks"]:
        worst = b["by_group"][0] if b["by_group"] else None
        text = _("%(n)d time limits were breached") % {"n": b["clocks"]}
        if worst and worst["name"]:
            text += _(", most in %(group)s (%(count)d)") % {"group": worst["name"], "count": worst["count"]}
        sentences.append(text + _("."))
    else:
        sentences.append(_("No time limit was breached."))
    if c["received"]:
        text = _("%(n)d complaints were received, %(valid)d found valid") % {"n": c["received"], "valid": c["valid"]}
        if causes:
            text += _("; the main root cause is %(cause)s (%(count)d)") % {"cause": causes[0]["label"],
                                                                          "count": causes[0]["count"]}
        success = next((i for i in indicators if i.code == "complaint_success"), None)
        if success and success.value is not None:
            text += _("; complaint resolution success rate %(rate)s") % {"rate": success.display}
        sentences.append(text + _("."))
    else:
        sentences.append(_("No complaint was received."))
    if s["rated"]:
        text = _("Customer satisfaction %(rate)s from %(n)d answers") % {"rate": fmt(s["satisfaction"], Unit.PERCENT),
                                                                         "n": s["answered"]}
        if s["nps"] is not None:
            text += _(", NPS %(nps)s") % {"nps": f"{s['nps']:.0f}"}
        sentences.append(text + _("."))
    return sentences
