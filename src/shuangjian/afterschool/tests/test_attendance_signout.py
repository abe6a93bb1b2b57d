"""放学签离: to a registered guardian, or alone with the guardian's recorded permission; late pick-ups.

The world (conftest.py) is frozen on Monday 2026-09-07 at 09:00; these tests move to 17:20 that day, twenty minutes
after block 1 (homework guidance, 16:00-17:00) ends.
"""

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
import time_machine

from shuangjian.afterschool import selectors_attendance
from shuangjian.afterschool.models import AbsenceReport, LeaveAlonePermission, SignOut
from shuangjian.afterschool.services import attendance, signout
from shuangjian.afterschool.tests import builders as b
from shuangjian.afterschool.tests.conftest import SHANGHAI, AfterschoolWorld
from shuangjian.core.errors import AccessDenied, DomainError, NotFound
from shuangjian.core.models import Guardian, User

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 9, 7)
EVENING = datetime(2026, 9, 7, 17, 20, tzinfo=SHANGHAI)


@pytest.fixture
def evening(world: AfterschoolWorld, clock: time_machine.Traveller) -> Iterator[None]:
    plan = b.make_plan(world)
    b.sign_up(world.parent, world.child, plan)
    b.sign_up(world.other_parent, world.classmate, plan)
    clock.move_to(EVENING)
    yield


def _guardian(account: User) -> Guardian:
    return Guardian.objects.get(user=account)


def _sign_out(world: AfterschoolWorld, **changes: object) -> SignOut:
    fields: dict[str, object] = {
        "actor": world.teacher,
        "student_id": world.child.pk,
        "day": MONDAY,
        "block_number": 1,
        "guardian_id": _guardian(world.parent).pk,
        "leave_alone": False,
    }
    fields.update(changes)
    return signout.sign_out(**fields)  # type: ignore[arg-type]


def test_signed_out_to_a_registered_guardian_with_the_minutes_late(world: AfterschoolWorld, evening: None) -> None:
    # when
    record = _sign_out(world)
    # then
    assert (record.guardian, record.leave_alone, record.minutes_late) == (_guardian(world.parent), False, 20)
    assert record.signed_out_at == EVENING
    assert record.recorded_by == world.teacher


def test_signing_out_again_corrects_the_record(world: AfterschoolWorld, evening: None) -> None:
    _sign_out(world, at=EVENING - timedelta(minutes=25))
    _sign_out(world)
    assert list(SignOut.objects.values_list("student", "minutes_late")) == [(world.child.pk, 20)]


def test_a_sign_out_to_another_familys_guardian_is_refused(world: AfterschoolWorld, evening: None) -> None:
    with pytest.raises(DomainError) as refused:
        _sign_out(world, guardian_id=_guardian(world.other_parent).pk)
    assert refused.value.code == "afterschool.not_a_guardian"
    assert refused.value.message == "接孩子的人不是该生登记的监护人，不能签离。请核对身份，或联系家长。"
    assert SignOut.objects.count() == 0


def test_leaving_alone_needs_the_guardians_recorded_permission(world: AfterschoolWorld, evening: None) -> None:
    # given: no permission yet
    with pytest.raises(DomainError) as refused:
        _sign_out(world, guardian_id=None, leave_alone=True)
    assert refused.value.code == "afterschool.leave_alone_not_allowed"
    assert SignOut.objects.count() == 0
    # when: the guardian records it
    signout.leave_alone_set(actor=world.parent, student_id=world.child.pk, allowed=True)
    record = _sign_out(world, guardian_id=None, leave_alone=True)
    # then
    assert (record.guardian, record.leave_alone) == (None, True)
    # and once withdrawn, it is refused again
    signout.leave_alone_set(actor=world.parent, student_id=world.child.pk, allowed=False)
    with pytest.raises(DomainError):
        _sign_out(world, guardian_id=None, leave_alone=True)
    assert LeaveAlonePermission.objects.get().allowed is False


