"""The role-scope matrix: each role sees exactly its scope (issue 2, item 6)."""

import pytest

from shuangjian.core import access
from shuangjian.core.models import Role, SchoolClass, Student
from shuangjian.core.testing.matrix import build_world
from shuangjian.core.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, object]:
    _province, city, liangyuan, minquan = f.regions()
    school_a = f.school(liangyuan, "梁园区前进小学")
    school_b = f.school(minquan, "民权县实验小学")
    a4_1 = f.school_class(school_a, 4, 1)
    a4_2 = f.school_class(school_a, 4, 2)
    a5_1 = f.school_class(school_a, 5, 1)
    b4_1 = f.school_class(school_b, 4, 1)
    students = {
        "a4_1": f.student(a4_1, "甲"),
        "a4_2": f.student(a4_2, "乙"),
        "a5_1": f.student(a5_1, "丙"),
        "b4_1": f.student(b4_1, "丁"),
    }
    return {"city": city, "liangyuan": liangyuan, "a": school_a, "b": school_b, "class_a4_1": a4_1, **students}


def visible_student_names(user: object) -> set[str]:
    return set(Student.objects.filter(access.visible(user, Student)).values_list("name", flat=True))


@pytest.mark.parametrize(
    ("_case", "role", "scope_keys", "expected"),
    [
        ("city bureau sees the whole city", Role.BUREAU, {"region": "city"}, {"甲", "乙", "丙", "丁"}),
        ("county bureau sees its county", Role.BUREAU, {"region": "liangyuan"}, {"甲", "乙", "丙"}),
        ("inspector sees its county", Role.INSPECTOR, {"region": "liangyuan"}, {"甲", "乙", "丙"}),
        ("school leader sees the school", Role.SCHOOL_LEADER, {"school": "a"}, {"甲", "乙", "丙"}),
        ("teacher sees the school", Role.TEACHER, {"school": "a"}, {"甲", "乙", "丙"}),
        ("counsellor sees the school", Role.COUNSELLOR, {"school": "a"}, {"甲", "乙", "丙"}),
        ("grade coordinator sees one grade", Role.GRADE_COORDINATOR, {"school": "a", "grade": 4}, {"甲", "乙"}),
        ("head teacher sees one class", Role.HEAD_TEACHER, {"school": "a", "school_class": "class_a4_1"}, {"甲"}),
        ("operator sees no student", Role.INSTITUTION_OPERATOR, {"institution_credit_code": "x"}, set()),
    ],
)
def test_each_role_sees_exactly_its_scope(
    world: dict[str, object], _case: str, role: Role, scope_keys: dict[str, object], expected: set[str]
) -> None:
    # given
    account = f.user()
    scope = {k: (world[v] if isinstance(v, str) and v in world else v) for k, v in scope_keys.items()}
    f.assign(account, role, **scope)
    # when / then
    assert visible_student_names(account) == expected


def test_guardian_sees_only_own_children(world: dict[str, object]) -> None:
    # given
    parent = f.user()
    f.guardian_of(world["a4_2"], parent)  # type: ignore[arg-type]
    # when / then
    assert visible_student_names(parent) == {"乙"}
    assert list(SchoolClass.objects.filter(access.visible(parent, SchoolClass)).values_list("name", flat=True)) == [
        "4年级2班"
    ]


def test_student_sees_only_self(world: dict[str, object]) -> None:
    me = world["b4_1"]
    account = f.user()
    f.assign(account, Role.STUDENT, school=me.school, student=me)  # type: ignore[attr-defined]
    assert visible_student_names(account) == {"丁"}


def test_user_without_roles_sees_nothing(world: dict[str, object]) -> None:
    assert visible_student_names(f.user()) == set()


def test_unregistered_action_is_refused(world: dict[str, object]) -> None:
    leader = f.user()
    f.assign(leader, Role.SCHOOL_LEADER, school=world["a"])
    assert access.can(leader, "core.no_such_action", world["a"]) is False  # type: ignore[arg-type]


FAMILY_ACTION = access.register_action("core.test_family_report", [Role.GUARDIAN, Role.STUDENT])
GUARDIAN_ONLY_ACTION = access.register_action("core.test_guardian_only", [Role.GUARDIAN])


@pytest.mark.parametrize("action", [FAMILY_ACTION, GUARDIAN_ONLY_ACTION])
def test_family_student_answers_as_permitted_does(action: str) -> None:
    # given: the matrix world (every role fixture, four students) and a guardian whose role was taken away
    world = build_world()
    lapsed = f.user("lapsed_guardian")
    f.guardian_of(world.anchors["b4_1"].student, lapsed, phone="13900000009")
    lapsed.role_assignments.filter(role=Role.GUARDIAN).delete()
    actors = [user for user in world.users.values() if user is not None] + [lapsed]
    students = [anchor.student for anchor in world.anchors.values()]
    for actor in actors:
        for student in students:
            # when
            fast = access.family_student(actor, action, student.pk)
            slow = Student.objects.filter(access.permitted(actor, action, Student), pk=student.pk).first()
            # then
            assert (fast is None) == (slow is None), (actor.username, student.pk)
            if fast is not None and slow is not None:
                assert (fast.pk, fast.school_id, fast.school_class_id) == (
                    slow.pk,
                    slow.school_id,
                    slow.school_class_id,
                )
                assert fast.as_student == access.has_role(actor, Role.STUDENT)
    assert access.family_student(world.users["guardian_a4_1"], action, 987654321) is None
    assert access.family_student(lapsed, action, world.anchors["b4_1"].student.pk) is None


def test_family_student_is_only_for_family_actions() -> None:
    teacher_action = access.register_action("core.test_teacher_only", [Role.TEACHER])
    with pytest.raises(ValueError, match="not a family action"):
        access.family_student(f.user("someone"), teacher_action, 1)
