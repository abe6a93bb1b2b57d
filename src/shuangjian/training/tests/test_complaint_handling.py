"""Complaint services: hotline intake, the lifecycle with its events, refusals that change nothing, deadlines from
a tightened local profile (working days over the National Day holiday), reminders once per deadline, the
operator's response and joint sanctions. The clock is Monday 2026-09-07 09:00 in Shanghai (conftest)."""

from dataclasses import replace
from datetime import date, datetime
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from shuangjian.core.errors import AccessDenied, DomainError, NotFound
from shuangjian.core.models import Role
from shuangjian.core.tests import factories as f
from shuangjian.policy.tests.factories import publish
from shuangjian.training import selectors
from shuangjian.training.models import Complaint, ComplaintEvent, Sanction
from shuangjian.training.services import complaint_handling as handling
from shuangjian.training.services import complaints
from shuangjian.training.services.complaint_reminders import complaint_reminders_record
from shuangjian.training.tests.conftest import SHANGHAI, TrainingWorld

DEADLINES: dict[str, object] = {"complaints.triage_max_working_days": 2, "complaints.resolve_max_working_days": 5}


def draft(world: TrainingWorld, **changes: Any) -> complaints.ComplaintDraft:
    base = complaints.ComplaintDraft(
        county_code=world.liangyuan.code,
        institution_name=world.institution.name,
        credit_code=world.institution.credit_code,
        content="周六上午开设初中数学班",
        wants_reply=True,
        contact_name="王女士",
        phone="13900001111",
    )
    return replace(base, **changes)


def hotline(world: TrainingWorld, reference: str = "SQ001", **changes: Any) -> complaints.HotlineDraft:
    base = complaints.HotlineDraft(
        channel="hotline_12345",
        hotline_reference=reference,
        received_at=datetime(2026, 9, 7, 8, 30, tzinfo=SHANGHAI),
        complaint=draft(world),
    )
    return replace(base, **changes)


def snapshot() -> tuple[list[tuple[Any, ...]], int, int]:
    rows = list(Complaint.objects.order_by("pk").values_list("pk", "status", "assignee_id", "outcome", "reply"))
    return rows, ComplaintEvent.objects.count(), Sanction.objects.count()


def refused(code: str, call: Any) -> None:
    """The call is refused with `code` and nothing changes."""
    before = snapshot()
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code
    assert snapshot() == before


def handled_to_investigation(world: TrainingWorld) -> Complaint:
    complaint = complaints.complaint_file(draft=draft(world))
    handling.complaint_triage(
        actor=world.county_bureau, complaint_id=complaint.pk, category="schedule", priority="urgent"
    )
    handling.complaint_assign(actor=world.county_bureau, complaint_id=complaint.pk, assignee_id=world.inspector.pk)
    return handling.complaint_investigate(actor=world.inspector, complaint_id=complaint.pk, note="已联系机构")


# Hotline intake


def test_a_hotline_hand_over_is_recorded_with_its_work_order(world: TrainingWorld) -> None:
    # when
    complaint = complaints.complaint_intake_hotline(actor=world.inspector, draft=hotline(world, " sq001 "))
    # then
    assert (complaint.channel, complaint.hotline_reference, complaint.status) == ("hotline_12345", "SQ001", "received")
    assert complaint.institution == world.institution
    assert complaint.phone_masked == "139****1111" and "13900001111" not in complaint.phone_cipher
    event = complaint.events.get()
    assert (event.kind, event.to_status, event.actor) == ("filed", "received", world.inspector)


def test_an_unregistered_institution_is_recorded_by_name_and_address(world: TrainingWorld) -> None:
    unregistered = replace(draft(world), credit_code="", institution_name="无证托管班")
    complaint = complaints.complaint_intake_hotline(
        actor=world.inspector,
        draft=replace(hotline(world), complaint=unregistered, institution_address="梁园区某小区 3 号楼"),
    )
    assert complaint.institution is None
    assert (complaint.institution_name, complaint.institution_address) == ("无证托管班", "梁园区某小区 3 号楼")


def test_a_work_order_is_recorded_once_per_hotline(world: TrainingWorld) -> None:
    # given
    complaints.complaint_intake_hotline(actor=world.inspector, draft=hotline(world, "SQ001"))
    # then: the same 12345 work order again is refused; the same number from 12315 is another work order
    refused(
        "training.duplicate_hotline_reference",
        lambda: complaints.complaint_intake_hotline(actor=world.county_bureau, draft=hotline(world, "sq001")),
    )
    other = complaints.complaint_intake_hotline(
        actor=world.inspector, draft=hotline(world, "SQ001", channel="hotline_12315")
    )
    assert other.channel == "hotline_12315"


