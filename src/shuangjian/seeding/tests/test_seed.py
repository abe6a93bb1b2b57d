"""The seed command and its presets (issue 2, item 8)."""

import io
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import translation

from shuangjian.core import access, protect
from shuangjian.core.identity import parse_resident_id, validate_credit_code, validate_phone
from shuangjian.core.models import (
    Guardian,
    GuardianLink,
    Region,
    Role,
    RoleAssignment,
    School,
    SchoolClass,
    SchoolGroup,
    SchoolYear,
    Staff,
    Stage,
    Student,
    TeachingAssignment,
    Term,
    User,
)
from shuangjian.policy.services import profile_publish
from shuangjian.seeding import class_sizes, presets
from shuangjian.seeding.accounts import DEMO_CREDIT_CODE, DEMO_PASSWORD
from shuangjian.seeding.presets import CITY_STAFF, CITY_STUDENTS, Preset, build_plan
from shuangjian.seeding.run import seed_database
from shuangjian.training.models import GuidancePriceChange, Institution
from shuangjian.training.selectors import guidance_base_fen, violation_list

DEMO_USERNAMES = [
    "admin",
    "bureau",
    "inspector",
    "leader",
    "teacher",
    "headteacher",
    "coordinator",
    "counsellor",
    "parent",
    "student",
    "operator",
]


def run_seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    """Everything a seed decides, minus the ciphertexts (random nonces) and the IDs of ORM-created rows."""
    return {
        "schools": list(School.objects.order_by("code").values_list("code", "name", "stage", "ownership", "boarding")),
        "classes": list(
            SchoolClass.objects.order_by("pk").values_list("pk", "school__code", "grade", "number", "name")
        ),
        "students": sorted(
            Student.objects.values_list(
                "pk", "student_number", "name", "gender", "birth_date", "resident_id_digest", "resident_id_masked"
            )
        ),
        "guardians": list(Guardian.objects.order_by("pk").values_list("pk", "name", "phone_digest", "phone_masked")),
        "links": list(GuardianLink.objects.order_by("pk").values_list("guardian_id", "student_id", "relation")),
        "staff": list(Staff.objects.order_by("pk").values_list("pk", "name", "subjects", "title", "start_date")),
    }


def seeded_then_rolled_back(seed: int) -> dict[str, list[tuple[object, ...]]]:
    """Seed a small county on the empty test database, take a snapshot, and roll it all back."""
    with transaction.atomic():
        seed_database(preset=Preset.COUNTY, seed=seed, scale=0.02)
        taken = snapshot()
        transaction.set_rollback(True)
    return taken


# --- the demo preset (seeded once for the class, rolled back at the end) ------------------------------------


