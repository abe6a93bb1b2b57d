"""The sign-out sheet a teacher holds at the gate (phone): a class's children in the service on a day, each with
their registered guardians, whether they may leave alone, and whether they are signed out already."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from shuangjian.afterschool.models import LeaveAlonePermission, PlanBlock, SignOut
from shuangjian.afterschool.selectors_attendance import class_for_attendance, class_students, plan_on, service_day
from shuangjian.core.errors import NotFound
from shuangjian.core.models import GuardianLink, SchoolClass, Student


@dataclass(frozen=True, slots=True)
class SheetLine:
    student: Student
    guardians: list[GuardianLink]
    leave_alone: bool
    signed_out: SignOut | None


@dataclass(frozen=True, slots=True)
class SignOutSheet:
    school_class: SchoolClass
    day: date
    block: PlanBlock  # the day's last block: children leave when it ends
    lines: list[SheetLine]

    @property
    def waiting(self) -> int:
        return sum(1 for line in self.lines if line.signed_out is None)


def sign_out_sheet(*, actor: Any, class_id: int, day: date) -> SignOutSheet:
    """Refused like the class's roster: NotFound out of scope, AccessDenied for a teacher not of the class, a
    DomainError on a day without service."""
    school_class = class_for_attendance(actor=actor, class_id=class_id)
    plan = plan_on(school_class.school_id, day)
    service_day(plan, day)
    block = plan.blocks.order_by("-number").first()
    students = class_students(plan, school_class, day)
    ids = [s.pk for s in students]
    done = {s.student_id: s for s in SignOut.objects.filter(student_id__in=ids, day=day).select_related("guardian")}
    links: dict[int, list[GuardianLink]] = defaultdict(list)
    for link in (
        GuardianLink.objects.filter(student_id__in=ids).select_related("guardian").order_by("-is_primary", "pk")
    ):
        links[link.student_id].append(link)
    alone = set(
        LeaveAlonePermission.objects.filter(student_id__in=ids, allowed=True).values_list("student_id", flat=True)
    )
    lines = [SheetLine(s, links[s.pk], s.pk in alone, done.get(s.pk)) for s in students]
    if block is None:  # a plan always has a block (plans.plan_create refuses none)
        raise NotFound("block")
    return SignOutSheet(school_class, day, block, lines)
