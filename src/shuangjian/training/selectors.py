"""Training reads: the registry as the actor reaches it, an institution's calendar and guidance prices, the rule
violations found in existing courses, and the public lookup and sanction list.

Supervisors (bureau, inspectors) reach the institutions of their region, an operator its own institution
(core.access through Institution.scope). The public reads take no actor: they show only approved institutions and
sanctions in force, and nothing personal (no staff).

Published for other apps (the escrow ledger): `institution_get`, `supervised_account_of`, `in_region`.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, Min, Prefetch, Q, QuerySet

from shuangjian.core import access, calendar
from shuangjian.core.errors import NotFound
from shuangjian.core.models import CalendarOverride, Region, Term
from shuangjian.core.rules import DayKind, OverrideKind, classify_day
from shuangjian.policy.selectors import effective_profile
from shuangjian.training import rules
from shuangjian.training.errors import finding_message
from shuangjian.training.models import (
    Complaint,
    ComplaintStatus,
    Course,
    CourseStatus,
    GuidancePrice,
    GuidancePriceChange,
    Institution,
    InstitutionEvent,
    InstitutionKind,
    InstitutionStaff,
    LicenceStatus,
    Sanction,
    Site,
    TimetableEntry,
    TrainingMode,
)

# The registry


def institution_list(*, actor: Any, status: str | None = None, query: str = "") -> QuerySet[Institution]:
    qs = Institution.objects.filter(access.visible(actor, Institution)).select_related("county")
    if status:
        qs = qs.filter(licence_status=status)
    if query.strip():
        qs = qs.filter(Q(name__contains=query.strip()) | Q(credit_code=query.strip().upper()))
    return qs.order_by("county_id", "name", "pk")


def institution_get(*, actor: Any, institution_id: int) -> Institution:
    """A visible institution; the same NotFound for "missing" and "not yours"."""
    institution = (
        Institution.objects.filter(access.visible(actor, Institution), pk=institution_id)
        .select_related("county", "city", "province")
        .first()
    )
    if institution is None:
        raise NotFound("institution")
    return institution


def event_list(*, actor: Any, institution_id: int) -> QuerySet[InstitutionEvent]:
    institution = institution_get(actor=actor, institution_id=institution_id)
    return InstitutionEvent.objects.filter(institution=institution).select_related("actor").order_by("-at", "-pk")


def site_list(*, actor: Any, institution_id: int) -> QuerySet[Site]:
    institution = institution_get(actor=actor, institution_id=institution_id)
    return Site.objects.filter(institution=institution).order_by("pk")


def staff_list(*, actor: Any, institution_id: int) -> QuerySet[InstitutionStaff]:
    institution = institution_get(actor=actor, institution_id=institution_id)
    return InstitutionStaff.objects.filter(institution=institution).order_by("pk")


def _courses() -> QuerySet[Course]:
    entries = Prefetch("entries", queryset=TimetableEntry.objects.order_by("weekday", "date", "start_time", "pk"))
    return Course.objects.select_related("site").prefetch_related(entries).order_by("start_date", "pk")


def course_list(*, actor: Any, institution_id: int, active_only: bool = False) -> QuerySet[Course]:
    institution = institution_get(actor=actor, institution_id=institution_id)
    qs = _courses().filter(institution=institution)
    return qs.filter(status=CourseStatus.ACTIVE) if active_only else qs


def course_get(*, actor: Any, course_id: int) -> Course:
    course = _courses().filter(access.visible(actor, Course), pk=course_id).select_related("institution").first()
    if course is None:
        raise NotFound("course")
    return course


def supervised_account_of(institution: Institution) -> tuple[str, date] | None:
    """The custodian bank and opening date of the institution's supervised account, if recorded."""
    if institution.escrow_bank and institution.escrow_opened_on is not None:
        return institution.escrow_bank, institution.escrow_opened_on
    return None


# The calendar and prices an institution's courses are checked against


