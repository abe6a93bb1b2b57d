"""Complaint reads: the inspector's desk (mine, unassigned, overdue, due soon), one complaint with its timeline,
the complaints about an operator's own institution (no complainant identity), the bureau leader's overview, and
working-day deadlines.

Supervisors (bureau, inspectors) reach the complaints of their region through core.access (Complaint.scope); an
operator reaches only the complaints about its own institution, and only through `institution_complaint_*`.
Working days are government working days from the national calendar (core.calendar: statutory holidays and make-up
workdays), not the school calendar: a bureau works through the school vacations.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from shuangjian.core import access, calendar
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Role, RoleAssignment, User
from shuangjian.training import rules
from shuangjian.training.models import (
    Complaint,
    ComplaintEvent,
    ComplaintStatus,
    EventKind,
    Institution,
    InstitutionEvent,
    LicenceStatus,
)

SUPERVISORS = (Role.BUREAU, Role.INSPECTOR)
OVERVIEW_MONTHS = 12


class DeskView:
    MINE = "mine"
    UNASSIGNED = "unassigned"
    OVERDUE = "overdue"
    ALL = "all"
    CHOICES = (MINE, UNASSIGNED, OVERDUE, ALL)


# Working days


def is_working_day(day: date) -> bool:
    national = calendar.national_day(day)
    return rules.is_working_day(
        day, is_statutory_holiday=national.is_statutory_holiday, is_makeup_workday=national.is_makeup_workday
    )


def working_days_after(start: date, count: int | None) -> date | None:
    """The date `count` working days after `start`; None when no deadline applies."""
    return None if count is None else rules.add_working_days(start, count, is_working_day)


def due_soon_until(today: date) -> date:
    return rules.add_working_days(today, rules.DUE_SOON_WORKING_DAYS, is_working_day)


# The supervisor's desk


def _supervised(actor: Any, roles: tuple[Role, ...] = SUPERVISORS) -> QuerySet[Complaint]:
    return Complaint.objects.filter(access.visible(actor, Complaint, roles))


def _overdue(today: date) -> Q:
    return Q(status=ComplaintStatus.RECEIVED, triage_due_on__lt=today) | Q(
        status__in=rules.COMPLAINT_OPEN_STATUSES, resolve_due_on__lt=today
    )


def _due_soon(today: date, soon_until: date) -> Q:
    triage = Q(status=ComplaintStatus.RECEIVED, triage_due_on__gte=today, triage_due_on__lte=soon_until)
    resolve = Q(status__in=rules.COMPLAINT_OPEN_STATUSES, resolve_due_on__gte=today, resolve_due_on__lte=soon_until)
    return (triage | resolve) & ~_overdue(today)


def complaint_list(
    *, actor: Any, view: str = DeskView.ALL, status: str = "", today: date | None = None
) -> QuerySet[Complaint]:
    """The complaints of the supervisor's region: all, assigned to them, not yet assigned, or overdue; oldest
    deadline first."""
    on = today or timezone.localdate()
    qs = _supervised(actor).select_related("county", "institution", "assignee")
    if view == DeskView.MINE:
        qs = qs.filter(assignee_id=actor.pk, status__in=rules.COMPLAINT_OPEN_STATUSES)
    elif view == DeskView.UNASSIGNED:
        qs = qs.filter(status__in=[ComplaintStatus.RECEIVED, ComplaintStatus.TRIAGED])
    elif view == DeskView.OVERDUE:
        qs = qs.filter(_overdue(on))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("resolve_due_on", "received_at", "pk")


@dataclass(frozen=True, slots=True)
class DeskCounts:
    mine: int
    unassigned: int
    overdue: int
    due_soon: int


def desk_counts(*, actor: Any, today: date) -> DeskCounts:
    """The badges of the desk, in one query."""
    row = _supervised(actor).aggregate(
        mine=Count("pk", filter=Q(assignee_id=actor.pk, status__in=rules.COMPLAINT_OPEN_STATUSES)),
        unassigned=Count("pk", filter=Q(status__in=[ComplaintStatus.RECEIVED, ComplaintStatus.TRIAGED])),
        overdue=Count("pk", filter=_overdue(today)),
        due_soon=Count("pk", filter=_due_soon(today, due_soon_until(today))),
    )
    return DeskCounts(**row)


def deadline_flags(complaint: Complaint, today: date, soon_until: date) -> dict[str, str]:
    """{"triage"|"resolve": "overdue"|"due_soon"} for the deadlines of a complaint that need attention."""
    running = rules.open_deadlines(complaint.status, complaint.triage_due_on, complaint.resolve_due_on)
    flags = {name: rules.deadline_state(due, today, soon_until) for name, due in running.items()}
    return {name: state.value for name, state in flags.items() if state is not None}


def complaint_get(*, actor: Any, complaint_id: int, roles: tuple[Role, ...] = SUPERVISORS) -> Complaint:
    """A complaint of the supervisor's region (reached through `roles`); the same NotFound for missing and
    foreign."""
    complaint = (
        _supervised(actor, roles)
        .select_related("county", "city", "province", "institution", "assignee")
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is None:
        raise NotFound("complaint")
    return complaint


def complaint_events(*, actor: Any, complaint_id: int) -> QuerySet[ComplaintEvent]:
    """The complaint's timeline, oldest first (supervisors only: notes are internal)."""
    complaint = complaint_get(actor=actor, complaint_id=complaint_id)
    return ComplaintEvent.objects.filter(complaint=complaint).select_related("actor").order_by("at", "pk")