@pytest.fixture(scope="class")
def demo_output(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    # Class-scoped: set up before the suite's per-test default language, so an earlier English request may linger.
    with django_db_blocker.unblock(), transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        yield run_seed("--preset", "demo", "--seed", "1")
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_output")
class TestDemoPreset:
    def test_regions_are_henan_shangqiu_and_its_nine_counties(self) -> None:
        assert sorted(Region.objects.values_list("code", "name", "level", "parent_id")) == [
            ("410000", "河南省", "province", None),
            ("411400", "商丘市", "city", "410000"),
            ("411402", "梁园区", "county", "411400"),
            ("411403", "睢阳区", "county", "411400"),
            ("411421", "民权县", "county", "411400"),
            ("411422", "睢县", "county", "411400"),
            ("411423", "宁陵县", "county", "411400"),
            ("411424", "柘城县", "county", "411400"),
            ("411425", "虞城县", "county", "411400"),
            ("411426", "夏邑县", "county", "411400"),
            ("411481", "永城市", "county", "411400"),
        ]

    def test_schools_are_the_named_ones_across_three_counties(self) -> None:
        assert list(
            School.objects.order_by("code").values_list(
                "code", "name", "stage", "ownership", "boarding", "county_id", "city_id", "province_id"
            )
        ) == [
            ("4114020001", "商丘市第一实验小学", "primary", "public", False, "411402", "411400", "410000"),
            ("4114020002", "商丘市第二实验小学", "primary", "public", False, "411402", "411400", "410000"),
            ("4114020003", "商丘市培文小学", "primary", "private", True, "411402", "411400", "410000"),
            ("4114020004", "梁园区前进小学", "primary", "public", False, "411402", "411400", "410000"),
            ("4114020005", "梁园区双八镇九年一贯制学校", "nine_year", "public", True, "411402", "411400", "410000"),
            ("4114210001", "民权县实验小学", "primary", "public", False, "411421", "411400", "410000"),
            ("4114260001", "夏邑县第二初级中学", "junior", "public", True, "411426", "411400", "410000"),
        ]

    def test_school_groups_hold_two_schools_each(self) -> None:
        groups = {
            group.name: sorted(group.schools.values_list("name", flat=True))
            for group in SchoolGroup.objects.filter(region_id="411402")
        }
        assert groups == {
            "商丘市第一实验小学教育集团": ["商丘市第一实验小学", "梁园区前进小学"],
            "商丘市第二实验小学教育集团": ["商丘市第二实验小学", "梁园区双八镇九年一贯制学校"],
        }
        assert SchoolGroup.objects.count() == 2

    def test_school_years_and_default_terms(self) -> None:
        assert list(SchoolYear.objects.values_list("start_year", flat=True)) == [2025, 2026]
        terms: list[tuple[object, ...]] = list(
            Term.objects.order_by("school_year__start_year", "number").values_list(
                "school_year__start_year", "number", "start_date", "end_date", "region_id"
            )
        )
        assert terms == [
            (2025, 1, date(2025, 9, 1), date(2026, 1, 23), None),
            (2025, 2, date(2026, 2, 24), date(2026, 7, 10), None),
            (2026, 1, date(2026, 9, 1), date(2027, 1, 22), None),
        ]

    def test_every_grade_has_two_or_three_classes(self) -> None:
        per_grade = Counter(SchoolClass.objects.values_list("school__code", "grade"))
        assert set(per_grade.values()) <= {2, 3}
        grades = {code: sorted(g for c, g in per_grade if c == code) for code, _ in per_grade}
        assert grades["4114020001"] == [1, 2, 3, 4, 5, 6]
        assert grades["4114020005"] == [1, 2, 3, 4, 5, 6, 7, 8, 9]
        assert grades["4114260001"] == [7, 8, 9]

    def test_class_sizes_are_within_the_national_limits(self) -> None:
        for school_class in SchoolClass.objects.select_related("school").annotate(size=Count("students")):
            stage = Stage.PRIMARY if school_class.grade <= 6 else Stage.JUNIOR
            limit = class_sizes.class_size_max(school_class.school.county_id, stage, date(2026, 9, 1))
            assert 1 <= school_class.size <= limit

    def test_every_resident_id_is_valid_and_matches_the_student(self) -> None:
        # given
        students = list(Student.objects.select_related("school_class"))
        assert len(students) > 3000
        # when / then
        for student in students:
            number = protect.decrypt(student.resident_id_cipher)
            parsed = parse_resident_id(number)
            assert parsed.birth_date == student.birth_date
            assert parsed.gender == student.gender
            assert number.startswith(student.school.county_id)
            assert student.student_number == "G" + number
            assert student.resident_id_digest == protect.keyed_hash(number)
            assert student.resident_id_masked == protect.mask_resident_id(number)
            born_from, born_to = presets.cohort_window(2026, student.school_class.grade)
            assert born_from <= student.birth_date <= born_to
        assert len({s.student_number for s in students}) == len(students)

    def test_guardians_have_valid_unique_phones_and_one_or_two_per_student(self) -> None:
        phones = [protect.decrypt(g.phone_cipher) for g in Guardian.objects.all()]
        assert all(validate_phone(p) == p for p in phones)
        assert len(set(phones)) == len(phones)
        per_student = Counter(GuardianLink.objects.values_list("student_id", flat=True))
        assert set(per_student.values()) <= {1, 2}
        assert len(per_student) == Student.objects.count()
        primaries = Counter(GuardianLink.objects.filter(is_primary=True).values_list("student_id", flat=True))
        assert set(primaries.values()) == {1}

    def test_staff_ratio_follows_the_city(self) -> None:
        ratio = Staff.objects.count() / Student.objects.count()
        assert ratio == pytest.approx(CITY_STAFF / CITY_STUDENTS, abs=0.001)
        subjects = Counter(s for staff in Staff.objects.all() for s in staff.subjects)
        assert subjects.most_common(2)[0][0] in {"语文", "数学"}

    def test_demo_users_and_role_assignments(self) -> None:
        assert sorted(User.objects.values_list("username", flat=True)) == sorted(DEMO_USERNAMES)
        found = {
            a.user.username: (
                a.role,
                a.region_id,
                a.school.name if a.school else None,
                a.grade,
                a.school_class.name if a.school_class else None,
                a.student_id is not None,
                a.institution_credit_code,
                a.subjects,
            )
            for a in RoleAssignment.objects.select_related("user", "school", "school_class")
        }
        school = "商丘市第一实验小学"
        assert found == {
            "bureau": (Role.BUREAU, "411400", None, None, None, False, "", []),
            "inspector": (Role.INSPECTOR, "411402", None, None, None, False, "", []),
            "leader": (Role.SCHOOL_LEADER, None, school, None, None, False, "", []),
            "teacher": (Role.TEACHER, None, school, None, None, False, "", ["语文"]),
            "headteacher": (Role.HEAD_TEACHER, None, school, None, "四年级（1）班", False, "", ["英语"]),
            "coordinator": (Role.GRADE_COORDINATOR, None, school, 4, None, False, "", []),
            "counsellor": (Role.COUNSELLOR, None, school, None, None, False, "", []),
            "parent": (Role.GUARDIAN, None, None, None, None, False, "", []),
            "student": (Role.STUDENT, None, school, None, None, True, "", []),
            "operator": (Role.INSTITUTION_OPERATOR, None, None, None, None, False, DEMO_CREDIT_CODE, []),
        }
        assert validate_credit_code(DEMO_CREDIT_CODE) == DEMO_CREDIT_CODE
        assert User.objects.get(username="admin").is_superuser
        staff_users = Staff.objects.filter(user__isnull=False).values_list("user__username", "school__name")
        assert sorted(staff_users) == [
            (u, school) for u in sorted(["coordinator", "counsellor", "headteacher", "leader", "teacher"])
        ]

    def test_parent_has_two_children_in_the_school_and_the_student_is_one(self) -> None:
        # given
        parent = User.objects.get(username="parent")
        student_user = User.objects.get(username="student")
        # when
        children = Student.objects.filter(access.visible(parent, Student)).select_related("school", "school_class")
        own = Student.objects.filter(access.visible(student_user, Student))
        # then
        assert sorted((c.school.name, c.school_class.grade) for c in children) == [
            ("商丘市第一实验小学", 2),
            ("商丘市第一实验小学", 4),
        ]
        assert len({c.name[0] for c in children}) == 1  # siblings share the family name
        assert [s.pk for s in own] == [c.pk for c in children if c.school_class.grade == 4]
        assert Guardian.objects.get(user=parent).links.count() == 2

    def test_each_demo_login_authenticates(self) -> None:
        for username in DEMO_USERNAMES:
            assert authenticate(username=username, password=DEMO_PASSWORD) is not None, username
        assert authenticate(username="bureau", password="wrong") is None

    def test_guidance_prices_are_set_and_the_operator_s_legal_course_stays_under_them(self) -> None:
        operator_institution = Institution.objects.get(credit_code=DEMO_CREDIT_CODE)
        assert guidance_base_fen(operator_institution, "数学", "offline") == 4500  # the county's own price
        assert GuidancePriceChange.objects.count() == 7
        flagged = {v.course_title for v in violation_list(actor=User.objects.get(username="bureau"))}
        assert flagged == {"周末数学强化"}  # the Saturday course only, not its price

    def test_output_lists_every_login(self, demo_output: str) -> None:
        assert "已生成 demo 数据：7 所学校" in demo_output
        table = demo_output.split("演示账号", 1)[1]
        for username in DEMO_USERNAMES:
            assert f"\n{username} " in table
        assert table.count(DEMO_PASSWORD) == len(DEMO_USERNAMES)
        assert "52411402MJY4R2717" in table

    def test_if_empty_does_nothing_and_prints_the_logins_again(self) -> None:
        # given
        before = snapshot()
        users = User.objects.count()
        # when
        output = run_seed("--preset", "demo", "--seed", "2", "--if-empty")
        # then
        assert "未重新生成" in output
        assert all(f"\n{username} " in output for username in DEMO_USERNAMES)
        assert snapshot() == before
        assert User.objects.count() == users

    def test_without_if_empty_a_second_seed_is_refused_and_changes_nothing(self) -> None:
        before = snapshot()
        with pytest.raises(CommandError, match="已有学校数据"):
            run_seed("--preset", "demo")
        assert snapshot() == before


# --- determinism, scaled presets, limits ---------------------------------------------------------------------


@pytest.mark.django_db
def test_same_seed_gives_identical_data_and_another_seed_different_data() -> None:
    # when
    first = seeded_then_rolled_back(seed=7)
    second = seeded_then_rolled_back(seed=7)
    other = seeded_then_rolled_back(seed=8)
    # then
    assert first == second
    assert len(first["students"]) == 1400
    assert sorted((s[1], s[2]) for s in first["students"]) == sorted((s[1], s[2]) for s in second["students"])
    assert sorted((s[1], s[2]) for s in other["students"]) != sorted((s[1], s[2]) for s in first["students"])
    assert [s[2] for s in other["students"]] != [s[2] for s in first["students"]]
    assert School.objects.count() == 0


@pytest.mark.django_db
def test_class_sizes_follow_a_tightened_provincial_profile() -> None:
    # given: Henan tightens the class-size limits before the seed runs
    henan = Region.objects.create(code="410000", name="河南省", level="province")
    bureau = User.objects.create_user(username="henan-bureau", password="pw-123456!")
    RoleAssignment.objects.create(user=bureau, role=Role.BUREAU, region=henan)
    profile_publish(
        actor=bureau,
        region=henan,
        effective_from=date(2025, 8, 1),
        values={"school.class_size_max.primary": 30, "school.class_size_max.junior": 35},
        note="test",
    )
    # when
    seed_database(preset=Preset.DEMO, seed=1)
    # then
    sizes = SchoolClass.objects.annotate(size=Count("students")).values_list("grade", "size")
    assert max(size for grade, size in sizes if grade <= 6) == 30
    assert max(size for grade, size in sizes if grade > 6) == 35
    assert Student.objects.count() == build_plan(Preset.DEMO, seed=1).students


def test_city_plan_matches_the_seed_figures() -> None:
    # when
    plan = build_plan(Preset.CITY, seed=1)
    # then
    assert len(plan.schools) == 2195
    assert plan.students == 1_266_400
    assert plan.staff == 90_467
    assert len(plan.groups) == 54
    assert sum(1 for s in plan.schools if s.group_key is not None) == 161
    assert {s.county_code for s in plan.schools} == {r.code for r in plan.regions if r.level == "county"}
    assert len({s.code for s in plan.schools}) == len({s.name for s in plan.schools}) == 2195
    assert {s.stage for s in plan.schools} == {Stage.PRIMARY, Stage.JUNIOR, Stage.NINE_YEAR}
    assert sum(1 for s in plan.schools if s.demo_anchor) == 1
    assert {n.name for n in presets.NAMED_SCHOOLS} <= {s.name for s in plan.schools}


def test_county_plan_is_one_county_at_realistic_scale() -> None:
    plan = build_plan(Preset.COUNTY, seed=1)
    assert len(plan.schools) == 120
    assert plan.students == 70_000
    assert {s.county_code for s in plan.schools} == {"411402"}
    assert plan.staff == round(70_000 * CITY_STAFF / CITY_STUDENTS)


def test_plans_are_deterministic() -> None:
    assert build_plan(Preset.CITY, seed=3) == build_plan(Preset.CITY, seed=3)
    assert build_plan(Preset.CITY, seed=3) != build_plan(Preset.CITY, seed=4)


@pytest.mark.django_db
def test_scale_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(CommandError, match="--scale"):
        run_seed("--preset", "county", "--scale", "2")
    assert School.objects.count() == 0


# --- PostgreSQL: the COPY path -------------------------------------------------------------------------------


@pytest.mark.requires_postgres
@pytest.mark.django_db
def test_copy_path_loads_a_small_county_and_moves_the_sequences() -> None:
    # given
    assert connection.vendor == "postgresql"
    plan = build_plan(Preset.COUNTY, seed=1, scale=0.02)
    # when
    result = seed_database(preset=Preset.COUNTY, seed=1, scale=0.02)
    # then
    assert result.counts["students"] == plan.students == 1400
    assert result.counts["staff"] == plan.staff
    assert result.counts["guardian_links"] == GuardianLink.objects.count() >= result.counts["students"]
    assert sorted(s.subjects for s in Staff.objects.filter(user__username="teacher")) == [["语文"]]
    top = SchoolClass.objects.order_by("-pk").values_list("pk", flat=True).first()
    school = School.objects.get(code="4114020001")
    added = SchoolClass.objects.create(school=school, grade=1, number=99, name="一年级（99）班", entry_year=2026)
    assert top is not None and added.pk == top + 1
    for student in Student.objects.order_by("pk")[:200]:
        parsed = parse_resident_id(protect.decrypt(student.resident_id_cipher))
        assert (parsed.birth_date, parsed.gender) == (student.birth_date, student.gender)


@pytest.mark.django_db
def test_demo_classes_have_their_teachers() -> None:
    # given
    seed_database(preset=Preset.DEMO, seed=1)
    # when
    anchor = TeachingAssignment.objects.filter(school_class__name="四年级（1）班", school__name="商丘市第一实验小学")
    # then: the demo logins teach the anchor class, and every class has a teacher of 语文 and 数学
    demo = anchor.filter(subject__in=["语文", "数学", "英语"])
    assert dict(demo.values_list("subject", "staff__user__username")) == {
        "语文": "teacher",
        "数学": "coordinator",
        "英语": "headteacher",
    }
    for subject in ("语文", "数学"):
        assert not SchoolClass.objects.exclude(teaching_assignments__subject=subject).exists()
