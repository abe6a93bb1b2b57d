"""Handling a complaint (inspectors and the bureau of its region): triage or reject, assign to an inspector,
investigate with notes, resolve with an outcome and a reply, close, reopen. Every move is checked against
rules.COMPLAINT_TRANSITIONS and written with its event row in one transaction. The institution's operator may add
a written response; the bureau may record a joint sanction (联合惩戒) on a substantiated complaint."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangjian.core import access
from shuangjian.core.models import Role
from shuangjian.training import rules, selectors_complaints
from shuangjian.training.errors import TrainingError, training_error
from shuangjian.training.models import (
    Complaint,
    ComplaintCategory,
    ComplaintEvent,
    ComplaintEventKind,
    ComplaintOutcome,
    ComplaintPriority,
    ComplaintStatus,
    Sanction,
)
from shuangjian.training.services.common import COMPLAINT_HANDLE, COMPLAINT_RESPOND, choice, text
from shuangjian.training.services.registry import SanctionDraft, sanction_create

ACTION_LABELS = {
    rules.ComplaintAction.TRIAGE: _("分类受理"),
    rules.ComplaintAction.REJECT: _("不予受理"),
    rules.ComplaintAction.ASSIGN: _("分派督查员"),
    rules.ComplaintAction.INVESTIGATE: _("开始调查"),
    rules.ComplaintAction.NOTE: _("添加调查记录"),
    rules.ComplaintAction.RESOLVE: _("办结答复"),
    rules.ComplaintAction.CLOSE: _("归档"),
    rules.ComplaintAction.REOPEN: _("重新办理"),
}
_EVENT_KINDS = {
    rules.ComplaintAction.TRIAGE: ComplaintEventKind.TRIAGED,
    rules.ComplaintAction.REJECT: ComplaintEventKind.REJECTED,
    rules.ComplaintAction.ASSIGN: ComplaintEventKind.ASSIGNED,
    rules.ComplaintAction.INVESTIGATE: ComplaintEventKind.STARTED,
    rules.ComplaintAction.NOTE: ComplaintEventKind.NOTE,
    rules.ComplaintAction.RESOLVE: ComplaintEventKind.RESOLVED,
    rules.ComplaintAction.CLOSE: ComplaintEventKind.CLOSED,
    rules.ComplaintAction.REOPEN: ComplaintEventKind.REOPENED,
}


def _locked(actor: Any, action: str, complaint: Complaint) -> Complaint:
    access.require(actor, action, complaint)
    locked: QuerySet[Complaint] = Complaint.objects.select_for_update().filter(pk=complaint.pk)
    return locked.get()


def _event(complaint: Complaint, kind: str, actor: Any, from_status: str = "", note: str = "") -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=complaint,
        kind=kind,
        from_status=from_status,
        to_status=complaint.status,
        note=note,
        actor=actor,
        at=timezone.now(),
    )


def _move(actor: Any, complaint_id: int, action: rules.ComplaintAction, note: str = "", **changes: Any) -> Complaint:
    """Check the move from the current status, apply `changes` and the new status, write the event."""
    found = selectors_complaints.complaint_get(actor=actor, complaint_id=complaint_id)
    complaint = _locked(actor, COMPLAINT_HANDLE, found)
    outcome = rules.complaint_next_status(complaint.status, action)
    if isinstance(outcome, rules.Finding):
        raise training_error(
            TrainingError.COMPLAINT_BAD_TRANSITION,
            **outcome.params,
            status_label=ComplaintStatus(complaint.status).label,
            action_label=ACTION_LABELS[action],
        )
    from_status = complaint.status
    complaint.status = outcome
    for field, value in changes.items():
        setattr(complaint, field, value)
    complaint.full_clean(validate_unique=False, validate_constraints=False)
    complaint.save(update_fields=["status", *changes])
    _event(complaint, _EVENT_KINDS[action], actor, from_status, note)
    return complaint


@transaction.atomic(durable=True)
def complaint_triage(*, actor: Any, complaint_id: int, category: str, priority: str, note: str = "") -> Complaint:
    """Accept a received complaint into handling with its category and priority."""
    return _move(
        actor,
        complaint_id,
        rules.ComplaintAction.TRIAGE,
        text(note, _("说明"), 2000, required=False),
        category=choice(category, ComplaintCategory.values, _("类别")),
        priority=choice(priority, ComplaintPriority.values, _("紧急程度")),
    )


@transaction.atomic(durable=True)
def complaint_reject(*, actor: Any, complaint_id: int, reason: str) -> Complaint:
    """Reject a received complaint as out of scope (not about off-campus training, not in this region...)."""
    why = text(reason, _("不予受理理由"), 2000)
    return _move(actor, complaint_id, rules.ComplaintAction.REJECT, why, rejection_reason=why)


@transaction.atomic(durable=True)
def complaint_assign(*, actor: Any, complaint_id: int, assignee_id: int, note: str = "") -> Complaint:
    """Hand a triaged complaint (or reassign one) to an inspector whose region covers its county."""
    found = selectors_complaints.complaint_get(actor=actor, complaint_id=complaint_id)
    if not selectors_complaints.is_assignable(assignee_id, [found.county_id, found.city_id, found.province_id]):
        raise training_error(TrainingError.ASSIGNEE_NOT_INSPECTOR)
    return _move(
        actor,
        complaint_id,
        rules.ComplaintAction.ASSIGN,
        text(note, _("说明"), 2000, required=False),
        assignee_id=assignee_id,
    )


@transaction.atomic(durable=True)
def complaint_investigate(*, actor: Any, complaint_id: int, note: str = "") -> Complaint:
    """The assigned inspector starts the investigation."""
    return _move(actor, complaint_id, rules.ComplaintAction.INVESTIGATE, text(note, _("说明"), 2000, required=False))


@transaction.atomic(durable=True)
def complaint_note(*, actor: Any, complaint_id: int, note: str) -> Complaint:
    """An investigation note, timestamped with its author (never shown to the complainant or the operator)."""
    return _move(actor, complaint_id, rules.ComplaintAction.NOTE, text(note, _("调查记录"), 2000))


@transaction.atomic(durable=True)
def complaint_resolve(*, actor: Any, complaint_id: int, outcome: str, reply: str) -> Complaint:
    """Resolve with an outcome and the reply the complainant reads with the reference number."""
    answer = text(reply, _("答复内容"), 2000)
    return _move(
        actor,
        complaint_id,
        rules.ComplaintAction.RESOLVE,
        answer,
        outcome=choice(outcome, ComplaintOutcome.values, _("办理结果")),
        reply=answer,
        resolved_at=timezone.now(),
    )


@transaction.atomic(durable=True)
def complaint_close(*, actor: Any, complaint_id: int, note: str = "") -> Complaint:
    return _move(actor, complaint_id, rules.ComplaintAction.CLOSE, text(note, _("说明"), 2000, required=False))


@transaction.atomic(durable=True)
def complaint_reopen(*, actor: Any, complaint_id: int, reason: str) -> Complaint:
    """Reopen a resolved complaint (back to investigation) or a rejected one (back to triage)."""
    why = text(reason, _("原因"), 2000)
    found = selectors_complaints.complaint_get(actor=actor, complaint_id=complaint_id)
    if found.status == ComplaintStatus.RESOLVED:
        return _move(actor, complaint_id, rules.ComplaintAction.REOPEN, why, outcome="", reply="", resolved_at=None)
    return _move(actor, complaint_id, rules.ComplaintAction.REOPEN, why, rejection_reason="")


@transaction.atomic(durable=True)
def complaint_respond(*, actor: Any, complaint_id: int, response: str) -> Complaint:
    """The institution's operator answers a complaint about it in writing (not once it is closed)."""
    found = selectors_complaints.institution_complaint_get(actor=actor, complaint_id=complaint_id)
    complaint = _locked(actor, COMPLAINT_RESPOND, found)
    if complaint.status == ComplaintStatus.CLOSED:
        raise training_error(
            TrainingError.COMPLAINT_BAD_TRANSITION,
            status=complaint.status,
            action="respond",
            status_label=ComplaintStatus(complaint.status).label,
            action_label=_("机构说明"),
        )
    complaint.operator_response = text(response, _("机构说明"), 2000)
    complaint.save(update_fields=["operator_response"])
    _event(complaint, ComplaintEventKind.OPERATOR_RESPONSE, actor, complaint.status, complaint.operator_response)
    return complaint


