"""Reads for staffing, fees and the survey (issue 3, items 5-7): a plan's duties and each person's term, the fairness
view, the fee page, a guardian's fee, and the survey's anonymous aggregates.

Staff data is the school's: its leaders read it, and the bureau and inspectors over it (SCHOOL_READERS). A child's
fee and waiver are read through core.access at the student level; a waiver's reason only by the school's staff.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from shuangjian.afterschool import rules_money
from shuangjian.afterschool.models import Enrolment, EnrolmentStatus, ServicePlan
from shuangjian.afterschool.models_fees import FeeRecord, FeeSchedule, FeeWaiver
from shuangjian.afterschool.models_staffing import StaffDuty
from shuangjian.afterschool.models_survey import SurveyAnswer
from shuangjian.afterschool.selectors import plan_get, service_days_of
from shuangjian.afterschool.selectors_participation import SCHOOL_READERS, TEACHING_ROLES, teaching_staff_counts
from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import RoleAssignment, School, User
from shuangjian.policy.selectors import effective_profile_for_school


def school_staff(school_id: int) -> QuerySet[User]:
    """Users holding a staff role in the school."""
    users = RoleAssignment.objects.filter(school_id=school_id, role__in=TEACHING_ROLES).values("user_id")
    return User.objects.filter(pk__in=users).order_by("pk")


def plan_for_school_readers(actor: Any, plan_id: int) -> ServicePlan:
    """A plan whose staff and fee records the actor may read: the school's leaders, the bureau, inspectors."""
    plan = plan_get(actor=actor, plan_id=plan_id)
    readers = School.objects.filter(access.visible(actor, School, roles=SCHOOL_READERS))
    if not readers.filter(pk=plan.school_id).exists():
        raise NotFound("plan")
    return plan


def duty_list(*, actor: Any, plan_id: int) -> QuerySet[StaffDuty]:
    plan = plan_for_school_readers(actor, plan_id)
    return StaffDuty.objects.filter(plan=plan).select_related("staff", "school_class", "offering__course")


def _person(duty: StaffDuty) -> tuple[str, str, bool]:
    if duty.staff_id is not None and duty.staff is not None:
        return f"u{duty.staff_id}", str(duty.staff), False
    return f"x:{duty.external_name}:{duty.external_provider}", duty.external_name, True


@dataclass(frozen=True, slots=True)
class StaffHours:
    key: str
    name: str
    provider: str
    external: bool
    term: rules_money.StaffTerm
    outlier: bool


@dataclass(frozen=True, slots=True)
class Staffing:
    plan: ServicePlan
    rules: rules_money.StaffRules
    people: list[StaffHours]
    spread: rules_money.Spread | None
    teaching_staff: int
    serving_staff: int


def staffing(*, actor: Any, plan_id: int) -> Staffing:
    """Each person's term (class hours, minutes, flexible-hours entitlement, subsidy) and the school's spread."""
    plan = plan_for_school_readers(actor, plan_id)
    duties = list(StaffDuty.objects.filter(plan=plan).select_related("staff"))
    days = service_days_of(plan, plan.term.start_date, plan.term.end_date)
    minutes = {
        b.number: b.end_time.hour * 60 + b.end_time.minute - b.start_time.hour * 60 - b.start_time.minute
        for b in plan.blocks.all()
    }
    profile_rules = rules_money.staff_rules(effective_profile_for_school(plan.school, plan.term.start_date))
    grouped: dict[str, list[StaffDuty]] = defaultdict(list)
    for duty in duties:
        grouped[_person(duty)[0]].append(duty)
    terms = {
        key: rules_money.staff_term(((d.weekday, d.block_number) for d in rows), days, minutes, profile_rules)
        for key, rows in grouped.items()
    }
    school_hours = [t.class_hours for key, t in terms.items() if key.startswith("u")]
    spread = rules_money.spread(school_hours)
    people = []
    for key, rows in grouped.items():
        _, name, external = _person(rows[0])
        term = terms[key]
        people.append(
            StaffHours(
                key=key,
                name=name,
                provider=rows[0].external_provider,
                external=external,
                term=term,
                outlier=bool(spread and not external and spread.outlier(term.class_hours)),
            )
        )
    people.sort(key=lambda p: (p.external, -p.term.class_hours, p.name))
    return Staffing(
        plan=plan,
        rules=profile_rules,
        people=people,
        spread=spread,
        teaching_staff=teaching_staff_counts([plan.school_id]).get(plan.school_id, 0),
        serving_staff=len({d.staff_id for d in duties if d.staff_id is not None}),
    )