def assignable_inspectors(county_codes: list[str]) -> QuerySet[User]:
    """Inspectors whose region covers the complaint's county (its code, its city's or its province's)."""
    holders = RoleAssignment.objects.filter(role=Role.INSPECTOR, region_id__in=county_codes).values("user_id")
    return User.objects.filter(pk__in=holders, is_active=True).order_by("username")


def is_assignable(user_id: int, county_codes: list[str]) -> bool:
    return assignable_inspectors(county_codes).filter(pk=user_id).exists()


# An operator's view: complaints about its own institution, never who complained


def institution_complaints(*, actor: Any, institution_id: int) -> QuerySet[Complaint]:
    """Complaints about one institution the actor reaches (operator: its own; supervisors: their region's)."""
    institution = Institution.objects.filter(access.visible(actor, Institution), pk=institution_id).first()
    if institution is None:
        raise NotFound("institution")
    return (
        Complaint.objects.filter(institution=institution)
        .exclude(status=ComplaintStatus.REJECTED)
        .select_related("institution")
        .order_by("-received_at", "-pk")
    )


def institution_complaint_get(*, actor: Any, complaint_id: int) -> Complaint:
    """A complaint about the operator's own institution (operators only)."""
    visible = access.visible(actor, Complaint, [Role.INSTITUTION_OPERATOR])
    complaint = (
        Complaint.objects.filter(visible, pk=complaint_id)
        .exclude(status=ComplaintStatus.REJECTED)
        .select_related("institution")
        .first()
    )
    if complaint is None:
        raise NotFound("complaint")
    return complaint


# Reminders (the task): open complaints of a region with a deadline


def reminder_candidates(*, region_code: str) -> QuerySet[Complaint]:
    in_region = Q(county_id=region_code) | Q(city_id=region_code) | Q(province_id=region_code)
    has_deadline = Q(triage_due_on__isnull=False) | Q(resolve_due_on__isnull=False)
    return (
        Complaint.objects.filter(in_region & has_deadline, status__in=rules.COMPLAINT_OPEN_STATUSES)
        .select_related("assignee")
        .order_by("pk")
    )


def reminded(complaint_ids: list[int]) -> dict[int, frozenset[str]]:
    """The deadlines already reminded of, per complaint."""
    found: dict[int, set[str]] = {pk: set() for pk in complaint_ids}
    rows = ComplaintEvent.objects.filter(complaint_id__in=complaint_ids, kind="reminder")
    for complaint_id, name in rows.values_list("complaint_id", "reminder_for"):
        found[complaint_id].add(name)
    return {pk: frozenset(names) for pk, names in found.items()}


# The bureau leader's overview


@dataclass(frozen=True, slots=True)
class Overview:
    months: list[str]  # "2026-09", oldest first
    complaints_by_status: list[tuple[str, str, int]]  # (status, label, count)
    complaints_by_month: list[int]
    institutions_by_status: list[tuple[str, str, int]]
    cancellations_by_month: list[int]


def _month_keys(today: date) -> list[str]:
    keys: list[str] = []
    year, month = today.year, today.month
    for _step in range(OVERVIEW_MONTHS):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def _per_month(rows: QuerySet[Any], keys: list[str]) -> list[int]:
    counts: Counter[str] = Counter()
    for month, n in rows:
        counts[f"{timezone.localtime(month):%Y-%m}"] += n
    return [counts[key] for key in keys]


def overview(*, actor: Any, today: date) -> Overview:
    """Counts for the leader's charts over the actor's region: complaints by status and by month received,
    institutions by licence status, licence cancellations by month (the last OVERVIEW_MONTHS months)."""
    keys = _month_keys(today)
    since = timezone.make_aware(datetime.fromisoformat(keys[0] + "-01"))
    complaints = _supervised(actor)
    by_status = dict(complaints.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    by_month = (
        complaints.filter(received_at__gte=since)
        .annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    institutions = Institution.objects.filter(access.visible(actor, Institution, SUPERVISORS))
    licence = dict(
        institutions.values_list("licence_status").annotate(n=Count("pk")).values_list("licence_status", "n")
    )
    cancellations = (
        InstitutionEvent.objects.filter(
            access.visible(actor, InstitutionEvent, SUPERVISORS), kind=EventKind.CANCELLED, at__gte=since
        )
        .annotate(month=TruncMonth("at"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    return Overview(
        months=keys,
        complaints_by_status=[(s.value, str(s.label), by_status.get(s.value, 0)) for s in ComplaintStatus],
        complaints_by_month=_per_month(by_month, keys),
        institutions_by_status=[(s.value, str(s.label), licence.get(s.value, 0)) for s in LicenceStatus],
        cancellations_by_month=_per_month(cancellations, keys),
    )
