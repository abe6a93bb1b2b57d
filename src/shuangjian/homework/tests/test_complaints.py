"""Complaints about homework load: filing, the school's answer, escalation to the bureau, following by reference."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuangjian.core.errors import DomainError, NotFound
from shuangjian.core.models import Role, User
from shuangjian.core.tests import factories as f
from shuangjian.homework.models import HomeworkComplaint, HomeworkComplaintEvent
from shuangjian.homework.selectors_complaints import complaint_get, complaint_list
from shuangjian.homework.services import complaints
from shuangjian.homework.tests import builders as b
from shuangjian.homework.tests.conftest import MONDAY, HomeworkWorld

SHANGHAI = ZoneInfo("Asia/Shanghai")
FILED = datetime(2026, 11, 23, 20, 0, tzinfo=SHANGHAI)
DEADLINE = FILED + timedelta(days=3)
TEXT = "孩子这周每天写作业到十点以后。"


@dataclass
class Desk:
    """Who handles complaints around the world's two schools."""

    leader: User  # school leader of the world's school (梁园区)
    county_bureau: User  # 梁园区
    other_bureau: User  # 民权县
    city_bureau: User
    inspector: User  # 梁园区
    other_parent: User  # guardian of the child in 民权县


@pytest.fixture
def desk(world: HomeworkWorld) -> Desk:
    other_parent = f.named_user("赵妈妈")
    f.guardian_of(world.other_child, other_parent, phone="13900139000")
    return Desk(
        leader=b.school_leader(world.school),
        county_bureau=b.bureau(world.school.county),
        other_bureau=b.bureau(world.other_school.county),
        city_bureau=b.bureau(world.school.city),
        inspector=b.user_with_role(Role.INSPECTOR, region=world.school.county),
        other_parent=other_parent,
    )


@pytest.fixture
def at_filing() -> Iterator[None]:
    with time_machine.travel(FILED, tick=False):
        yield


def file(world: HomeworkWorld, **kw: object) -> HomeworkComplaint:
    values: dict[str, object] = {"actor": world.parent, "student_id": world.child.pk, "text": TEXT}
    values.update(kw)
    return complaints.complaint_file(**values)  # type: ignore[arg-type]


def three_days(world: HomeworkWorld) -> None:
    b.publish(world.school.city, {"homework.complaint_response_days": 3})


def history(complaint: HomeworkComplaint) -> list[tuple[str, str, str, str]]:
    return [
        (e.party, e.from_status, e.to_status, e.note)
        for e in HomeworkComplaintEvent.objects.filter(complaint=complaint).order_by("at", "pk")
    ]


def test_filing_sets_the_deadline_from_the_policy_and_records_the_event(world: HomeworkWorld, at_filing: None) -> None:
    # given
    three_days(world)
    # when
    complaint = file(world, period_start=MONDAY - timedelta(days=7), period_end=MONDAY)
    # then
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{12}", complaint.reference)
    assert (complaint.student, complaint.school, complaint.school_class) == (world.child, world.school, world.class4)
    assert (complaint.status, complaint.text, complaint.filed_by) == ("open", TEXT, world.parent)
    assert (complaint.filed_at, complaint.respond_by, complaint.escalated_at) == (FILED, DEADLINE, None)
    assert (complaint.period_start, complaint.period_end) == (MONDAY - timedelta(days=7), MONDAY)
    event = HomeworkComplaintEvent.objects.get(complaint=complaint)
    assert (event.at, event.actor, event.party, event.from_status, event.to_status) == (
        FILED, world.parent, "guardian", "", "open",
    )  # fmt: skip


def test_references_differ(world: HomeworkWorld, at_filing: None) -> None:
    references = {file(world).reference for _ in range(20)}
    assert len(references) == 20


def test_without_a_policy_number_a_complaint_never_escalates(world: HomeworkWorld, at_filing: None) -> None:
    complaint = file(world)
    assert complaint.respond_by is None
    assert complaints.escalate_overdue_complaints(now=FILED + timedelta(days=365)) == []
    complaint.refresh_from_db()
    assert complaint.status == "open"


