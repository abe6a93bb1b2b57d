"""The matrix world's training institutions, built through the services as a bureau and an operator would:
- one institution per county (anchor.extras["institution"]): 梁园区's, run by the institution_operator fixture
  (matrix.OPERATOR_CREDIT_CODE), for a4_1, a4_2 and a5_1; 民权县's for b4_1. Both are offline academic
  institutions, registered, approved, with one site and one qualified teacher;
- terms around today, so that a course on weekdays in the coming weeks is legal (`seed_courses`): each institution
  gets one valid course (`extras["course"]`), and one course breaking T5 (`extras["violating_course"]`, written
  directly: the service would refuse it);
- a sanction in force on each (`seed_sanctions`).
Dates are relative to today, so the seeds never depend on the real date.
"""

from collections.abc import Callable
from datetime import date, time, timedelta

from django.utils import timezone
from stdnum.cn import uscc

from shuangjian.core import protect
from shuangjian.core.models import Role, SchoolYear, Term, User
from shuangjian.core.testing.matrix import OPERATOR_CREDIT_CODE, Anchor, World
from shuangjian.core.tests import factories as f
from shuangjian.training.models import Complaint, Course, Institution, TimetableEntry
from shuangjian.training.services import complaints, courses, premises, registry


def credit_code(body: str) -> str:
    """A valid GB 32100 code from its first 17 characters."""
    return body + uscc.calc_check_digit(body)


MINQUAN_CREDIT_CODE = credit_code("52411421MJY000001")


def _bureau(world: World) -> User:
    if "training_bureau" not in world.extras:
        bureau = f.user("matrix_training_bureau")
        f.assign(bureau, Role.BUREAU, region=world.regions["city"])
        world.extras["training_bureau"] = bureau
    user: User = world.extras["training_bureau"]
    return user


def _operator_of(world: World, institution: Institution) -> User:
    if institution.credit_code == OPERATOR_CREDIT_CODE:
        operator = world.users["institution_operator"]
        assert operator is not None
        return operator
    key = f"training_operator_{institution.credit_code}"
    if key not in world.extras:
        account = f.user(f"matrix_training_operator_{institution.pk}")
        f.assign(account, Role.INSTITUTION_OPERATOR, institution_credit_code=institution.credit_code)
        world.extras[key] = account
    user: User = world.extras[key]
    return user


def _register(world: World, code: str, name: str, county_code: str) -> Institution:
    bureau = _bureau(world)
    draft = registry.InstitutionDraft(
        credit_code=code,
        name=name,
        kind="academic",
        mode="offline",
        county_code=county_code,
        legal_representative="张明",
        address="商丘市某路 1 号",
    )
    institution = registry.institution_register(actor=bureau, draft=draft)
    registry.licence_change(
        actor=bureau, institution_id=institution.pk, action="approve", licence_number=f"教民{code[-6:]}号"
    )
    premises.site_add(
        actor=bureau, institution_id=institution.pk, address="商丘市某路 1 号二楼", area_square_metres=120
    )
    premises.staff_add(
        actor=bureau, institution_id=institution.pk, name="李老师", teaches=True, qualification_number="20214114200001"
    )
    return Institution.objects.get(pk=institution.pk)


def seed_institutions(world: World) -> None:
    if "training_institutions" in world.extras:
        return
    liangyuan = _register(world, OPERATOR_CREDIT_CODE, "梁园区启明培训学校", world.regions["liangyuan"].code)
    minquan = _register(world, MINQUAN_CREDIT_CODE, "民权县博雅培训学校", world.regions["minquan"].code)
    world.extras["training_institutions"] = (liangyuan, minquan)
    for name, anchor in world.anchors.items():
        anchor.extras["institution"] = minquan if name == "b4_1" else liangyuan


def institution_of(anchor: Anchor) -> Institution:
    institution: Institution = anchor.extras["institution"]
    return institution


def seed_terms(world: World) -> None:
    if "training_terms" in world.extras:
        return
    today = timezone.localdate()
    school_year, _created = SchoolYear.objects.get_or_create(start_year=today.year)
    Term.objects.create(
        school_year=school_year, number=1, start_date=today - timedelta(days=60), end_date=today + timedelta(days=90)
    )
    world.extras["training_terms"] = True


def next_weekday(weekday: int, after: date) -> date:
    return after + timedelta(days=(weekday - after.isoweekday()) % 7 or 7)