def region_day_kinds(institution: Institution, start: date, end: date) -> dict[date, DayKind]:
    """The kind of every day from `start` to `end` in the institution's county: the national calendar, the most
    specific term dates (county, city, province, default) and the most specific regional override."""
    chain = [institution.county_id, institution.city_id, institution.province_id]
    rank: dict[str | None, int] = {code: level for level, code in enumerate(chain)}
    rank[None] = len(chain)
    terms: dict[tuple[int, int], Term] = {}
    rows = Term.objects.filter(
        Q(region__isnull=True) | Q(region_id__in=chain),
        school_year__start_year__gte=start.year - 1,
        school_year__start_year__lte=end.year,
    )
    for term in rows:
        slot = (term.school_year_id, term.number)
        if slot not in terms or rank[term.region_id] < rank[terms[slot].region_id]:
            terms[slot] = term
    overrides: dict[date, tuple[int, OverrideKind]] = {}
    for region_id, day, kind in CalendarOverride.objects.filter(
        region_id__in=chain, date__gte=start, date__lte=end
    ).values_list("region_id", "date", "kind"):
        if day not in overrides or rank[region_id] < overrides[day][0]:
            overrides[day] = (rank[region_id], OverrideKind(kind))
    result: dict[date, DayKind] = {}
    day = start
    while day <= end:
        national = calendar.national_day(day)
        result[day] = classify_day(
            day,
            is_statutory_holiday=national.is_statutory_holiday,
            is_makeup_workday=national.is_makeup_workday,
            in_term=any(t.start_date <= day <= t.end_date for t in terms.values()),
            override=overrides[day][1] if day in overrides else None,
        )
        day += timedelta(days=1)
    return result


def guidance_prices(region_codes: list[str]) -> dict[tuple[str, str, str], int]:
    """(region, subject, mode) -> base price in fen, for the given regions."""
    rows = GuidancePrice.objects.filter(region_id__in=region_codes).values_list(
        "region_id", "subject", "mode", "base_fen"
    )
    return {(region, subject, mode): base for region, subject, mode, base in rows}


def guidance_base_fen(
    institution: Institution, subject: str, mode: str, prices: dict[tuple[str, str, str], int] | None = None
) -> int | None:
    """The guidance base price that applies to the institution: its county's, else its city's, else its
    province's; None where none is set."""
    chain = [institution.county_id, institution.city_id, institution.province_id]
    table = prices if prices is not None else guidance_prices(chain)
    source = guidance_source(chain, subject, mode, table)
    return None if source is None else table[(source, subject, mode)]


def guidance_source(chain: list[str], subject: str, mode: str, prices: dict[tuple[str, str, str], int]) -> str | None:
    """The region whose price applies: the first of `chain` (most specific first) that set one for the subject and
    mode; None where none did."""
    return next((code for code in chain if (code, subject, mode) in prices), None)


def guidance_price_list(*, region_code: str) -> QuerySet[GuidancePrice]:
    """Guidance prices are public rules: anyone may read a region's."""
    return GuidancePrice.objects.filter(region_id=region_code).order_by("subject", "mode")


def guidance_price_history(*, region_code: str, subject: str = "", mode: str = "") -> QuerySet[GuidancePriceChange]:
    """Every change of a region's guidance prices (of one subject and mode if given), newest first: public, as the
    prices are."""
    changes = GuidancePriceChange.objects.filter(region_id=region_code)
    if subject:
        changes = changes.filter(subject=subject)
    if mode:
        changes = changes.filter(mode=mode)
    return changes.order_by("-set_at", "-pk")


def facts_of(course: Course, institution: Institution) -> rules.CourseFacts:
    """The rule input of a stored course (its timetable entries must be prefetched)."""
    sittings = rules.sittings_of([(e.weekday, e.date, e.start_time, e.end_time) for e in course.entries.all()])
    return rules.CourseFacts(
        academic=institution.kind == "academic",
        online=institution.mode == "online",
        subject=course.subject,
        grade_min=course.grade_min,
        grade_max=course.grade_max,
        lesson_minutes=course.lesson_minutes,
        lesson_count=course.lesson_count,
        class_size=course.class_size,
        price_fen_per_lesson=course.price_fen_per_lesson,
        charge_lessons=course.charge_lessons,
        charge_months=course.charge_months,
        start_date=course.start_date,
        end_date=course.end_date,
        sittings=sittings,
        site_area=course.site.area_square_metres if course.site is not None else None,
    )


# Violations found in existing data (for inspectors)


@dataclass(frozen=True, slots=True)
class Violation:
    institution_id: int
    institution_name: str
    credit_code: str
    county: str
    course_id: int
    course_title: str
    code: str
    message: str