# Fees


@dataclass(frozen=True, slots=True)
class FeeRow:
    enrolment: Enrolment
    waiver: FeeWaiver | None
    record: FeeRecord | None
    due_fen: int

    @property
    def refund_fen(self) -> int:
        """What the school owes back: paid in full, then granted a waiver (the record keeps the amount paid)."""
        if self.record is None:
            return 0
        return rules_money.refund_due(self.record.paid, self.record.amount_fen, self.due_fen)


@dataclass(frozen=True, slots=True)
class FeeBook:
    """One page of the fee list (in class and name order, filtered), with the counts of the whole plan."""

    plan: ServicePlan
    schedule: FeeSchedule | None
    limit_fen: int | None
    class_hours: int
    rows: list[FeeRow]
    paid: int
    unpaid: int
    waived: int
    matching: int  # enrolments that pass the filters, over every page
    page: int
    pages: int
    classes: list[tuple[int, str]]  # the classes with enrolled children, for the class filter


FEE_BOOK_PAGE = 50
FEE_FILTERS = ("unpaid", "paid", "waived")


def plan_class_hours(plan: ServicePlan) -> int:
    """A student's class hours in the plan's term: the blocks of every service day."""
    blocks = len(plan.blocks.all())
    return blocks * len(service_days_of(plan, plan.term.start_date, plan.term.end_date))


def plan_fee_limits(plan: ServicePlan) -> rules_money.FeeLimits:
    return rules_money.fee_limits(effective_profile_for_school(plan.school, plan.term.start_date))


def fee_limit(plan: ServicePlan, class_hours: int) -> int | None:
    return rules_money.term_fee_limit(plan_fee_limits(plan), class_hours)


def fee_schedule_get(*, actor: Any, plan_id: int) -> FeeSchedule:
    """The plan's published fee: public to whoever reaches the school (A8: fees must be publicised)."""
    plan = plan_get(actor=actor, plan_id=plan_id)
    schedule = FeeSchedule.objects.filter(plan=plan).select_related("plan__school", "plan__term").first()
    if schedule is None:
        raise NotFound("fee")
    return schedule


def _fee_filter(status: str, fee_fen: int) -> Q:
    """Enrolments by fee status: paid; waived (in part or in full); unpaid (something is due and not paid)."""
    paid = Q(fee_record__paid=True)
    if status == "paid":
        return paid
    if status == "waived":
        return Q(waiver__isnull=False)
    if status == "unpaid":
        return ~paid & (Q(waiver__isnull=True) | Q(waiver__waived_fen__lt=fee_fen)) if fee_fen > 0 else Q(pk__in=[])
    return Q()


