"""The nightly risk scoring of a region's institutions (issue 4, item 6).

Set-based: one grouped query per signal over the whole region (training's and the ledger's published selectors),
the pure rules per institution in memory, one bulk insert of the day's scores and of the notices that open. Running
it again for the same day replaces that day's scores and opens no second notice.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from shuangjian.core.models import Region
from shuangjian.ledger.selectors import Coverage, coverage_by_institution, refunds_by_institution
from shuangjian.policy.rules import PolicySnapshot
from shuangjian.policy.selectors import effective_profile
from shuangjian.supervision import rules
from shuangjian.supervision.models import RiskScore, RiskWarning, WarningEvent, WarningEventKind
from shuangjian.supervision.selectors import reasons_json
from shuangjian.training import selectors as training
from shuangjian.training.models import LicenceStatus


@dataclass(frozen=True, slots=True)
class ScoringResult:
    region_code: str
    on: date
    scored: int
    levels: Mapping[int, int] = field(default_factory=dict)  # level -> institutions
    notices: tuple[int, ...] = ()  # institutions a notice opened for
    dry_run: bool = False


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _profiles(county_codes: set[str], on: date) -> dict[str, PolicySnapshot]:
    counties = Region.objects.filter(code__in=sorted(county_codes)).select_related("parent__parent")
    return {county.code: effective_profile(county, on) for county in counties}


def _late_sittings(region: Region, profiles: Mapping[str, PolicySnapshot]) -> dict[int, int]:
    """One query per distinct set of schedule limits (usually one for the whole region)."""
    groups: dict[tuple[object, object, object], list[str]] = {}
    for code, profile in profiles.items():
        limits = (
            profile.get("training.offline_latest_end"),
            profile.get("training.online_latest_end"),
            profile.get("training.academic_on_rest_days_allowed"),
        )
        groups.setdefault(limits, []).append(code)
    found: dict[int, int] = {}
    for (offline, online, rest_days), codes in groups.items():
        if not isinstance(offline, time) or not isinstance(online, time):
            continue
        found |= training.late_sittings_by_institution(
            region, codes, offline_latest=offline, online_latest=online, academic_rest_days=bool(rest_days)
        )
    return found


def _window(profiles: Mapping[str, PolicySnapshot], on: date) -> date:
    """The widest signal window any county of the region set (each county's own window applies to its rules)."""
    starts = [start for p in profiles.values() if (start := rules.window_start(p, on)) is not None]
    return min(starts) if starts else on + timedelta(days=1)


def _signals(
    region: Region, on: date
) -> tuple[list[tuple[int, str]], dict[int, rules.Signals], dict[str, PolicySnapshot]]:
    rows = training.institution_rows(region)
    profiles = _profiles({county for _, _, county in rows}, on)
    since, until = _start_of(_window(profiles, on)), _start_of(on + timedelta(days=1))
    complaints = training.complaints_by_institution(region, since, until)
    sanctions = training.sanctions_by_institution(region, on)
    prices = training.course_prices_by_institution(region, since)
    late = _late_sittings(region, profiles)
    refunds = refunds_by_institution(since, until)
    coverage = coverage_by_institution()
    empty = Coverage(0, 0, 0, frozen=False)
    scored: list[tuple[int, str]] = []
    signals: dict[int, rules.Signals] = {}
    for pk, status, county in rows:
        owed = coverage.get(pk, empty)
        if status == LicenceStatus.CANCELLED and owed.outstanding <= 0:
            continue  # closed and owing nobody: nothing left to warn about
        scored.append((pk, county))
        signals[pk] = rules.Signals(
            complaints=complaints.get(pk, 0),
            refunds=refunds.get(pk, 0),
            outstanding_fen=owed.outstanding,
            shortfall_fen=owed.shortfall,
            escrow_frozen=owed.frozen,
            licence_suspended=status == LicenceStatus.SUSPENDED,
            licence_cancelled=status == LicenceStatus.CANCELLED,
            sanctions_in_force=sanctions.get(pk, 0),
            schedule_violations=late.get(pk, 0),
            price_cut_percent=rules.price_cut_percent(*prices.get(pk, (None, None))),
        )
    return scored, signals, profiles


def _previous_levels(ids: list[int], region: Region, on: date) -> dict[int, rules.Level]:
    earlier = RiskScore.objects.filter(**{f"institution__{region.level}_id": region.code}, on__lt=on)
    last_day = earlier.aggregate(last=Max("on"))["last"]
    if last_day is None:
        return {}
    rows = earlier.filter(on=last_day, institution_id__in=ids).values_list("institution_id", "level")
    return {pk: rules.Level(level) for pk, level in rows}


@transaction.atomic(durable=True)
def risk_score_region(*, region: Region, on: date, dry_run: bool = False) -> ScoringResult:
    """Score every institution of `region` on `on`, store the scores and open the notices whose level rose.
    The nightly job (no acting user): the command and the task call it for a region they were given."""
    scored, signals, profiles = _signals(region, on)
    assessments = {pk: rules.assess(profiles[county], signals[pk]) for pk, county in scored}
    previous = _previous_levels(list(assessments), region, on)
    rising = [pk for pk, a in assessments.items() if rules.opens_notice(previous.get(pk), a.level)]
    levels: dict[int, int] = {}
    for assessment in assessments.values():
        levels[assessment.level] = levels.get(assessment.level, 0) + 1
    if not dry_run:
        RiskScore.objects.filter(institution_id__in=list(assessments), on=on).delete()
        RiskScore.objects.bulk_create(
            [
                RiskScore(institution_id=pk, on=on, score=a.score, level=a.level, reasons=reasons_json(a.reasons))
                for pk, a in assessments.items()
            ],
            batch_size=2000,
        )
        already = set(
            RiskWarning.objects.filter(institution_id__in=rising, issued_on=on).values_list("institution_id", flat=True)
        )
        rising = [pk for pk in rising if pk not in already]
        county_of = dict(scored)
        notices = RiskWarning.objects.bulk_create(
            [
                RiskWarning(
                    institution_id=pk,
                    level=assessments[pk].level,
                    score=assessments[pk].score,
                    reasons=reasons_json(assessments[pk].reasons),
                    issued_on=on,
                    appeal_deadline=rules.appeal_deadline(profiles[county_of[pk]], on),
                )
                for pk in rising
            ],
            batch_size=2000,
        )
        now = timezone.now()
        WarningEvent.objects.bulk_create(
            [WarningEvent(warning=w, kind=WarningEventKind.ISSUED, at=now) for w in notices], batch_size=2000
        )
    return ScoringResult(region.code, on, len(assessments), levels, tuple(rising), dry_run)