@pytest.mark.parametrize(
    ("_case", "changes", "code"),
    [
        ("nobody", {"guardian_id": None}, "afterschool.sign_out_who"),
        ("both", {"leave_alone": True}, "afterschool.sign_out_who"),
        ("a time still to come", {"at": EVENING + timedelta(minutes=5)}, "afterschool.sign_out_time"),
        ("another day's time", {"at": EVENING - timedelta(days=1)}, "afterschool.sign_out_time"),
        ("a Saturday", {"day": date(2026, 9, 12)}, "afterschool.no_service"),
        ("a block the plan lacks", {"block_number": 4}, "afterschool.no_such_block"),
    ],
)
def test_a_bad_sign_out_is_refused(
    world: AfterschoolWorld, evening: None, _case: str, changes: dict[str, object], code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        _sign_out(world, **changes)
    assert refused.value.code == code
    assert SignOut.objects.count() == 0


def test_who_signs_out(world: AfterschoolWorld, evening: None) -> None:
    # a guardian does not sign their own child out in the system (the teacher hands the child over)
    with pytest.raises(AccessDenied):
        _sign_out(world, actor=world.parent)
    with pytest.raises(NotFound):
        _sign_out(world, actor=world.other_leader)
    assert SignOut.objects.count() == 0
    # only a guardian records the leave-alone permission, only for their own child
    for stranger in (world.other_parent, world.teacher):
        with pytest.raises(NotFound):
            signout.leave_alone_set(actor=stranger, student_id=world.child.pk, allowed=True)
    assert LeaveAlonePermission.objects.count() == 0


def test_late_pickups_of_a_school(world: AfterschoolWorld, evening: None) -> None:
    # given: the child 20 minutes late, the classmate on time
    _sign_out(world)
    _sign_out(
        world, student_id=world.classmate.pk, guardian_id=_guardian(world.other_parent).pk,
        at=datetime(2026, 9, 7, 17, 0, tzinfo=SHANGHAI),
    )  # fmt: skip
    # when
    late = selectors_attendance.late_pickups(
        actor=world.leader, school_code=world.school.code, start=MONDAY, end=MONDAY
    )
    # then
    assert [(s.student, s.minutes_late, s.guardian) for s in late] == [(world.child, 20, _guardian(world.parent))]
    with pytest.raises(AccessDenied):
        selectors_attendance.late_pickups(actor=world.parent, school_code=world.school.code, start=MONDAY, end=MONDAY)


@pytest.mark.parametrize(("_case", "end", "at", "minutes"), [
    ("on time", "17:00", "17:00", 0),
    ("early", "17:00", "16:50", 0),
    ("59 seconds", "17:00", "17:00:59", 0),
    ("one minute", "17:00", "17:01", 1),
    ("an hour", "17:00", "18:00", 60),
])  # fmt: skip
def test_minutes_after_the_block(_case: str, end: str, at: str, minutes: int) -> None:
    def moment(value: str) -> datetime:
        return datetime.fromisoformat(f"2026-09-07T{value}").replace(tzinfo=SHANGHAI)

    assert signout.minutes_after(moment(end), moment(at)) == minutes


def test_a_guardian_takes_back_an_absence_report(world: AfterschoolWorld, clock: time_machine.Traveller) -> None:
    # given: on Monday morning the parent reports Monday to Wednesday, and Friday
    plan = b.make_plan(world)
    b.sign_up(world.parent, world.child, plan)
    under_way = attendance.absence_report(
        actor=world.parent, student_id=world.child.pk, start=MONDAY, end=MONDAY + timedelta(days=2), reason="发烧"
    )
    later = attendance.absence_report(
        actor=world.parent, student_id=world.child.pk, start=MONDAY + timedelta(days=4), end=MONDAY + timedelta(days=4),
        reason="看病",
    )  # fmt: skip
    # when: another family tries, then the parent takes both back on Tuesday
    with pytest.raises(NotFound):
        attendance.absence_cancel(actor=world.other_parent, absence_id=later.pk)
    clock.move_to(EVENING + timedelta(days=1))
    shortened = attendance.absence_cancel(actor=world.parent, absence_id=under_way.pk)
    removed = attendance.absence_cancel(actor=world.parent, absence_id=later.pk)
    # then: Monday's absence stays on record, Friday's is gone
    assert shortened is not None and shortened.end_date == MONDAY
    assert removed is None and not AbsenceReport.objects.filter(pk=later.pk).exists()
    # and a report already over cannot be taken back
    with pytest.raises(DomainError) as refused:
        attendance.absence_cancel(actor=world.parent, absence_id=under_way.pk)
    assert refused.value.code == "afterschool.absence_over"