def course_draft(site_id: int | None, title: str = "初中数学提高班") -> courses.CourseDraft:
    """A legal offline academic course: Wednesdays 18:00-19:30 for four weeks from next week."""
    start = next_weekday(3, timezone.localdate() + timedelta(days=7))
    return courses.CourseDraft(
        title=title,
        subject="数学",
        grade_min=7,
        grade_max=9,
        lesson_minutes=90,
        lesson_count=4,
        class_size=20,
        price_fen_per_lesson=6000,
        charge_lessons=4,
        charge_months=1,
        start_date=start,
        end_date=start + timedelta(days=21),
        sittings=(courses.SittingDraft(time(18, 0), time(19, 30), weekday=3),),
        site_id=site_id,
    )


def seed_courses(world: World) -> None:
    seed_institutions(world)
    seed_terms(world)
    if "training_courses" in world.extras:
        return
    made: dict[int, tuple[Course, Course]] = {}
    for institution in world.extras["training_institutions"]:
        site = institution.sites.get()
        draft = course_draft(site.pk)
        course = courses.course_create(
            actor=_operator_of(world, institution), institution_id=institution.pk, draft=draft
        )
        saturday = Course.objects.create(
            institution=institution,
            site=site,
            title="周六数学班",
            subject="数学",
            grade_min=7,
            grade_max=9,
            lesson_minutes=90,
            lesson_count=4,
            class_size=20,
            price_fen_per_lesson=6000,
            charge_lessons=4,
            charge_months=1,
            start_date=draft.start_date,
            end_date=draft.end_date,
            created_by=_bureau(world),
        )
        TimetableEntry.objects.create(course=saturday, weekday=6, start_time=time(9, 0), end_time=time(10, 30))
        made[institution.pk] = (course, saturday)
    world.extras["training_courses"] = True
    for anchor in world.anchors.values():
        anchor.extras["course"], anchor.extras["violating_course"] = made[institution_of(anchor).pk]


def seed_sanctions(world: World) -> None:
    seed_institutions(world)
    if "training_sanctions" in world.extras:
        return
    for institution in world.extras["training_institutions"]:
        draft = registry.SanctionDraft(
            kind="warning",
            reason="超前超标培训",
            authority=f"{institution.county.name}教育体育局",
            starts_on=timezone.localdate() - timedelta(days=3),
        )
        registry.sanction_add(actor=_bureau(world), institution_id=institution.pk, draft=draft)
    world.extras["training_sanctions"] = True


def seed_complaint(world: World) -> None:
    if "training_complaint" in world.extras:
        return
    draft = complaints.ComplaintDraft(
        county_code=world.regions["liangyuan"].code,
        institution_name="某培训班",
        content="周末上数学课",
        wants_reply=False,
    )
    world.extras["training_complaint"] = complaints.complaint_file(draft=draft)


# Complaints being handled: one per anchor (anchor.extras["complaint"]), about the anchor's institution, in the status
# an endpoint needs. Written directly (the matrix seeds 16 endpoints x 13 roles; the services that make these states
# are tested in test_complaint_handling.py). The city's inspector may take any of them.

_STEPS = ("received", "triaged", "assigned", "investigating", "resolved")


def _city_inspector(world: World) -> User:
    if "training_city_inspector" not in world.extras:
        inspector = f.user("matrix_training_city_inspector")
        f.assign(inspector, Role.INSPECTOR, region=world.regions["city"])
        world.extras["training_city_inspector"] = inspector
    user: User = world.extras["training_city_inspector"]
    return user


def _complaint_at(world: World, anchor: Anchor, status: str) -> Complaint:
    institution = institution_of(anchor)
    reached = _STEPS.index(status)
    phone = protect.protect_phone("13900001111")
    return Complaint.objects.create(
        reference=f"TSMATRIX{anchor.name.upper()}",
        channel="web",
        county_id=institution.county_id,
        city_id=institution.city_id,
        province_id=institution.province_id,
        institution=institution,
        institution_name=institution.name,
        content=f"{anchor.name}：周六上数学课",
        wants_reply=True,
        phone_digest=phone.digest,
        phone_masked=phone.masked,
        phone_cipher=phone.cipher,
        status=status,
        received_at=timezone.now(),
        category="schedule" if reached >= 1 else "",
        priority="normal" if reached >= 1 else "",
        assignee=_city_inspector(world) if reached >= 2 else None,
        outcome="substantiated" if reached >= 4 else "",
        reply="已责令整改" if reached >= 4 else "",
        resolved_at=timezone.now() if reached >= 4 else None,
    )


def seed_complaints_at(status: str) -> Callable[[World], None]:
    def seed(world: World) -> None:
        seed_institutions(world)
        if "training_handled_complaints" in world.extras:
            return
        _city_inspector(world)  # the assignee of complaint_assign's body
        for anchor in world.anchors.values():
            anchor.extras["complaint"] = _complaint_at(world, anchor, status)
        world.extras["training_handled_complaints"] = status

    return seed


def complaint_of(anchor: Anchor) -> Complaint:
    complaint: Complaint = anchor.extras["complaint"]
    return complaint
