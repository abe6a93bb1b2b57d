"""The demo's after-school service (demo preset only), so the demo logins see real pages:

- `bureau` (商丘市) sets a "1+3+N" course framework and puts four courses on the city's menu (a university, the
  youth centre, an approved institution, volunteers);
- `leader` sets 商丘市第一实验小学's plan for the term going on (Monday to Friday, homework guidance then
  activities), adds the school's own courses and orders twelve offerings;
- `parent` signs up the grade-4 child with consent and ranks three courses; the grade-2 child is left for the
  parent to sign up;
- about nine in ten other pupils of the school are signed up from the paper consent forms the school collected
  (a bulk seed path: rows written directly, consent recorded by the school leader, one event each);
- the window then closes and `leader` draws the seats with a published seed, so there are seats and waitlists.

Other schools have no plan, which the bureau's coverage page shows. Services run outside the seed's transaction
(each is a durable use case: seeding.run leaves them out inside a caller's transaction); a date outside any term
skips this step.
Deterministic for a given seed, apart from timestamps (the window is set around the day the demo is seeded).
"""

import random
from dataclasses import dataclass
from datetime import time, timedelta

from django.utils import timezone

from shuangjian.afterschool.models import Enrolment, EnrolmentEvent, EventKind, Offering, Preference, ServicePlan
from shuangjian.afterschool.services import allocation, enrolment, menu, plans
from shuangjian.core import calendar
from shuangjian.core.models import GuardianLink, Role, RoleAssignment, School, Student, StudentStatus, User
from shuangjian.seeding.afterschool_operations import seed_afterschool_operations
from shuangjian.seeding.presets import CITY_CODE, DEMO_COUNTY
from shuangjian.training.models import Institution, InstitutionKind, LicenceStatus, NonAcademicCategory

SEED_SOURCE = "选课截止次日福彩3D开奖号码"
DEMO_SEED = "385"
SIGN_UP_SHARE = 0.9
CATEGORIES = (("sports", "体育锻炼"), ("arts", "艺术素养"), ("tech", "科技创新"), ("labour", "劳动实践"))


@dataclass(frozen=True, slots=True)
class DemoCourse:
    category: str
    title: str
    kind: str
    provider: str
    grades: tuple[int, int]
    capacity: int
    slots: tuple[tuple[int, int], ...]  # (weekday, block)
    popularity: float
    venue: str
    fee_fen: int = 0


REGION_COURSES = (
    DemoCourse("tech", "科学小实验", "university", "商丘师范学院", (3, 6), 30, ((5, 2),), 3.0, "科学教室"),
    DemoCourse("arts", "书法", "youth_palace", "商丘市青少年活动中心", (3, 6), 30, ((2, 2),), 1.0, "书法教室"),
    DemoCourse("tech", "机器人编程", "institution", "", (5, 6), 20, ((3, 2),), 3.0, "微机室", 300),
    DemoCourse("arts", "经典诵读", "volunteer", "商丘市读书会志愿者", (1, 6), 40, ((4, 2),), 0.3, "图书室"),
)
SCHOOL_COURSES = (
    DemoCourse("sports", "校园足球", "school", "体育组", (3, 6), 30, ((1, 2), (3, 2)), 3.0, "操场"),
    DemoCourse("sports", "篮球", "school", "体育组", (4, 6), 25, ((2, 2),), 1.5, "篮球场"),
    DemoCourse("sports", "花样跳绳", "school", "体育组", (1, 3), 40, ((1, 2),), 1.0, "风雨操场"),
    DemoCourse("arts", "合唱", "school", "音乐组", (1, 6), 40, ((2, 2),), 1.0, "音乐教室"),
    DemoCourse("arts", "剪纸", "school", "美术组", (2, 6), 30, ((4, 2),), 1.0, "美术教室"),
    DemoCourse("arts", "绘本阅读", "school", "语文组", (1, 2), 35, ((3, 2),), 1.0, "图书室"),
    DemoCourse("tech", "国际象棋", "school", "数学组", (3, 6), 24, ((4, 2),), 1.5, "三楼活动室"),
    DemoCourse("labour", "校园种植园", "school", "科学组", (1, 6), 30, ((5, 2),), 0.3, "种植园"),
)


def _registered_provider() -> Institution | None:
    """An approved non-academic institution of the demo county, a science one if there is: the menu takes training
    institutions only from the registry (training.selectors.approved_non_academic)."""
    approved = Institution.objects.filter(
        county_id=DEMO_COUNTY, licence_status=LicenceStatus.APPROVED, kind=InstitutionKind.NON_ACADEMIC
    )
    science = approved.filter(category=NonAcademicCategory.SCIENCE).order_by("pk").first()
    return science or approved.order_by("pk").first()


def _draft(course: DemoCourse, category_id: int, institution: Institution | None) -> menu.CourseDraft:
    return menu.CourseDraft(
        category_id=category_id,
        title=course.title,
        provider_kind=course.kind,
        provider_name=institution.name if institution is not None else course.provider,
        provider_credit_code=institution.credit_code if institution is not None else "",
        grade_min=course.grades[0],
        grade_max=course.grades[1],
        capacity=course.capacity,
        weekly_slots=len(course.slots),
        venue=course.venue,
        fee_fen_per_session=course.fee_fen,
    )