@pytest.mark.parametrize(
    ("_case", "changes", "code"),
    [
        ("web is not a hotline", {"channel": "web"}, "training.invalid_choice"),
        ("no work order", {"hotline_reference": "  "}, "training.not_a_hotline"),
        ("in the future", {"received_at": datetime(2026, 9, 8, 9, 0, tzinfo=SHANGHAI)}, "training.bad_received_at"),
        ("reply without a phone", {"complaint": "no phone"}, "training.contact_required"),
        ("bad phone", {"complaint": "bad phone"}, "core.invalid_phone"),
    ],
)  # fmt: skip
def test_bad_hotline_input_is_refused(world: TrainingWorld, _case: str, changes: dict[str, Any], code: str) -> None:
    if changes.get("complaint") == "no phone":
        changes = {"complaint": draft(world, phone="")}
    elif changes.get("complaint") == "bad phone":
        changes = {"complaint": draft(world, phone="12345")}
    refused(code, lambda: complaints.complaint_intake_hotline(actor=world.inspector, draft=hotline(world, **changes)))


def test_only_supervisors_of_the_county_take_hotline_complaints(world: TrainingWorld) -> None:
    before = snapshot()
    for outsider in (world.other_county_bureau, world.operator):
        with pytest.raises(AccessDenied):
            complaints.complaint_intake_hotline(actor=outsider, draft=hotline(world))
    assert snapshot() == before


# The lifecycle


def test_a_complaint_goes_through_its_lifecycle_with_an_event_for_each_step(world: TrainingWorld) -> None:
    # given
    complaint = handled_to_investigation(world)
    handling.complaint_note(actor=world.inspector, complaint_id=complaint.pk, note="现场检查：周六确有上课")
    # when
    resolved = handling.complaint_resolve(
        actor=world.inspector, complaint_id=complaint.pk, outcome="substantiated", reply="经查属实，已责令整改。"
    )
    closed = handling.complaint_close(actor=world.county_bureau, complaint_id=complaint.pk)
    # then
    assert (resolved.outcome, resolved.reply, resolved.resolved_at) == (
        "substantiated",
        "经查属实，已责令整改。",
        timezone.now(),
    )
    assert closed.status == "closed"
    steps = list(complaint.events.order_by("pk").values_list("kind", "from_status", "to_status", "actor__username"))
    assert steps == [
        ("filed", "", "received", None),
        ("triage", "received", "triaged", world.county_bureau.username),
        ("assign", "triaged", "assigned", world.county_bureau.username),
        ("investigate", "assigned", "investigating", world.inspector.username),
        ("note", "investigating", "investigating", world.inspector.username),
        ("resolve", "investigating", "resolved", world.inspector.username),
        ("close", "resolved", "closed", world.county_bureau.username),
    ]  # fmt: skip
    follow = selectors.complaint_follow(reference=complaint.reference)
    assert follow.status == "closed" and follow.reply == "经查属实，已责令整改。"


def test_a_move_not_allowed_now_is_refused_and_changes_nothing(world: TrainingWorld) -> None:
    complaint = complaints.complaint_file(draft=draft(world))
    with pytest.raises(DomainError) as caught:
        handling.complaint_resolve(actor=world.inspector, complaint_id=complaint.pk, outcome="mediated", reply="已调解")
    assert caught.value.message == "该投诉当前状态为“已受理”，不能执行“办结答复”。"
    refused(
        "training.complaint_bad_transition",
        lambda: handling.complaint_resolve(
            actor=world.inspector, complaint_id=complaint.pk, outcome="mediated", reply="已调解"
        ),
    )
    refused(
        "training.complaint_bad_transition",
        lambda: handling.complaint_investigate(actor=world.inspector, complaint_id=complaint.pk),
    )


def test_rejected_complaints_reopen_to_triage_and_resolved_ones_to_investigation(world: TrainingWorld) -> None:
    rejected = complaints.complaint_file(draft=draft(world))
    handling.complaint_reject(actor=world.inspector, complaint_id=rejected.pk, reason="不属于校外培训")
    reopened = handling.complaint_reopen(actor=world.county_bureau, complaint_id=rejected.pk, reason="补充了材料")
    assert (reopened.status, reopened.rejection_reason) == ("received", "")
    resolved = handled_to_investigation(world)
    handling.complaint_resolve(actor=world.inspector, complaint_id=resolved.pk, outcome="mediated", reply="已调解")
    again = handling.complaint_reopen(actor=world.inspector, complaint_id=resolved.pk, reason="投诉人不满意")
    assert (again.status, again.outcome, again.reply, again.resolved_at) == ("investigating", "", "", None)