def violation_list(*, actor: Any) -> list[Violation]:
    """Every rule finding in the active courses of the institutions the actor reaches (bureau and inspectors their
    region, an operator its own), each course checked as it would be at entry."""
    courses = list(
        _courses()
        .filter(access.visible(actor, Course), status=CourseStatus.ACTIVE)
        .select_related("institution", "institution__county")
        .order_by("institution__county_id", "institution__name", "pk")
    )
    by_institution: dict[int, list[Course]] = defaultdict(list)
    for course in courses:
        by_institution[course.institution_id].append(course)
    regions = {
        code for c in courses for code in (c.institution.county_id, c.institution.city_id, c.institution.province_id)
    }
    prices = guidance_prices(sorted(regions))
    found: list[Violation] = []
    for group in by_institution.values():
        institution = group[0].institution
        start, end = min(c.start_date for c in group), max(c.end_date for c in group)
        facts = [facts_of(course, institution) for course in group]
        periods = [rules.course_period(f) for f in facts]
        kinds = region_day_kinds(
            institution, min([start, *(p[0] for p in periods)]), max([end, *(p[1] for p in periods)])
        )
        for course, course_facts in zip(group, facts, strict=True):
            profile = effective_profile(institution.county, course.start_date)
            base = guidance_base_fen(institution, course.subject, institution.mode, prices)
            for finding in rules.course_findings(profile, course_facts, kinds, base):
                found.append(
                    Violation(
                        institution_id=institution.pk,
                        institution_name=institution.name,
                        credit_code=institution.credit_code,
                        county=institution.county.name,
                        course_id=course.pk,
                        course_title=course.title,
                        code=finding.code,
                        message=finding_message(finding.code, finding.params),
                    )
                )
    return found


# The public lookup and the sanction list (no actor: public facts only)


def public_institutions() -> QuerySet[Institution]:
    return Institution.objects.filter(licence_status=LicenceStatus.APPROVED)


def approved_non_academic(credit_code: str) -> Institution | None:
    """The approved non-academic institution with this credit code, if any: the only kind of training institution
    a school's after-school service may bring in (POLICY.md A10)."""
    return public_institutions().filter(credit_code=credit_code, kind=InstitutionKind.NON_ACADEMIC).first()


def public_get(*, credit_code: str, on: date) -> Institution:
    """An approved institution with its sites, active courses and the sanctions in force on `on` (the public
    detail page: `active_courses`, `sanctions_in_force`)."""
    active = Prefetch("courses", queryset=_courses().filter(status=CourseStatus.ACTIVE), to_attr="active_courses")
    sanctions = Prefetch(
        "sanctions",
        queryset=Sanction.objects.filter(_in_force(on)).select_related("institution").order_by("-starts_on", "-pk"),
        to_attr="sanctions_in_force",
    )
    institution = (
        public_institutions()
        .filter(credit_code=credit_code.strip().upper())
        .select_related("county", "city")
        .prefetch_related(Prefetch("sites", queryset=Site.objects.order_by("pk")), active, sanctions)
        .first()
    )
    if institution is None:
        raise NotFound("institution")
    return institution


def _in_force(on: date) -> Q:
    return Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def public_sanctions(*, on: date) -> QuerySet[Sanction]:
    """The sanction list (黑名单): sanctions in force on `on`, newest first."""
    return (
        Sanction.objects.filter(_in_force(on))
        .select_related("institution", "institution__county")
        .order_by("-starts_on", "-pk")
    )


def complaint_follow(*, reference: str) -> Complaint:
    """A complaint by its reference number (public: the caller shows only its status, never its content or contact)."""
    complaint = Complaint.objects.filter(reference=reference.strip().upper()).first()
    if complaint is None:
        raise NotFound("complaint")
    return complaint


def complaint_counties() -> list[tuple[str, str]]:
    """The counties a complaint may be filed in (public: region names are public)."""
    return [(r.code, f"{r.parent.name}{r.name}" if r.parent else r.name) for r in
            Region.objects.filter(level="county").select_related("parent").order_by("code")]  # fmt: skip


# Signals for the early warning (supervision's nightly scoring): one grouped query each over a region's institutions


