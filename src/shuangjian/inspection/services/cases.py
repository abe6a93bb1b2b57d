"""Unlicensed ("underground") training: a case is reported (from an inspection, a complaint or a tip), verified
or dismissed, ordered to close, found closed, and re-checked; a re-check that finds it running reopens it."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuangjian.core import access
from shuangjian.inspection import rules, selectors
from shuangjian.inspection.errors import InspectionError, inspection_error
from shuangjian.inspection.models import CaseSource, CaseStatus, UnlicensedCase
from shuangjian.inspection.services.common import CASE_MANAGE, choice, county_chain, region_of, text

CASE_ACTION_LABELS: dict[rules.CaseAction, Promise] = {
    rules.CaseAction.VERIFY: _("核实为无证培训"),
    rules.CaseAction.DISMISS: _("查无实据"),
    rules.CaseAction.ORDER_CLOSURE: _("责令停止办学"),
    rules.CaseAction.CLOSE: _("确认已关停"),
    rules.CaseAction.RECHECK_CLOSED: _("复查：仍已关停"),
    rules.CaseAction.RECHECK_REOPENED: _("复查：死灰复燃"),
}
# The date column each action sets.
_DATES = {
    rules.CaseAction.VERIFY: "verified_on",
    rules.CaseAction.ORDER_CLOSURE: "closure_ordered_on",
    rules.CaseAction.CLOSE: "closed_on",
}


@dataclass(frozen=True, slots=True)
class CaseDraft:
    county_code: str
    name: str
    address: str
    source: str
    complaint_reference: str = ""
    description: str = ""


@transaction.atomic(durable=True)
def case_report(*, actor: Any, draft: CaseDraft) -> UnlicensedCase:
    county, city, province = county_chain(region_of(draft.county_code))
    access.require_region(actor, CASE_MANAGE, county)
    case = UnlicensedCase(
        name=text(draft.name, _("名称或招牌"), 128),
        address=text(draft.address, _("地址"), 200),
        county=county,
        city=city,
        province=province,
        source=choice(draft.source, CaseSource.values, _("来源")),
        complaint_reference=text(draft.complaint_reference, _("投诉受理编号"), 20, required=False).upper(),
        description=text(draft.description, _("情况"), 2000, required=False),
        reported_by=actor,
        reported_at=timezone.now(),
    )
    case.full_clean()
    case.save()
    return case


@transaction.atomic(durable=True)
def case_advance(*, actor: Any, case_id: int, action: str, on: date | None = None, note: str = "") -> UnlicensedCase:
    """Move a case one step (`rules.CaseAction`) on `on` (today by default); the note is appended to its record."""
    found = selectors.case_get(actor=actor, case_id=case_id)
    access.require(actor, CASE_MANAGE, found)
    case = UnlicensedCase.objects.select_for_update().get(pk=found.pk)
    step = rules.CaseAction(choice(action, rules.CaseAction, _("办理环节")))
    moved = rules.case_next_status(case.status, step)
    if isinstance(moved, rules.Refusal):
        raise inspection_error(
            InspectionError.TRANSITION_NOT_ALLOWED,
            status_label=CaseStatus(case.status).label,
            action_label=CASE_ACTION_LABELS[step],
        )
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise inspection_error(InspectionError.FUTURE_DATE)
    fields = ["status"]
    case.status = moved
    if step in _DATES:
        setattr(case, _DATES[step], day)
        fields.append(_DATES[step])
    if step in (rules.CaseAction.RECHECK_CLOSED, rules.CaseAction.RECHECK_REOPENED):
        case.rechecked_on = day
        case.recheck_count += 1
        fields += ["rechecked_on", "recheck_count"]
    if step is rules.CaseAction.RECHECK_REOPENED:
        case.closed_on = None
        fields.append("closed_on")
    clean = text(note, _("办理情况"), 500, required=False)
    if clean:
        stamp = f"[{day.isoformat()} {CASE_ACTION_LABELS[step]}] {clean}"
        case.description = f"{case.description}\n{stamp}".strip()
        fields.append("description")
    case.save(update_fields=fields)
    return case