def fee_book(
    *, actor: Any, plan_id: int, status: str = "", school_class_id: int | None = None, page: int = 1
) -> FeeBook:
    """The school's fee list: each enrolled child with their waiver, what is due and whether it is paid, a page of
    FEE_BOOK_PAGE at a time, optionally one class's and one status's (FEE_FILTERS; anything else: everyone)."""
    plan = plan_for_school_readers(actor, plan_id)
    schedule = FeeSchedule.objects.filter(plan=plan).first()
    hours = plan_class_hours(plan)
    fee = schedule.fee_fen_per_term if schedule else 0
    enrolled = Enrolment.objects.filter(plan=plan, status=EnrolmentStatus.ACTIVE)
    counts = enrolled.aggregate(**{name: Count("pk", filter=_fee_filter(name, fee)) for name in FEE_FILTERS})
    matching = enrolled.filter(_fee_filter(status if status in FEE_FILTERS else "", fee))
    if school_class_id is not None:
        matching = matching.filter(school_class_id=school_class_id)
    total = matching.count()
    pages = max(1, -(-total // FEE_BOOK_PAGE))
    page = min(max(page, 1), pages)
    enrolments = matching.select_related(
        "student", "school_class", "waiver", "fee_record", "fee_record__recorded_by"
    ).order_by("school_class__grade", "school_class__number", "student__name", "pk")
    rows = []
    for enrolment in enrolments[(page - 1) * FEE_BOOK_PAGE : page * FEE_BOOK_PAGE]:
        waiver = getattr(enrolment, "waiver", None)
        record = getattr(enrolment, "fee_record", None)
        rows.append(FeeRow(enrolment, waiver, record, rules_money.amount_due(fee, waiver.waived_fen if waiver else 0)))
    classes = (
        enrolled.order_by("school_class__grade", "school_class__number")
        .values_list("school_class_id", "school_class__name")
        .distinct()
    )
    return FeeBook(
        plan=plan,
        schedule=schedule,
        limit_fen=fee_limit(plan, hours),
        class_hours=hours,
        rows=rows,
        paid=counts["paid"],
        unpaid=counts["unpaid"],
        waived=counts["waived"],
        matching=total,
        page=page,
        pages=pages,
        classes=list(classes),
    )


@dataclass(frozen=True, slots=True)
class ChildFee:
    enrolment: Enrolment
    schedule: FeeSchedule | None
    waived_fen: int
    waiver_category: str
    due_fen: int
    paid: bool
    refund_fen: int  # paid in full before a waiver: what the school owes back


def child_fee(*, actor: Any, enrolment_id: int) -> ChildFee:
    """What a family owes for an enrolment, or that it is waived (never the waiver's reason)."""
    enrolment = (
        Enrolment.objects.filter(access.visible(actor, Enrolment), pk=enrolment_id)
        .select_related("plan", "waiver", "fee_record")
        .first()
    )
    if enrolment is None:
        raise NotFound("enrolment")
    schedule = FeeSchedule.objects.filter(plan_id=enrolment.plan_id).first()
    waiver = getattr(enrolment, "waiver", None)
    record = getattr(enrolment, "fee_record", None)
    waived = waiver.waived_fen if waiver else 0
    fee = schedule.fee_fen_per_term if schedule else 0
    due = rules_money.amount_due(fee, waived)
    return ChildFee(
        enrolment=enrolment,
        schedule=schedule,
        waived_fen=waived,
        waiver_category=waiver.get_category_display() if waiver else "",
        due_fen=due,
        paid=bool(record and record.paid),
        refund_fen=rules_money.refund_due(record.paid, record.amount_fen, due) if record else 0,
    )


# The survey


def survey_sums(answers: QuerySet[SurveyAnswer]) -> tuple[int, dict[str, int]]:
    totals = answers.aggregate(n=Count("pk"), **{q: Sum(q) for q in rules_money.SURVEY_QUESTIONS})
    count = int(totals.pop("n") or 0)
    return count, {q: int(v or 0) for q, v in totals.items()}


def survey_summary(answers: QuerySet[SurveyAnswer], min_cell: int) -> rules_money.ScoreSummary:
    count, sums = survey_sums(answers)
    return rules_money.summarise(count, sums, min_cell)


def survey_comments(answers: QuerySet[SurveyAnswer], min_cell: int) -> list[str]:
    """Comments only where the answers reach the minimum cell, in a stable order that says nothing of who."""
    if answers.count() < min_cell:
        return []
    return sorted(c for c in answers.exclude(comment="").values_list("comment", flat=True))
