"""Small builders shared by the monitoring, showcase and complaint tests (on top of conftest's HomeworkWorld)."""

from datetime import date

from shuangjian.core.models import Region, Role, School, SchoolClass, Student, User
from shuangjian.core.tests import factories as f
from shuangjian.homework.models import HomeworkItem
from shuangjian.homework.services import feedback, items
from shuangjian.policy.models import PolicyProfile
from shuangjian.policy.services import profile_publish


def user_with_role(role: Role, **scope: object) -> User:
    account = f.user()
    f.assign(account, role, **scope)
    return account


def school_leader(school: School) -> User:
    return user_with_role(Role.SCHOOL_LEADER, school=school)


def bureau(region: Region) -> User:
    return user_with_role(Role.BUREAU, region=region)


def teacher_of(school_class: SchoolClass, subject: str = "语文") -> User:
    """A teacher of `subject` in `school_class` (任课), with a staff record and the teacher role."""
    account = f.named_user(f"{subject}老师")
    f.assign(account, Role.TEACHER, school=school_class.school)
    f.teaches(f.staff_member(school_class.school, f"{subject}老师", account), school_class, subject)
    return account


def head_teacher_of(school_class: SchoolClass) -> User:
    return user_with_role(Role.HEAD_TEACHER, school=school_class.school, school_class=school_class)


def pupils(school_class: SchoolClass, count: int) -> list[Student]:
    return [f.student(school_class, f"学生{index}") for index in range(count)]


def report(head: User, school_class: SchoolClass, day: date, minutes: dict[Student, int], unfinished: int = 0) -> None:
    """A head teacher's batch entry of one day; the first `unfinished` students were still working at bedtime."""
    entries = [
        feedback.FeedbackEntry(student.pk, value, index < unfinished)
        for index, (student, value) in enumerate(minutes.items())
    ]
    feedback.feedback_batch_submit(actor=head, class_id=school_class.pk, day=day, entries=entries, today=day)


def assign(teacher: User, school_class: SchoolClass, day: date, minutes: int, subject: str = "语文") -> HomeworkItem:
    draft = items.ItemDraft(subject, "written", "basic", "练习", "完成第 3 页", minutes, day, day)
    return items.homework_assign(actor=teacher, class_id=school_class.pk, draft=draft, today=day)


def publish(region: Region, values: dict[str, object], effective_from: date = date(2026, 9, 1)) -> PolicyProfile:
    return profile_publish(
        actor=bureau(region), region=region, effective_from=effective_from, values=values, note="测试"
    )