def in_region(region: Region, prefix: str = "") -> Q:
    """Rows whose institution (at the lookup `prefix`) lies in the region: one denormalised column, the region's
    level (county, city or province)."""
    return Q(**{f"{prefix}{region.level}_id": region.code})


def institution_registry(region: Region) -> QuerySet[Institution]:
    """Every institution registered in `region`, by county and name (the bureau's monthly list)."""
    return Institution.objects.filter(in_region(region)).select_related("county").order_by("county_id", "name", "pk")


def institution_rows(region: Region) -> list[tuple[int, str, str]]:
    """(id, licence status, county code) of every institution registered in `region`."""
    rows = Institution.objects.filter(in_region(region)).order_by("pk")
    return list(rows.values_list("pk", "licence_status", "county_id"))


def complaints_by_institution(region: Region, since: datetime, until: datetime) -> dict[int, int]:
    """Complaints received in [since, until) per named institution of the region."""
    rows = (
        Complaint.objects.filter(in_region(region, "institution__"), received_at__gte=since, received_at__lt=until)
        .values("institution_id")
        .annotate(n=Count("pk"))
        .values_list("institution_id", "n")
    )
    return dict(rows)


def complaints_by_county(region: Region, since: datetime, until: datetime) -> dict[str, tuple[int, int]]:
    """Complaints received in [since, until) per county of the region: (received, of those resolved)."""
    rows = (
        Complaint.objects.filter(in_region(region), received_at__gte=since, received_at__lt=until)
        .values("county_id")
        .annotate(n=Count("pk"), resolved=Count("pk", filter=Q(status=ComplaintStatus.RESOLVED)))
        .values_list("county_id", "n", "resolved")
    )
    return {county: (n, resolved) for county, n, resolved in rows}


def sanctions_by_institution(region: Region, on: date) -> dict[int, int]:
    """Sanctions in force on `on` per institution of the region."""
    rows = (
        Sanction.objects.filter(in_region(region, "institution__"), _in_force(on))
        .values("institution_id")
        .annotate(n=Count("pk"))
        .values_list("institution_id", "n")
    )
    return dict(rows)


def late_sittings_by_institution(
    region: Region, county_codes: list[str], *, offline_latest: time, online_latest: time, academic_rest_days: bool
) -> dict[int, int]:
    """Timetable entries of active courses that break T5/T7/T8 as the counties' profile sets them: ending after the
    latest end of the institution's mode, or an academic course on a weekend (when rest days are closed to it)."""
    broken = Q(course__institution__mode=TrainingMode.OFFLINE, end_time__gt=offline_latest) | Q(
        course__institution__mode=TrainingMode.ONLINE, end_time__gt=online_latest
    )
    if not academic_rest_days:
        broken |= Q(course__institution__kind=InstitutionKind.ACADEMIC, weekday__gte=6)
    rows = (
        TimetableEntry.objects.filter(
            in_region(region, "course__institution__"),
            broken,
            course__institution__county_id__in=county_codes,
            course__status=CourseStatus.ACTIVE,
        )
        .values("course__institution_id")
        .annotate(n=Count("pk"))
        .values_list("course__institution_id", "n")
    )
    return dict(rows)


def course_prices_by_institution(region: Region, since: datetime) -> dict[int, tuple[float | None, int | None]]:
    """Per institution: the average price per lesson of its courses created before `since`, and the lowest price of
    those created since (a sudden price cut is the second far below the first)."""
    rows = (
        Course.objects.filter(in_region(region, "institution__"))
        .values("institution_id")
        .annotate(
            earlier=Avg("price_fen_per_lesson", filter=Q(created_at__lt=since)),
            newest=Min("price_fen_per_lesson", filter=Q(created_at__gte=since)),
        )
        .filter(newest__isnull=False)
        .values_list("institution_id", "earlier", "newest")
    )
    return {pk: (float(earlier) if earlier is not None else None, newest) for pk, earlier, newest in rows}


def institution_events_between(
    region: Region, kinds: list[str], since: datetime, until: datetime
) -> QuerySet[InstitutionEvent]:
    """Registry events of the given kinds in [since, until) in the region (the weekly list of closed institutions)."""
    period = Q(kind__in=kinds, at__gte=since, at__lt=until)
    return (
        InstitutionEvent.objects.filter(in_region(region, "institution__"), period)
        .select_related("institution", "institution__county")
        .order_by("at", "pk")
    )
