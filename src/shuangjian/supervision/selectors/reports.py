"""The contents of the periodic reports (issue 4, item 7) for a region and period, row by row as the layouts
(supervision.layouts) name the fields. Each report reads one grouped query per source: training's registry,
complaints and events, the ledger's refunds and coverage, and this app's scores and warnings."""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Region, RegionLevel, Role
from shuangjian.ledger.selectors import coverage_by_institution, refunds_by_institution
from shuangjian.supervision.errors import SupervisionError, supervision_error
from shuangjian.supervision.layouts import CADENCE, Layout, layout_for
from shuangjian.supervision.models import ReportFile, RiskLevel, RiskScore, RiskWarning, WarningEvent
from shuangjian.training import selectors as training
from shuangjian.training.models import EventKind, LicenceStatus

REPORT_READ = access.register_action("supervision.report_read", [Role.BUREAU, Role.INSPECTOR])
PERIOD_MAX_DAYS = 366
MONTHLY_LIST_MAX = 20000  # a city holds a few thousand institutions; a province files per city


def _plain(value: Any) -> Any:
    """Labels are lazy translations: a spreadsheet cell or a JSON body takes their text."""
    return str(value) if isinstance(value, Promise) else value


@dataclass(frozen=True, slots=True)
class ReportData:
    kind: str
    region: Region
    start: date
    end: date
    layout: Layout
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: dict[str, Any] | None = None

    @property
    def table(self) -> list[list[Any]]:
        return [[_plain(row.get(c.key, "")) for c in self.layout.columns] for row in self.rows]

    @property
    def total_row(self) -> list[Any] | None:
        if self.total is None:
            return None
        return [_plain(self.total.get(c.key, "")) for c in self.layout.columns]


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def yuan(fen: int) -> Decimal:
    """Fen as yuan with two decimals (exact: a spreadsheet cell and a page show 660.00)."""
    return Decimal(fen).scaleb(-2)


def counties_of(region: Region) -> list[Region]:
    if region.level == RegionLevel.COUNTY:
        return [region]
    parent = "parent" if region.level == RegionLevel.CITY else "parent__parent"
    return list(Region.objects.filter(level=RegionLevel.COUNTY, **{parent: region}).order_by("code"))


def ancestry(region: Region) -> list[str]:
    return access.region_ancestry(region)


def _levels_at(region: Region, end: date) -> dict[int, int]:
    """Each institution's level on the last scored day up to `end`."""
    scores = RiskScore.objects.filter(**{f"institution__{region.level}_id": region.code}, on__lte=end)
    day = scores.aggregate(last=Max("on"))["last"]
    return dict(scores.filter(on=day).values_list("institution_id", "level")) if day else {}


def _per_county(region: Region, start: date, end: date) -> tuple[list[Region], dict[str, Counter[str]]]:
    """The counters both summary reports draw on, per county."""
    since, until = _start_of(start), _start_of(end + timedelta(days=1))
    counties = counties_of(region)
    counts: dict[str, Counter[str]] = {c.code: Counter() for c in counties}
    county_of: dict[int, str] = {}
    for pk, status, county in training.institution_rows(region):
        county_of[pk] = county
        counts[county][status] += 1
    for pk, kind in (
        training.institution_registry(region).filter(licence_status=LicenceStatus.APPROVED).values_list("pk", "kind")
    ):
        counts[county_of[pk]][kind] += 1
    for county, (received, resolved) in training.complaints_by_county(region, since, until).items():
        counts[county]["complaints"] += received
        counts[county]["complaints_resolved"] += resolved
    for pk, n in refunds_by_institution(since, until).items():
        if pk in county_of:
            counts[county_of[pk]]["refunds"] += n
    for pk, cover in coverage_by_institution().items():
        if pk in county_of:
            counts[county_of[pk]]["outstanding"] += cover.outstanding
            counts[county_of[pk]]["shortfall"] += cover.shortfall
    for pk, level in _levels_at(region, end).items():
        counts[county_of[pk]][RiskLevel(level).name.lower()] += 1
    kinds: list[str] = [EventKind.REGISTERED, EventKind.SUSPENDED, EventKind.CANCELLED, EventKind.SANCTIONED]
    events = training.institution_events_between(region, kinds, since, until)
    for county, kind, n in (
        events.values("institution__county_id", "kind")
        .annotate(n=Count("pk"))
        .values_list("institution__county_id", "kind", "n")
    ):
        counts[county][f"event_{kind}"] += n
    in_region = Q(**{f"warning__institution__{region.level}_id": region.code}, at__gte=since, at__lt=until)
    for county, kind, n in (
        WarningEvent.objects.filter(in_region)
        .values("warning__institution__county_id", "kind")
        .annotate(n=Count("pk"))
        .values_list("warning__institution__county_id", "kind", "n")
    ):
        counts[county][f"warnings_{kind}"] += n
    return counties, counts


_SUMMARY_FIELDS: Mapping[str, str] = {
    "approved": LicenceStatus.APPROVED, "suspended": LicenceStatus.SUSPENDED, "cancelled": LicenceStatus.CANCELLED,
    "academic": "academic", "non_academic": "non_academic", "complaints": "complaints",
    "complaints_resolved": "complaints_resolved", "refunds": "refunds", "watch": "watch", "yellow": "yellow",
    "red": "red", "registered": "event_registered", "suspended_in_period": "event_suspended",
    "cancelled_in_period": "event_cancelled", "sanctioned": "event_sanctioned", "warnings_issued": "warnings_issued",
    "warnings_appealed": "warnings_appealed", "warnings_upheld": "warnings_upheld",
    "warnings_withdrawn": "warnings_withdrawn",
}  # fmt: skip


