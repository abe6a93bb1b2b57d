"""The matrix world's after-school life, built through the services as users would build it, relative to today so
the seeds never depend on the real date (used by api_matrix.py and test_api.py):
- three terms (`terms()`), and each anchor has its own plan in its school for its own term (`anchor_term`), so a
  school-wide write (a plan, a draw) happens once per anchor; `anchor.extras["plan"]`;
- the city's bureau sets a "1+3+N" framework (a city category and one per county); each school has one course per
  anchor (`extras["course"]`), and 梁园区 and 民权县 each a county course (`extras["region_course"]` on a4_1 and
  b4_1), which each plan of that county's school orders on Friday as its spare offering (`extras["spare"]`);
- every plan of a school orders every anchor's course of that school (Monday to Wednesday, block 2); the
  anchor's own in its own plan is `extras["offering"]`;
- every anchor's student is signed up by their guardian in every plan of their school and ranks their own
  course (`extras["enrolment"]`, in the anchor's plan); for the draw the window is then closed, and each plan is
  drawn (`extras["assignment"]`: the anchor's seat in its own course).
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from shuangjian.afterschool.models import Assignment
from shuangjian.afterschool.services import allocation, enrolment, menu, plans
from shuangjian.core.models import Guardian, Role, SchoolYear, Term, User
from shuangjian.core.testing.matrix import Anchor, World
from shuangjian.core.tests import factories as f

SEED = "matrix seed 2026"
SEED_SOURCE = "选课截止次日福彩3D开奖号码"
WEEKDAY = {"a4_1": 1, "a4_2": 2, "a5_1": 3, "b4_1": 1}


def _this_year() -> int:
    return timezone.localdate().year


def terms() -> dict[tuple[int, int], tuple[date, date]]:
    """Three terms around today: the current one, the next, and the one after."""
    today, year = timezone.localdate(), _this_year()
    return {
        (year, 1): (today - timedelta(days=60), today + timedelta(days=60)),
        (year, 2): (today + timedelta(days=90), today + timedelta(days=200)),
        (year + 1, 1): (today + timedelta(days=230), today + timedelta(days=350)),
    }


def anchor_term(name: str) -> tuple[int, int]:
    year = _this_year()
    return {"a4_1": (year, 1), "a4_2": (year, 2), "a5_1": (year + 1, 1), "b4_1": (year, 1)}[name]


def seed_terms(world: World) -> None:
    if "afterschool_terms" in world.extras:
        return
    for (year, number), (start, end) in terms().items():
        school_year, _created = SchoolYear.objects.get_or_create(start_year=year)
        Term.objects.create(school_year=school_year, number=number, start_date=start, end_date=end)
    bureau = f.user("matrix_afterschool_bureau")
    f.assign(bureau, Role.BUREAU, region=world.regions["city"])
    leader_b = f.user("matrix_afterschool_leader_b")
    f.assign(leader_b, Role.SCHOOL_LEADER, school=world.schools["b"])
    world.extras["afterschool_terms"] = True
    world.extras["afterschool_bureau"] = bureau
    world.extras["afterschool_leaders"] = {"a": world.users["school_leader_a"], "b": leader_b}


def leader_of(world: World, anchor: Anchor) -> Any:
    return world.extras["afterschool_leaders"]["a" if anchor.school == world.schools["a"] else "b"]


def course_body(category_id: int, title: str, provider_kind: str = "school") -> dict[str, object]:
    return {
        "category_id": category_id, "title": title, "provider_kind": provider_kind, "provider_name": "体育组",
        "grade_min": 1, "grade_max": 9, "capacity": 30, "weekly_slots": 1, "venue": "操场", "staff": "张老师",
    }  # fmt: skip


def seed_menu(world: World) -> None:
    seed_terms(world)
    if "afterschool_categories" in world.extras:
        return
    bureau, city = world.extras["afterschool_bureau"], world.regions["city"]
    city_category = menu.category_create(
        actor=bureau, region_code=city.code, framework="1+3+N", code="sports", name="体育锻炼"
    )
    counties = {
        code: menu.category_create(actor=bureau, region_code=code, framework="1+3+N", code="tech", name="科技创新")
        for code in (world.regions["liangyuan"].code, world.regions["minquan"].code)
    }
    world.extras["afterschool_categories"] = (city_category, counties)
    for name, anchor in world.anchors.items():
        draft = menu.CourseDraft(**course_body(city_category.pk, f"课程 {name}"))  # type: ignore[arg-type]
        anchor.extras["course"] = menu.menu_course_create_for_school(
            actor=leader_of(world, anchor), school_code=anchor.school.code, draft=draft
        )
    for name in ("a4_1", "b4_1"):
        anchor = world.anchors[name]
        draft = menu.CourseDraft(**course_body(city_category.pk, f"县区课程 {name}", "volunteer"))  # type: ignore[arg-type]
        anchor.extras["region_course"] = menu.menu_course_create_for_region(
            actor=bureau, region_code=anchor.school.county_id, draft=draft
        )


def spare_course_of(world: World, anchor: Anchor) -> Any:
    return world.anchors["a4_1" if anchor.school == world.schools["a"] else "b4_1"].extras["region_course"]


def window(*, open_window: bool = True) -> tuple[datetime, datetime]:
    now = timezone.now()
    if open_window:
        return now - timedelta(days=1), now + timedelta(days=14)
    return now - timedelta(days=14), now - timedelta(minutes=1)


def plan_body(*, open_window: bool = True) -> dict[str, Any]:
    opens, closes = window(open_window=open_window)
    return {
        "weekdays": [1, 2, 3, 4, 5],
        "blocks": [
            {"number": 1, "kind": "homework_guidance", "start": "16:00", "end": "17:00"},
            {"number": 2, "kind": "activities", "start": "17:10", "end": "18:10"},
        ],
        "enrolment_opens_at": opens.isoformat(),
        "enrolment_closes_at": closes.isoformat(),
        "max_preferences": 3,
        "courses_per_student": 2,
        "seed_source": SEED_SOURCE,
    }


def plan_draft(*, open_window: bool = True) -> plans.PlanDraft:
    opens, closes = window(open_window=open_window)
    return plans.PlanDraft(
        weekdays=(1, 2, 3, 4, 5),
        blocks=(
            plans.BlockDraft(1, "homework_guidance", time(16, 0), time(17, 0)),
            plans.BlockDraft(2, "activities", time(17, 10), time(18, 10)),
        ),
        enrolment_opens_at=opens,
        enrolment_closes_at=closes,
        max_preferences=3,
        courses_per_student=2,
        seed_source=SEED_SOURCE,
    )


def seed_plans(world: World) -> None:
    seed_menu(world)
    if "plan" in world.anchors["a4_1"].extras:
        return
    for name, anchor in world.anchors.items():
        year, number = anchor_term(name)
        anchor.extras["plan"] = plans.plan_create(
            actor=leader_of(world, anchor), school_code=anchor.school.code, start_year=year, term_number=number,
            draft=plan_draft(),
        )  # fmt: skip
    for anchor in world.anchors.values():
        leader, plan = leader_of(world, anchor), anchor.extras["plan"]
        for name, other in world.anchors.items():
            if other.school != anchor.school:
                continue
            offering = plans.offering_create(
                actor=leader, plan_id=plan.pk, course_id=other.extras["course"].pk, slots=[(WEEKDAY[name], 2)]
            )
            if other is anchor:
                anchor.extras["offering"] = offering
        anchor.extras["spare"] = plans.offering_create(
            actor=leader, plan_id=plan.pk, course_id=spare_course_of(world, anchor).pk, slots=[(5, 2)]
        )


def seed_plan_dates(world: World) -> None:
    seed_plans(world)
    for anchor in world.anchors.values():
        plan = anchor.extras["plan"]
        plans.plan_date_set(
            actor=leader_of(world, anchor), plan_id=plan.pk, day=plan.term.start_date, follows_weekday=None,
            reason="运动会",
        )  # fmt: skip


def guardian_account(world: World, name: str) -> User:
    """The anchor's guardian's account: guardian_a4_1 for a4_1, a seed account for the others."""
    user = world.users["guardian_a4_1"]
    if name == "a4_1" and user is not None:
        return user
    account = f.user(f"matrix_afterschool_guardian_{name}")
    Guardian.objects.filter(pk=world.anchors[name].guardian.pk).update(user=account)
    f.assign(account, Role.GUARDIAN)
    return account


def seed_enrolments(world: World) -> None:
    seed_plans(world)
    if "afterschool_enrolled" in world.extras:
        return
    accounts = {name: guardian_account(world, name) for name in world.anchors}
    for anchor in world.anchors.values():
        plan = anchor.extras["plan"]
        for name, other in world.anchors.items():
            if other.school != anchor.school:
                continue
            signed = enrolment.enrolment_sign_up(
                actor=accounts[name], plan_id=plan.pk, student_id=other.student.pk, consent=True
            )
            offering = plan.offerings.get(course=other.extras["course"])
            enrolment.preferences_set(actor=accounts[name], enrolment_id=signed.pk, offering_ids=[offering.pk])
            if other is anchor:
                anchor.extras["enrolment"] = signed
    world.extras["afterschool_enrolled"] = True


def seed_closed(world: World) -> None:
    """Every plan's window has closed (the leaders moved it into the past)."""
    seed_enrolments(world)
    for anchor in world.anchors.values():
        plans.plan_update(
            actor=leader_of(world, anchor), plan_id=anchor.extras["plan"].pk, draft=plan_draft(open_window=False)
        )


def seed_allocated(world: World) -> None:
    seed_closed(world)
    for anchor in world.anchors.values():
        allocation.allocation_run(actor=leader_of(world, anchor), plan_id=anchor.extras["plan"].pk, seed=SEED)
        anchor.extras["assignment"] = Assignment.objects.get(
            enrolment=anchor.extras["enrolment"], offering=anchor.extras["offering"]
        )
