"""The demo's after-school staffing, fees and survey (demo preset only), on the plan seeding/afterschool.py made:

- the city's [LOCAL] after-school values (fee limits, teacher subsidy per class hour, flexible hours) come from
  the demo profile (seeding.profiles);
- `leader` puts the school's staff on the homework-guidance blocks (the demo logins and eight more teachers, one
  of them serving far more than the rest, so the fairness view has something to show), and the external
  providers' people on their courses;
- `leader` publishes a fee of 300 yuan a term (the region's limits allow it), waives it for a few families in need
  and records most families as paid (bulk rows, recorded by the school leader);
- about half the families answered the satisfaction survey (bulk rows: an anonymous answer and a keyed receipt);
  the demo `parent` has not, so the survey page is there to try.
"""

import random

from django.db.models import Q
from django.utils import timezone

from shuangjian.afterschool.models import Enrolment, EnrolmentStatus, Offering, ServicePlan
from shuangjian.afterschool.models_fees import FeeRecord, WaiverCategory
from shuangjian.afterschool.models_survey import SurveyAnswer, SurveyReceipt
from shuangjian.afterschool.rules_money import SURVEY_QUESTIONS, respondent_key
from shuangjian.afterschool.services import fees, staffing
from shuangjian.core.models import GuardianLink, Role, RoleAssignment, User
from shuangjian.core.protect import keyed_hash
from shuangjian.seeding import names

FEE_FEN = 30000
EXTRA_TEACHERS = 8
WAIVED_SHARE = 0.04
PAID_SHARE = 0.8
ANSWER_SHARE = 0.5
COMMENTS = ("孩子很喜欢足球课。", "希望增加科技类课程。", "作业辅导很有帮助。", "放学接孩子的秩序可以再改进。", "")


def _teachers(plan: ServicePlan, rng: random.Random) -> list[User]:
    staff = list(
        User.objects.filter(username__in=["leader", "teacher", "headteacher", "coordinator", "counsellor"]).order_by(
            "username"
        )
    )
    for number in range(EXTRA_TEACHERS):
        teacher = User.objects.create(
            username=f"demo_afterschool_teacher_{number + 1}", display_name=names.adult_name(rng, rng.random() < 0.4)
        )
        teacher.set_unusable_password()
        teacher.save(update_fields=["password"])
        RoleAssignment.objects.create(user=teacher, role=Role.TEACHER, school=plan.school)
        staff.append(teacher)
    return staff


def _duties(leader: User, plan: ServicePlan, staff: list[User]) -> None:
    """Homework guidance (block 1) is served in turns, three people a day; the first extra teacher also looks after
    the activities block every day (the one the fairness view flags)."""
    busy = staff[len(staff) - EXTRA_TEACHERS]
    turn = 0
    for weekday in plan.weekdays:
        for _seat in range(3):
            person = staff[turn % len(staff)]
            turn += 1
            staffing.duty_assign(actor=leader, plan_id=plan.pk, weekday=weekday, block_number=1, staff_id=person.pk)
    for weekday in plan.weekdays:
        staffing.duty_assign(actor=leader, plan_id=plan.pk, weekday=weekday, block_number=2, staff_id=busy.pk)
    for offering in Offering.objects.filter(plan=plan).exclude(course__provider_kind="school").select_related("course"):
        for slot in offering.slots.all():
            staffing.duty_assign(
                actor=leader, plan_id=plan.pk, weekday=slot.weekday, block_number=slot.block_number,
                external_name=f"{offering.course.title}老师", external_provider=offering.course.provider_name,
                external_qualification="经审核的校外人员", offering_id=offering.pk,
            )  # fmt: skip


def _fees(leader: User, plan: ServicePlan, skip: set[int], rng: random.Random) -> None:
    fees.fee_set(
        actor=leader, plan_id=plan.pk, fee_fen_per_term=FEE_FEN,
        items="课后服务费：每生每学期300元，含作业辅导、看护和校内素质拓展活动；校外课程另行自愿选择。",
        funding_note="财政补助与服务性收费相结合",
    )  # fmt: skip
    enrolments = list(
        Enrolment.objects.filter(plan=plan, status=EnrolmentStatus.ACTIVE).exclude(student_id__in=skip).order_by("pk")
    )
    categories = WaiverCategory.values
    waived: set[int] = set()
    for enrolment in enrolments:
        if rng.random() < WAIVED_SHARE:
            fees.waiver_grant(
                actor=leader, enrolment_id=enrolment.pk, category=rng.choice(categories),
                reason="家庭经济困难，已核验相关证明材料。",
            )  # fmt: skip
            waived.add(enrolment.pk)
    now = timezone.now()
    FeeRecord.objects.bulk_create(
        [
            FeeRecord(
                enrolment=e, school_id=e.school_id, school_class_id=e.school_class_id, student_id=e.student_id,
                paid=True, amount_fen=FEE_FEN, recorded_by=leader, recorded_at=now,
            )
            for e in enrolments
            if e.pk not in waived and rng.random() < PAID_SHARE
        ],
        batch_size=2000,
    )  # fmt: skip


def _survey(plan: ServicePlan, skip: set[int], rng: random.Random) -> None:
    links = dict(
        GuardianLink.objects.filter(student__in=Enrolment.objects.filter(plan=plan).values("student_id"))
        .filter(Q(is_primary=True) | Q(guardian__user__isnull=False))
        .values_list("student_id", "guardian_id")
    )
    answers, receipts = [], []
    for student_id, guardian_id in sorted(links.items()):
        if student_id in skip or rng.random() >= ANSWER_SHARE:
            continue
        base = rng.choice((3, 4, 4, 5, 5))
        scores = {q: max(1, min(5, base + rng.choice((-1, 0, 0, 1)))) for q in SURVEY_QUESTIONS}
        answers.append(SurveyAnswer(plan=plan, school_id=plan.school_id, comment=rng.choice(COMMENTS), **scores))
        # paper-form families have no account: their receipt is keyed by the guardian record instead
        respondent = keyed_hash(respondent_key(-guardian_id, student_id, plan.pk))
        receipts.append(SurveyReceipt(plan=plan, respondent_hash=respondent))
    rng.shuffle(answers)
    SurveyAnswer.objects.bulk_create(answers, batch_size=2000)
    SurveyReceipt.objects.bulk_create(receipts, batch_size=2000)


def seed_afterschool_operations(plan: ServicePlan, leader: User, skip: set[int], seed: int) -> None:
    """`skip`: the demo parent's children, left for the demo logins to try."""
    rng = random.Random(f"demo-afterschool-operations:{seed}")
    _duties(leader, plan, _teachers(plan, rng))
    _fees(leader, plan, skip, rng)
    _survey(plan, skip, rng)