def _plan_draft(closes_in: timedelta) -> plans.PlanDraft:
    now = timezone.now()
    return plans.PlanDraft(
        weekdays=(1, 2, 3, 4, 5),
        blocks=(
            plans.BlockDraft(1, "homework_guidance", time(16, 0), time(17, 0)),
            plans.BlockDraft(2, "activities", time(17, 10), time(18, 10)),
        ),
        enrolment_opens_at=now - timedelta(days=14),
        enrolment_closes_at=now + closes_in,
        max_preferences=3,
        courses_per_student=1,
        seed_source=SEED_SOURCE,
    )


def _menu_and_offerings(bureau: User, leader: User, school: School, plan: ServicePlan) -> dict[int, float]:
    """The framework, the city's and the school's courses, and the plan's offerings with their popularity."""
    categories = {
        code: menu.category_create(
            actor=bureau, region_code=CITY_CODE, framework="1+3+N", code=code, name=name, position=index
        ).pk
        for index, (code, name) in enumerate(CATEGORIES)
    }
    popularity: dict[int, float] = {}
    provider = _registered_provider()
    for course in REGION_COURSES + SCHOOL_COURSES:
        if course.kind == "institution" and provider is None:
            continue
        draft = _draft(course, categories[course.category], provider if course.kind == "institution" else None)
        if course.kind == "school":
            created = menu.menu_course_create_for_school(actor=leader, school_code=school.code, draft=draft)
        else:
            created = menu.menu_course_create_for_region(actor=bureau, region_code=CITY_CODE, draft=draft)
        offering = plans.offering_create(actor=leader, plan_id=plan.pk, course_id=created.pk, slots=course.slots)
        popularity[offering.pk] = course.popularity
    return popularity


def _paper_sign_ups(
    plan: ServicePlan, leader: User, skip: set[int], popularity: dict[int, float], rng: random.Random
) -> None:
    """The school records the other families' paper consent forms and choices (bulk rows, one event each)."""
    now = timezone.now()
    offerings = list(Offering.objects.filter(plan=plan).select_related("course").order_by("pk"))
    students = (
        Student.objects.filter(school=plan.school, status=StudentStatus.ENROLLED, school_class__grade__range=(1, 9))
        .exclude(pk__in=skip)
        .select_related("school_class")
        .order_by("pk")
    )
    rows: list[tuple[Enrolment, list[int]]] = []
    for student in students:
        if rng.random() >= SIGN_UP_SHARE:
            continue
        grade = student.school_class.grade
        open_to = [o for o in offerings if o.course.grade_min <= grade <= o.course.grade_max]
        wanted: list[int] = []
        for _rank in range(min(rng.choice((1, 2, 3, 3)), len(open_to))):
            left = [o for o in open_to if o.pk not in wanted]
            wanted.append(rng.choices(left, weights=[popularity[o.pk] for o in left])[0].pk)
        enrolled = Enrolment(
            plan=plan, student=student, school=plan.school, school_class=student.school_class,
            consent_by=leader, consent_at=now,
        )  # fmt: skip
        rows.append((enrolled, wanted))
    Enrolment.objects.bulk_create([e for e, _wanted in rows], batch_size=2000)
    Preference.objects.bulk_create(
        [Preference(enrolment=e, offering_id=o, rank=r) for e, wanted in rows for r, o in enumerate(wanted, start=1)],
        batch_size=2000,
    )
    EnrolmentEvent.objects.bulk_create(
        [
            EnrolmentEvent(
                enrolment=e, kind=EventKind.SIGNED_UP, actor=leader, at=now,
                detail={"paper_form": True, "offerings": wanted},
            )
            for e, wanted in rows
        ],
        batch_size=2000,
    )  # fmt: skip


def seed_afterschool_demo(seed: int) -> ServicePlan | None:
    """The demo's after-school service (see the module docstring). None when a demo login is missing, or today is
    outside every term."""
    accounts = {u.username: u for u in User.objects.filter(username__in=["bureau", "leader", "parent"])}
    if len(accounts) < 3:
        return None
    bureau, leader, parent = accounts["bureau"], accounts["leader"], accounts["parent"]
    leading = RoleAssignment.objects.filter(user=leader, role=Role.SCHOOL_LEADER).values("school_id")
    school = School.objects.filter(pk__in=leading).first()
    term = None if school is None else calendar.term_for(school, timezone.localdate())
    if school is None or term is None:
        return None
    plan = plans.plan_create(
        actor=leader,
        school_code=school.code,
        start_year=term.school_year.start_year,
        term_number=term.number,
        draft=_plan_draft(timedelta(hours=1)),
    )
    popularity = _menu_and_offerings(bureau, leader, school, plan)
    children = list(
        GuardianLink.objects.filter(guardian__user=parent)
        .order_by("-student__school_class__grade", "student_id")
        .values_list("student_id", flat=True)
    )
    older = children[0]
    signed = enrolment.enrolment_sign_up(actor=parent, plan_id=plan.pk, student_id=older, consent=True)
    by_title = dict(Offering.objects.filter(plan=plan).values_list("course__title", "pk"))
    wanted = [by_title["校园足球"], by_title["科学小实验"], by_title["国际象棋"]]
    enrolment.preferences_set(actor=parent, enrolment_id=signed.pk, offering_ids=wanted)
    _paper_sign_ups(plan, leader, set(children), popularity, random.Random(f"demo-afterschool:{seed}"))
    plans.plan_update(actor=leader, plan_id=plan.pk, draft=_plan_draft(-timedelta(minutes=1)))
    allocation.allocation_run(actor=leader, plan_id=plan.pk, seed=DEMO_SEED)
    seed_afterschool_operations(plan, leader, set(children), seed)
    return plan