@pytest.mark.parametrize(
    ("_case", "kw", "code", "details"),
    [
        ("blank text", {"text": "   "}, "homework.complaint_text_invalid", {"max": "2000"}),
        ("text too long", {"text": "多" * 2001}, "homework.complaint_text_invalid", {"max": "2000"}),
        ("period backwards", {"period_start": MONDAY, "period_end": MONDAY - timedelta(days=1)},
         "homework.complaint_bad_period", {}),
        ("period in the future", {"period_end": MONDAY + timedelta(days=1)}, "homework.complaint_period_in_future",
         {"date": "2026-11-24"}),
    ],
)  # fmt: skip
def test_bad_complaints_are_refused_and_nothing_saved(
    world: HomeworkWorld, at_filing: None, _case: str, kw: dict[str, object], code: str, details: dict[str, str]
) -> None:
    with pytest.raises(DomainError) as refused:
        file(world, **kw)
    assert (refused.value.code, refused.value.details) == (code, details)
    assert HomeworkComplaint.objects.count() == HomeworkComplaintEvent.objects.count() == 0


@pytest.mark.parametrize("who", ["classmate", "head_teacher", "chinese_teacher"])
def test_only_the_childs_guardian_files(world: HomeworkWorld, at_filing: None, who: str) -> None:
    # the parent for the classmate (another family's child); staff for the child
    actor, student = (world.parent, world.classmate) if who == "classmate" else (getattr(world, who), world.child)
    with pytest.raises(NotFound):
        file(world, actor=actor, student_id=student.pk)
    assert HomeworkComplaint.objects.count() == 0


def test_the_school_answers_then_closes(world: HomeworkWorld, desk: Desk, at_filing: None) -> None:
    # given
    complaint = file(world)
    # when
    answered = complaints.complaint_respond(actor=desk.leader, reference=complaint.reference, response="已减少作业。")
    closed = complaints.complaint_respond(
        actor=desk.leader, reference=complaint.reference, response="家长已确认，办结。", close=True
    )
    # then
    assert (answered.status, closed.status) == ("answered", "closed")
    complaint.refresh_from_db()
    assert (complaint.response, complaint.responded_by, complaint.responded_at) == (
        "家长已确认，办结。",
        desk.leader,
        FILED,
    )
    assert history(complaint) == [
        ("guardian", "", "open", ""),
        ("school", "open", "answered", "已减少作业。"),
        ("school", "answered", "closed", "家长已确认，办结。"),
    ]


def test_a_closed_complaint_takes_no_more_answers(world: HomeworkWorld, desk: Desk, at_filing: None) -> None:
    # given
    complaint = file(world)
    complaints.complaint_respond(actor=desk.leader, reference=complaint.reference, response="办结。", close=True)
    # when
    with pytest.raises(DomainError) as refused:
        complaints.complaint_respond(actor=desk.leader, reference=complaint.reference, response="补充说明。")
    # then
    assert refused.value.code == "homework.complaint_closed"
    complaint.refresh_from_db()
    assert (complaint.status, complaint.response) == ("closed", "办结。")
    assert len(history(complaint)) == 2


def test_an_empty_answer_is_refused(world: HomeworkWorld, desk: Desk, at_filing: None) -> None:
    complaint = file(world)
    with pytest.raises(DomainError) as refused:
        complaints.complaint_respond(actor=desk.leader, reference=complaint.reference, response=" ")
    assert refused.value.code == "homework.response_required"
    complaint.refresh_from_db()
    assert complaint.status == "open"
    assert len(history(complaint)) == 1


def test_the_bureau_does_not_see_what_the_school_is_handling(world: HomeworkWorld, desk: Desk, at_filing: None) -> None:
    complaint = file(world)
    assert list(complaint_list(actor=desk.county_bureau)) == []
    with pytest.raises(NotFound):
        complaint_get(actor=desk.county_bureau, reference=complaint.reference)
    with pytest.raises(NotFound):
        complaints.complaint_respond(actor=desk.county_bureau, reference=complaint.reference, response="已督促。")
    complaint.refresh_from_db()
    assert complaint.status == "open"