def _summary(kind: str, region: Region, start: date, end: date) -> ReportData:
    counties, counts = _per_county(region, start, end)
    rows = []
    for county in counties:
        row: dict[str, Any] = {"county": county.name}
        row |= {name: counts[county.code][source] for name, source in _SUMMARY_FIELDS.items()}
        row["outstanding_yuan"] = yuan(counts[county.code]["outstanding"])
        row["shortfall_yuan"] = yuan(counts[county.code]["shortfall"])
        rows.append(row)
    total: dict[str, Any] = {"county": str(_("合计"))}
    for name in [*_SUMMARY_FIELDS, "outstanding_yuan", "shortfall_yuan"]:
        total[name] = sum((row[name] for row in rows), start=Decimal(0) if name.endswith("_yuan") else 0)
    return ReportData(kind, region, start, end, layout_for(kind, ancestry(region)), rows, total)


def _monthly_list(region: Region, start: date, end: date) -> ReportData:
    levels = _levels_at(region, end)
    rows = []
    for index, item in enumerate(training.institution_registry(region)[:MONTHLY_LIST_MAX], start=1):
        rows.append(
            {
                "index": index, "name": item.name, "credit_code": item.credit_code, "county": item.county.name,
                "kind": item.get_kind_display(), "category": item.get_category_display() if item.category else "",
                "mode": item.get_mode_display(), "licence_status": item.get_licence_status_display(),
                "licence_number": item.licence_number, "fees_supervised": _("是") if item.fees_supervised else _("否"),
                "risk_level": RiskLevel(levels[item.pk]).label if item.pk in levels else "",
                "address": item.address,
            }
        )  # fmt: skip
    return ReportData("monthly_list", region, start, end, layout_for("monthly_list", ancestry(region)), rows)


def _weekly_closed(region: Region, start: date, end: date) -> ReportData:
    since, until = _start_of(start), _start_of(end + timedelta(days=1))
    coverage = coverage_by_institution()
    found: list[tuple[Any, str, date, str]] = []
    closing: list[str] = [EventKind.SUSPENDED, EventKind.CANCELLED]
    events = training.institution_events_between(region, closing, since, until)
    for event in events:
        found.append((event.institution, event.get_kind_display(), timezone.localdate(event.at), event.reason))
    red = (
        RiskWarning.objects.filter(
            **{f"institution__{region.level}_id": region.code},
            level=RiskLevel.RED,
            issued_on__gte=start,
            issued_on__lte=end,
        )
        .select_related("institution", "institution__county")
        .order_by("issued_on", "pk")
    )
    for warning in red:
        found.append((warning.institution, str(RiskLevel.RED.label), warning.issued_on, warning.get_status_display()))
    rows = []
    for index, (institution, what, day, reason) in enumerate(found, start=1):
        cover = coverage.get(institution.pk)
        rows.append(
            {
                "index": index, "name": institution.name, "credit_code": institution.credit_code,
                "county": institution.county.name, "what": what, "date": day.isoformat(), "reason": reason,
                "outstanding_yuan": yuan(cover.outstanding if cover else 0),
                "shortfall_yuan": yuan(cover.shortfall if cover else 0),
            }
        )  # fmt: skip
    return ReportData("weekly_closed", region, start, end, layout_for("weekly_closed", ancestry(region)), rows)


def report_build(kind: str, region: Region, start: date, end: date) -> ReportData:
    """The report's rows for `region` from `start` to `end` (inclusive). No access check: callers check it."""
    if kind in ("monitoring", "half_monthly"):
        return _summary(kind, region, start, end)
    if kind == "monthly_list":
        return _monthly_list(region, start, end)
    return _weekly_closed(region, start, end)


def check_period(kind: str, start: date, end: date) -> None:
    if kind not in CADENCE:
        raise supervision_error(SupervisionError.UNKNOWN_REPORT, kind=kind)
    if end < start or (end - start).days > PERIOD_MAX_DAYS:
        raise supervision_error(SupervisionError.BAD_PERIOD, start=start, end=end)


def report_read(*, actor: Any, kind: str, region: Region, start: date, end: date) -> ReportData:
    """A report for a bureau officer or inspector whose region holds `region`."""
    access.require_region(actor, REPORT_READ, region)
    check_period(kind, start, end)
    return report_build(kind, region, start, end)


def report_for_request(*, actor: Any, kind: str, region_code: str, start: date, end: date) -> ReportData:
    region = Region.objects.filter(code=region_code.strip()).select_related("parent__parent").first()
    if region is None:
        raise NotFound("region")
    return report_read(actor=actor, kind=kind, region=region, start=start, end=end)


def report_file_list(*, actor: Any, region: Region) -> list[ReportFile]:
    access.require_region(actor, REPORT_READ, region)
    files = ReportFile.objects.filter(region=region).order_by("-period_start", "kind", "pk")
    return list(files[:200])


def report_file_get(*, actor: Any, file_id: int) -> ReportFile:
    """A generated file of a region the actor covers; the same NotFound otherwise."""
    found = ReportFile.objects.filter(pk=file_id).select_related("region__parent__parent").first()
    if found is None or not access.covers_region(actor, found.region, access.roles_for(REPORT_READ)):
        raise NotFound("report")
    return found