def _triage_without_category(world: TrainingWorld, pk: int) -> object:
    return handling.complaint_triage(actor=world.inspector, complaint_id=pk, category="", priority="normal")


def _reject_without_reason(world: TrainingWorld, pk: int) -> object:
    return handling.complaint_reject(actor=world.inspector, complaint_id=pk, reason=" ")


def _assign_to_operator(world: TrainingWorld, pk: int) -> object:
    return handling.complaint_assign(actor=world.inspector, complaint_id=pk, assignee_id=world.operator.pk)


@pytest.mark.parametrize(
    ("_case", "call", "code"),
    [
        ("triage without a category", _triage_without_category, "training.invalid_choice"),
        ("rejected without a reason", _reject_without_reason, "training.text_required"),
        ("assigned to an operator", _assign_to_operator, "training.assignee_not_inspector"),
    ],
)
def test_bad_handling_input_is_refused(world: TrainingWorld, _case: str, call: Any, code: str) -> None:
    complaint = complaints.complaint_file(draft=draft(world))
    if code == "training.assignee_not_inspector":
        handling.complaint_triage(actor=world.inspector, complaint_id=complaint.pk, category="fees", priority="normal")
    refused(code, lambda: call(world, complaint.pk))


def test_an_inspector_of_another_county_can_neither_see_nor_take_it(world: TrainingWorld) -> None:
    # given
    complaint = complaints.complaint_file(draft=draft(world))
    handling.complaint_triage(actor=world.inspector, complaint_id=complaint.pk, category="fees", priority="normal")
    minquan_inspector = f.named_user("民权县督查员")
    f.assign(minquan_inspector, Role.INSPECTOR, region=world.minquan)
    before = snapshot()
    # then
    with pytest.raises(NotFound):
        handling.complaint_note(actor=minquan_inspector, complaint_id=complaint.pk, note="x")
    with pytest.raises(NotFound):
        handling.complaint_triage(actor=world.operator, complaint_id=complaint.pk, category="fees", priority="normal")
    refused(
        "training.assignee_not_inspector",
        lambda: handling.complaint_assign(
            actor=world.county_bureau, complaint_id=complaint.pk, assignee_id=minquan_inspector.pk
        ),
    )
    assert snapshot() == before


# Deadlines and reminders


def test_deadlines_count_working_days_of_the_local_profile(world: TrainingWorld, clock: time_machine.Traveller) -> None:
    # given: the city tightens to 2 working days for triage and 5 to resolve
    publish(world.city, DEADLINES, date(2026, 9, 1))
    # when: filed on Wednesday 30 September, before the National Day holiday (1-7 October)
    clock.move_to(datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI))
    complaint = complaints.complaint_file(draft=draft(world))
    # then: 8 and 9 October, then the make-up Saturday 10 October, 12 and 13 October
    assert (complaint.triage_due_on, complaint.resolve_due_on) == (date(2026, 10, 9), date(2026, 10, 13))


def test_without_a_local_deadline_nothing_is_due(world: TrainingWorld) -> None:
    complaint = complaints.complaint_file(draft=draft(world))
    assert (complaint.triage_due_on, complaint.resolve_due_on) == (None, None)
    assert complaint_reminders_record(region_code=world.liangyuan.code, today=date(2026, 12, 1)) == []


def test_reminders_are_recorded_once_per_deadline(world: TrainingWorld, clock: time_machine.Traveller) -> None:
    # given: filed Monday 7 September; triage due Wednesday 9, resolve due Monday 14
    publish(world.city, DEADLINES, date(2026, 9, 1))
    complaint = complaints.complaint_file(draft=draft(world))
    # when: on Tuesday 8 (triage due within a working day), a dry run, then the run itself, then again
    dry = complaint_reminders_record(region_code=world.city.code, today=date(2026, 9, 8), dry_run=True)
    assert [(r.deadline, r.due_on, r.overdue) for r in dry] == [("triage", date(2026, 9, 9), False)]
    assert not complaint.events.filter(kind="reminder").exists()
    first = complaint_reminders_record(region_code=world.city.code, today=date(2026, 9, 8))
    second = complaint_reminders_record(region_code=world.city.code, today=date(2026, 9, 8))
    # then
    assert [r.deadline for r in first] == ["triage"] and second == []
    # and: a week later the resolve deadline is overdue; the triage one was already reminded of
    later = complaint_reminders_record(region_code=world.liangyuan.code, today=date(2026, 9, 15))
    assert [(r.deadline, r.overdue) for r in later] == [("resolve", True)]
    notes = list(complaint.events.filter(kind="reminder").order_by("pk").values_list("reminder_for", "note"))
    assert notes == [("triage", "分类分派期限 2026-09-09 即将到期。"), ("resolve", "办结期限 2026-09-14 已超期。")]
    # and: another region's run sees none of it
    assert complaint_reminders_record(region_code=world.minquan.code, today=date(2026, 9, 15)) == []