@pytest.fixture
def two_overdue(world: HomeworkWorld, desk: Desk, at_filing: None) -> tuple[HomeworkComplaint, HomeworkComplaint]:
    three_days(world)
    here = file(world)
    there = file(world, actor=desk.other_parent, student_id=world.other_child.pk)
    return here, there


def test_unanswered_complaints_escalate_after_the_policys_days(
    world: HomeworkWorld, desk: Desk, two_overdue: tuple[HomeworkComplaint, HomeworkComplaint]
) -> None:
    # given: a third one the school answered in time
    here, there = two_overdue
    answered = file(world)
    complaints.complaint_respond(actor=desk.leader, reference=answered.reference, response="已调整。")
    # when: not yet at the deadline, then just past it
    early = complaints.escalate_overdue_complaints(now=DEADLINE)
    late = complaints.escalate_overdue_complaints(now=DEADLINE + timedelta(minutes=1))
    # then
    assert early == []
    assert sorted(c.reference for c in late) == sorted([here.reference, there.reference])
    for complaint in (here, there):
        complaint.refresh_from_db()
        assert (complaint.status, complaint.escalated_at) == ("escalated", DEADLINE + timedelta(minutes=1))
        assert history(complaint)[-1] == ("platform", "open", "escalated", "")
        assert HomeworkComplaintEvent.objects.filter(complaint=complaint, to_status="escalated").get().actor is None
    answered.refresh_from_db()
    assert answered.status == "answered"
    # and each bureau sees the escalated complaints of its own region
    seen = {
        who: set(complaint_list(actor=getattr(desk, who)).values_list("reference", flat=True))
        for who in ("county_bureau", "other_bureau", "city_bureau", "inspector")
    }
    assert seen == {
        "county_bureau": {here.reference},
        "other_bureau": {there.reference},
        "city_bureau": {here.reference, there.reference},
        "inspector": {here.reference},
    }


def test_escalation_by_region_and_dry_run(
    world: HomeworkWorld, two_overdue: tuple[HomeworkComplaint, HomeworkComplaint]
) -> None:
    here, there = two_overdue
    later = DEADLINE + timedelta(days=1)
    # dry run: listed, nothing changed
    listed = complaints.escalate_overdue_complaints(now=later, region_code="411421", dry_run=True)
    assert [c.reference for c in listed] == [there.reference]
    assert HomeworkComplaint.objects.filter(status="escalated").count() == 0
    assert HomeworkComplaintEvent.objects.count() == 2
    # one county only
    done = complaints.escalate_overdue_complaints(now=later, region_code="411421")
    assert [c.reference for c in done] == [there.reference]
    assert dict(HomeworkComplaint.objects.values_list("reference", "status")) == {
        here.reference: "open",
        there.reference: "escalated",
    }


def test_the_bureau_answers_an_escalated_complaint(
    world: HomeworkWorld, desk: Desk, two_overdue: tuple[HomeworkComplaint, HomeworkComplaint]
) -> None:
    # given
    here, _there = two_overdue
    complaints.escalate_overdue_complaints(now=DEADLINE + timedelta(hours=1))
    # when
    with time_machine.travel(DEADLINE + timedelta(days=1), tick=False):
        answered = complaints.complaint_respond(
            actor=desk.county_bureau, reference=here.reference.lower(), response="已约谈学校，限期整改。"
        )
    # then
    assert (answered.status, answered.responded_by) == ("answered", desk.county_bureau)
    assert history(answered) == [
        ("guardian", "", "open", ""),
        ("platform", "open", "escalated", ""),
        ("bureau", "escalated", "answered", "已约谈学校，限期整改。"),
    ]
    # and the other county's bureau cannot
    with pytest.raises(NotFound):
        complaints.complaint_respond(actor=desk.other_bureau, reference=here.reference, response="已督促。")


