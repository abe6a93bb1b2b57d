"""Demo logins: one user per role around 商丘市第一实验小学, plus a Django-admin superuser.

The password is shared and published (printed, documented): the accounts exist for the demo only and must
never be created on a production database. Users and role assignments are written through the ORM here,
in the seed path (STYLE.md 5 allows it for seeds).
"""

import random
from dataclasses import dataclass
from typing import Final

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from shuangjian.core.models import (
    Guardian,
    GuardianLink,
    Region,
    Role,
    RoleAssignment,
    School,
    SchoolClass,
    Staff,
    Student,
    User,
)
from shuangjian.core.selectors import scope_label
from shuangjian.seeding import names
from shuangjian.seeding.generate import DemoAnchor
from shuangjian.seeding.presets import CITY_CODE, DEMO_COUNTY

DEMO_PASSWORD: Final = "shuangjian-demo"  # noqa: S105 - published on purpose: demo accounts only
ADMIN_USERNAME: Final = "admin"
# A made-up training institution (民办非企业单位 registered in 梁园区); its check digit is computed by stdnum.
_CREDIT_CODE_BODY: Final = "52" + DEMO_COUNTY + "MJY4R2717"
DEMO_CREDIT_CODE: Final = _CREDIT_CODE_BODY + uscc.calc_check_digit(_CREDIT_CODE_BODY)

# username -> role, in the order the table lists them.
DEMO_USERS: Final = (
    ("bureau", Role.BUREAU),
    ("inspector", Role.INSPECTOR),
    ("leader", Role.SCHOOL_LEADER),
    ("teacher", Role.TEACHER),
    ("headteacher", Role.HEAD_TEACHER),
    ("coordinator", Role.GRADE_COORDINATOR),
    ("counsellor", Role.COUNSELLOR),
    ("parent", Role.GUARDIAN),
    ("student", Role.STUDENT),
    ("operator", Role.INSTITUTION_OPERATOR),
)
# The grade of the demo grade coordinator and head teacher (the head teacher's class is 四年级（1）班).
DEMO_GRADE: Final = 4


@dataclass(frozen=True, slots=True)
class DemoLogin:
    username: str
    password: str
    role: str
    scope: str


def create_demo_accounts(anchor: DemoAnchor, seed: int) -> None:
    """Create the demo users and their role assignments around the anchor school."""
    rng = random.Random(f"demo-accounts:{seed}")
    encoded = make_password(DEMO_PASSWORD)  # hashed once: the same published password for every demo user
    city = Region.objects.get(code=CITY_CODE)
    county = Region.objects.get(code=DEMO_COUNTY)
    school = School.objects.get(code=anchor.school_code)
    school_class = SchoolClass.objects.get(pk=anchor.class_id)
    staff = {role: Staff.objects.get(pk=pk) for role, pk in anchor.staff_ids.items()}
    guardian = Guardian.objects.get(pk=anchor.guardian_id)
    student = Student.objects.get(pk=anchor.student_ids[0])

    def user(username: str, display_name: str, **flags: bool) -> User:
        return User.objects.create(username=username, display_name=display_name, password=encoded, **flags)

    user(ADMIN_USERNAME, _("系统管理员"), is_staff=True, is_superuser=True)
    accounts = {
        "bureau": user("bureau", names.adult_name(rng, rng.random() < 0.5)),
        "inspector": user("inspector", names.adult_name(rng, rng.random() < 0.5)),
        "operator": user("operator", names.adult_name(rng, rng.random() < 0.5)),
        "parent": user("parent", guardian.name),
        "student": user("student", student.name),
    }
    staff_usernames = {
        "leader": "leader",
        "teacher": "teacher",
        "head_teacher": "headteacher",
        "coordinator": "coordinator",
        "counsellor": "counsellor",
    }
    for role_key, username in staff_usernames.items():
        member = staff[role_key]
        accounts[username] = user(username, member.name)
        member.user = accounts[username]
        member.save(update_fields=["user"])
    guardian.user = accounts["parent"]
    guardian.save(update_fields=["user"])

    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=accounts["bureau"], role=Role.BUREAU, region=city),
            RoleAssignment(user=accounts["inspector"], role=Role.INSPECTOR, region=county),
            RoleAssignment(user=accounts["leader"], role=Role.SCHOOL_LEADER, school=school),
            RoleAssignment(
                user=accounts["teacher"], role=Role.TEACHER, school=school, subjects=staff["teacher"].subjects
            ),
            RoleAssignment(
                user=accounts["headteacher"],
                role=Role.HEAD_TEACHER,
                school=school,
                school_class=school_class,
                subjects=staff["head_teacher"].subjects,
            ),
            RoleAssignment(
                user=accounts["coordinator"], role=Role.GRADE_COORDINATOR, school=school, grade=school_class.grade
            ),
            RoleAssignment(user=accounts["counsellor"], role=Role.COUNSELLOR, school=school),
            RoleAssignment(user=accounts["parent"], role=Role.GUARDIAN),
            RoleAssignment(user=accounts["student"], role=Role.STUDENT, school=school, student=student),
            RoleAssignment(
                user=accounts["operator"], role=Role.INSTITUTION_OPERATOR, institution_credit_code=DEMO_CREDIT_CODE
            ),
        ]
    )


def _scope(assignment: RoleAssignment) -> str:
    if assignment.role == Role.GUARDIAN:
        children = (
            GuardianLink.objects.filter(guardian__user_id=assignment.user_id)
            .select_related("student__school_class")
            .order_by("student__school_class__grade", "student_id")
        )
        return _("子女：%(children)s") % {
            "children": "、".join(f"{link.student.name}（{link.student.school_class}）" for link in children)
        }
    if assignment.role == Role.STUDENT and assignment.student is not None:
        return _("%(school)s %(student)s") % {"school": assignment.school, "student": assignment.student}
    if assignment.role in (Role.TEACHER, Role.HEAD_TEACHER) and assignment.subjects:
        return _("%(scope)s（%(subjects)s）") % {
            "scope": scope_label(assignment),
            "subjects": "、".join(assignment.subjects),
        }
    return scope_label(assignment)


def demo_logins() -> list[DemoLogin]:
    """The demo logins present in the database, with their role and scope (for printing)."""
    usernames = [ADMIN_USERNAME] + [username for username, _ in DEMO_USERS]
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    logins: list[DemoLogin] = []
    if ADMIN_USERNAME in users and users[ADMIN_USERNAME].is_superuser:
        logins.append(DemoLogin(ADMIN_USERNAME, DEMO_PASSWORD, _("超级管理员（Django 管理后台）"), "/admin/"))
    assignments = RoleAssignment.objects.filter(user__username__in=usernames).select_related(
        "user", "region", "school", "school_class", "student"
    )
    by_user = {a.user.username: a for a in assignments}
    for username, role in DEMO_USERS:
        found = by_user.get(username)
        if found is not None and found.role == role:
            logins.append(DemoLogin(username, DEMO_PASSWORD, str(role.label), _scope(found)))
    return logins