def test_the_reminder_command_lists_and_records(world: TrainingWorld) -> None:
    publish(world.city, DEADLINES, date(2026, 9, 1))
    complaint = complaints.complaint_file(draft=draft(world))
    with time_machine.travel(datetime(2026, 9, 10, 9, 0, tzinfo=SHANGHAI), tick=False):
        out = StringIO()
        call_command("training_complaint_reminders", "--region", world.liangyuan.code, "--dry-run", stdout=out)
        assert out.getvalue().splitlines() == [
            f"{complaint.reference} triage 2026-09-09 已超期",
            "共 1 条提醒（试运行，未记录）。",
        ]
        call_command("training_complaint_reminders", "--region", world.liangyuan.code, stdout=StringIO())
    assert complaint.events.filter(kind="reminder").count() == 1
    with pytest.raises(CommandError):
        call_command("training_complaint_reminders", "--region", "999999", stdout=StringIO())


# The operator's response and joint sanctions


def test_the_operator_responds_to_a_complaint_about_its_institution_only(world: TrainingWorld) -> None:
    complaint = complaints.complaint_file(draft=draft(world))
    other = complaints.complaint_file(
        draft=draft(world, county_code=world.minquan.code, credit_code=world.other_institution.credit_code)
    )
    answered = handling.complaint_respond(actor=world.operator, complaint_id=complaint.pk, response="周六课程已停课")
    assert answered.operator_response == "周六课程已停课"
    assert complaint.events.filter(kind="operator_response", actor=world.operator).count() == 1
    before = snapshot()
    for actor, target in ((world.operator, other), (world.inspector, complaint)):
        with pytest.raises(NotFound):
            handling.complaint_respond(actor=actor, complaint_id=target.pk, response="x")
    assert snapshot() == before


def _joint(**changes: Any) -> handling.JointSanctionDraft:
    base = handling.JointSanctionDraft(
        reason="超前超标培训，投诉属实",
        authority="梁园区教育体育局",
        starts_on=date(2026, 9, 7),
        partners=("market_regulation", "tax"),
        measures="限制新设机构；纳入信用记录",
    )
    return replace(base, **changes)


def test_a_joint_sanction_from_a_substantiated_complaint_is_on_the_public_list(world: TrainingWorld) -> None:
    # given
    complaint = handled_to_investigation(world)
    handling.complaint_resolve(actor=world.inspector, complaint_id=complaint.pk, outcome="substantiated", reply="属实")
    # when
    sanction = handling.joint_sanction_from_complaint(
        actor=world.county_bureau, complaint_id=complaint.pk, draft=_joint()
    )
    # then
    assert (sanction.kind, sanction.partners, sanction.complaint) == (
        "joint_sanction",
        ["market_regulation", "tax"],
        complaint,
    )
    listed = list(selectors.public_sanctions(on=date(2026, 9, 7)))
    assert listed == [sanction] and listed[0].partner_labels == ["市场监管", "税务"]
    assert complaint.events.filter(kind="sanction").count() == 1
    assert world.institution.events.filter(kind="sanctioned").count() == 1


def test_a_joint_sanction_needs_a_substantiated_complaint_and_a_partner(world: TrainingWorld) -> None:
    complaint = handled_to_investigation(world)

    def call(joint: handling.JointSanctionDraft) -> Sanction:
        return handling.joint_sanction_from_complaint(actor=world.county_bureau, complaint_id=complaint.pk, draft=joint)

    refused("training.complaint_not_substantiated", lambda: call(_joint()))
    handling.complaint_resolve(actor=world.inspector, complaint_id=complaint.pk, outcome="mediated", reply="已调解")
    refused("training.complaint_not_substantiated", lambda: call(_joint()))
    handling.complaint_reopen(actor=world.inspector, complaint_id=complaint.pk, reason="复查")
    handling.complaint_resolve(actor=world.inspector, complaint_id=complaint.pk, outcome="substantiated", reply="属实")
    refused("training.partners_required", lambda: call(_joint(partners=())))
    refused("training.invalid_choice", lambda: call(_joint(partners=("police",))))
    refused("training.text_required", lambda: call(_joint(measures="")))
    with pytest.raises(NotFound):  # joint sanctions are the bureau's
        handling.joint_sanction_from_complaint(actor=world.inspector, complaint_id=complaint.pk, draft=_joint())