@dataclass(frozen=True, slots=True)
class JointSanctionDraft:
    reason: str
    authority: str
    starts_on: date
    partners: tuple[str, ...]
    measures: str
    ends_on: date | None = None


@transaction.atomic(durable=True)
def joint_sanction_from_complaint(*, actor: Any, complaint_id: int, draft: JointSanctionDraft) -> Sanction:
    """Record a joint sanction (联合惩戒) on the institution of a resolved, substantiated complaint (bureau)."""
    complaint = selectors_complaints.complaint_get(actor=actor, complaint_id=complaint_id, roles=(Role.BUREAU,))
    finished = complaint.status in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED)
    if not finished or complaint.outcome != ComplaintOutcome.SUBSTANTIATED:
        raise training_error(TrainingError.NOT_SUBSTANTIATED)
    if complaint.institution_id is None:
        raise training_error(TrainingError.NO_INSTITUTION)
    sanction = sanction_create(
        actor=actor,
        institution_id=complaint.institution_id,
        draft=SanctionDraft(
            kind="joint_sanction",
            reason=draft.reason,
            authority=draft.authority,
            starts_on=draft.starts_on,
            ends_on=draft.ends_on,
            partners=draft.partners,
            measures=draft.measures,
        ),
        complaint=complaint,
    )
    _event(complaint, ComplaintEventKind.SANCTION, actor, complaint.status, sanction.reason)
    return sanction
