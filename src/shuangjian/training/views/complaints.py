"""The complaint desk of inspectors and the bureau: my complaints, unassigned, overdue (with due-soon badges), a
hotline hand-over form, and a complaint page with its timeline and the forms of the moves allowed now."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shuangjian.core import access
from shuangjian.core.errors import DomainError
from shuangjian.core.models import Role
from shuangjian.core.views.common import scoped
from shuangjian.training import rules, selectors, selectors_complaints
from shuangjian.training.forms_complaints import (
    AssignForm,
    CloseForm,
    HotlineForm,
    JointSanctionForm,
    NoteForm,
    RejectForm,
    ReopenForm,
    ResolveForm,
    StartForm,
    TriageForm,
)
from shuangjian.training.models import Complaint, ComplaintOutcome, ComplaintStatus
from shuangjian.training.services import complaint_handling as handling
from shuangjian.training.services import complaints

DeskView = selectors_complaints.DeskView
_FORMS: dict[str, type[forms.Form]] = {
    "triage": TriageForm,
    "reject": RejectForm,
    "assign": AssignForm,
    "investigate": StartForm,
    "note": NoteForm,
    "resolve": ResolveForm,
    "close": CloseForm,
    "reopen": ReopenForm,
    "sanction": JointSanctionForm,
}
_DONE = {
    "triage": gettext_lazy("已分类受理。"),
    "reject": gettext_lazy("已不予受理。"),
    "assign": gettext_lazy("已分派。"),
    "investigate": gettext_lazy("已开始调查。"),
    "note": gettext_lazy("已添加调查记录。"),
    "resolve": gettext_lazy("已办结并答复投诉人。"),
    "close": gettext_lazy("已归档。"),
    "reopen": gettext_lazy("已重新办理。"),
    "sanction": gettext_lazy("已记录联合惩戒，并列入惩戒名单。"),
}


def _supervisor(request: HttpRequest) -> None:
    if not access.has_role(request.user, *selectors_complaints.SUPERVISORS):
        raise PermissionDenied


@login_required
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    _supervisor(request)
    default = DeskView.MINE if access.has_role(request.user, Role.INSPECTOR) else DeskView.ALL
    view = request.GET.get("view", default)
    if view not in DeskView.CHOICES:
        view = default
    today = timezone.localdate()
    soon = selectors_complaints.due_soon_until(today)
    found = selectors_complaints.complaint_list(actor=request.user, view=view, today=today)[:100]
    context = {
        "view": view,
        "rows": [(c, selectors_complaints.deadline_flags(c, today, soon)) for c in found],
        "counts": selectors_complaints.desk_counts(actor=request.user, today=today),
        "views": [
            (DeskView.MINE, _("我的")),
            (DeskView.UNASSIGNED, _("待分派")),
            (DeskView.OVERDUE, _("已超期")),
            (DeskView.ALL, _("全部")),
        ],
    }
    return render(request, "training/complaint_desk.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def hotline_new(request: HttpRequest) -> HttpResponse:
    """Record a 12345 / 12315 hand-over; a refusal stays on the form with its message."""
    _supervisor(request)
    form = HotlineForm(request.POST or None, counties=selectors.complaint_counties())
    if request.method == "POST" and form.is_valid():
        draft = complaints.hotline_draft(form.cleaned_data)
        try:
            complaint = scoped(lambda: complaints.complaint_intake_hotline(actor=request.user, draft=draft))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记，受理编号 %(reference)s。") % {"reference": complaint.reference})
            return redirect("training:complaint", complaint_id=complaint.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "training/complaint_hotline.html", {"form": form}, status=status)


def _can_sanction(request: HttpRequest, complaint: Complaint) -> bool:
    finished = complaint.status in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED)
    substantiated = complaint.outcome == ComplaintOutcome.SUBSTANTIATED and complaint.institution_id is not None
    return finished and substantiated and access.has_role(request.user, Role.BUREAU)


def _form(kind: str, complaint: Complaint, data: Any = None) -> forms.Form:
    if kind == "assign":
        codes = [complaint.county_id, complaint.city_id, complaint.province_id]
        inspectors = [(u.pk, str(u)) for u in selectors_complaints.assignable_inspectors(codes)]
        return AssignForm(data, inspectors=inspectors)
    return _FORMS[kind](data)


def _page(request: HttpRequest, complaint: Complaint, bound: dict[str, forms.Form]) -> dict[str, Any]:
    today = timezone.localdate()
    kinds = [action.value for action in rules.complaint_actions(complaint.status)]
    if complaint.status != ComplaintStatus.TRIAGED and "assign" in kinds:
        kinds.append(kinds.pop(kinds.index("assign")))  # reassigning is the exception: its form comes last
    if _can_sanction(request, complaint):
        kinds.append("sanction")
    kinds.extend(kind for kind in bound if kind not in kinds)  # a refused form stays visible with its message
    return {
        "complaint": complaint,
        "events": selectors_complaints.complaint_events(actor=request.user, complaint_id=complaint.pk),
        "flags": selectors_complaints.deadline_flags(complaint, today, selectors_complaints.due_soon_until(today)),
        "forms": [(kind, _ACTION_TITLES[kind], bound.get(kind) or _form(kind, complaint)) for kind in kinds],
    }


_ACTION_TITLES = {
    **{a.value: label for a, label in handling.ACTION_LABELS.items()},
    "sanction": gettext_lazy("联合惩戒"),
}


@login_required
@require_GET
def complaint_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    _supervisor(request)
    found = scoped(lambda: selectors_complaints.complaint_get(actor=request.user, complaint_id=complaint_id))
    return render(request, "training/complaint_detail.html", _page(request, found, {}))


def _apply(request: HttpRequest, complaint_id: int, kind: str, data: dict[str, Any]) -> None:
    """Call the one service behind a form of the complaint page."""
    user = request.user
    if kind == "sanction":
        draft = handling.JointSanctionDraft(**{**data, "partners": tuple(data["partners"])})
        handling.joint_sanction_from_complaint(actor=user, complaint_id=complaint_id, draft=draft)
        return
    moves: dict[str, Callable[..., Complaint]] = {
        "triage": handling.complaint_triage,
        "reject": handling.complaint_reject,
        "assign": handling.complaint_assign,
        "investigate": handling.complaint_investigate,
        "note": handling.complaint_note,
        "resolve": handling.complaint_resolve,
        "close": handling.complaint_close,
        "reopen": handling.complaint_reopen,
    }
    moves[kind](actor=user, complaint_id=complaint_id, **data)


@login_required
@require_POST
def complaint_action(request: HttpRequest, complaint_id: int, kind: str) -> HttpResponse:
    _supervisor(request)
    if kind not in _FORMS:
        raise Http404
    found = scoped(lambda: selectors_complaints.complaint_get(actor=request.user, complaint_id=complaint_id))
    form = _form(kind, found, request.POST)
    if form.is_valid():
        try:
            scoped(lambda: _apply(request, complaint_id, kind, form.cleaned_data))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, str(_DONE[kind]))
            return redirect("training:complaint", complaint_id=complaint_id)
    return render(request, "training/complaint_detail.html", _page(request, found, {kind: form}), status=422)