def test_the_school_may_still_answer_after_escalation(
    world: HomeworkWorld, desk: Desk, two_overdue: tuple[HomeworkComplaint, HomeworkComplaint]
) -> None:
    here, _there = two_overdue
    complaints.escalate_overdue_complaints(now=DEADLINE + timedelta(hours=1))
    with time_machine.travel(DEADLINE + timedelta(hours=2), tick=False):
        answered = complaints.complaint_respond(actor=desk.leader, reference=here.reference, response="已整改。")
    assert history(answered)[-1] == ("school", "escalated", "answered", "已整改。")


def test_the_guardian_follows_by_reference(world: HomeworkWorld, desk: Desk, at_filing: None) -> None:
    # given
    complaint = file(world)
    complaints.complaint_respond(actor=desk.leader, reference=complaint.reference, response="已减少作业。")
    typed = f"{complaint.reference[:4].lower()}-{complaint.reference[4:8]} {complaint.reference[8:]}"
    # when
    followed = complaint_get(actor=world.parent, reference=typed)
    # then
    assert (followed.pk, followed.status, followed.response) == (complaint.pk, "answered", "已减少作业。")
    assert [(e.party, e.to_status) for e in followed.events.all()] == [("guardian", "open"), ("school", "answered")]


@pytest.mark.parametrize("who", ["other_parent", "head_teacher", "chinese_teacher", "coordinator"])
def test_nobody_else_follows_it(world: HomeworkWorld, desk: Desk, at_filing: None, who: str) -> None:
    complaint = file(world)
    actor = desk.other_parent if who == "other_parent" else getattr(world, who)
    with pytest.raises(NotFound):
        complaint_get(actor=actor, reference=complaint.reference)
    assert list(complaint_list(actor=actor)) == []


def test_the_guardian_cannot_answer_their_own_complaint(world: HomeworkWorld, at_filing: None) -> None:
    complaint = file(world)
    with pytest.raises(NotFound):
        complaints.complaint_respond(actor=world.parent, reference=complaint.reference, response="算了。", close=True)
    complaint.refresh_from_db()
    assert complaint.status == "open"


def test_the_command_escalates_overdue_complaints(
    world: HomeworkWorld, two_overdue: tuple[HomeworkComplaint, HomeworkComplaint]
) -> None:
    here, _there = two_overdue
    with time_machine.travel(DEADLINE + timedelta(days=1), tick=False):
        dry = StringIO()
        call_command("homework_escalate_complaints", "--dry-run", stdout=dry)
        assert dry.getvalue().splitlines()[-1] == "将转交 2 件投诉（试运行，未修改）。"
        assert HomeworkComplaint.objects.filter(status="escalated").count() == 0
        out = StringIO()
        call_command("homework_escalate_complaints", "--region", "411402", stdout=out)
    assert out.getvalue().splitlines() == [
        f"{here.reference} {world.school.code} {world.school.name}",
        "已转交 1 件投诉。",
    ]
    assert list(HomeworkComplaint.objects.filter(status="escalated").values_list("pk", flat=True)) == [here.pk]


@pytest.mark.requires_postgres
def test_answer_and_escalation_lock_the_complaint_before_writing(
    world: HomeworkWorld, desk: Desk, two_overdue: tuple[HomeworkComplaint, HomeworkComplaint]
) -> None:
    here, _there = two_overdue
    with CaptureQueriesContext(connection) as answering:
        complaints.complaint_respond(actor=desk.leader, reference=here.reference, response="已调整。")
    with CaptureQueriesContext(connection) as escalating:
        complaints.escalate_overdue_complaints(now=DEADLINE + timedelta(days=1))
    for queries in (answering, escalating):
        sql = [q["sql"] for q in queries.captured_queries]
        locked = next(i for i, s in enumerate(sql) if "FOR UPDATE" in s and "homework_homeworkcomplaint" in s)
        written = next(i for i, s in enumerate(sql) if s.startswith("UPDATE") and "homework_homeworkcomplaint" in s)
        assert locked < written
