"""The supervision desk: the registry of the bureau's region with licence actions, the violations found in stored
courses (bureau, inspectors), and an operator's own institution with its sites, staff and courses."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shuangjian.core import access, money
from shuangjian.core.errors import DomainError
from shuangjian.core.models import Role
from shuangjian.core.views.common import scoped
from shuangjian.training import selectors
from shuangjian.training.forms import (
    ConversionForm,
    CourseForm,
    LicenceForm,
    SanctionForm,
    SiteForm,
    StaffForm,
    SupervisionForm,
)
from shuangjian.training.models import Institution, LicenceStatus
from shuangjian.training.services import courses, premises, registry
from shuangjian.training.services.common import COURSES_MANAGE, PREMISES_MANAGE, REGISTRY_MANAGE

DESK_ROLES = (Role.BUREAU, Role.INSPECTOR, Role.INSTITUTION_OPERATOR)


def _desk(request: HttpRequest) -> None:
    if not access.has_role(request.user, *DESK_ROLES):
        raise PermissionDenied


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Supervisors: the registry they reach, filtered by status or name. An operator goes to its institution."""
    _desk(request)
    status = request.GET.get("status", "")
    query = request.GET.get("q", "")[:64]
    institutions = selectors.institution_list(actor=request.user, status=status or None, query=query)
    if not access.has_role(request.user, Role.BUREAU, Role.INSPECTOR):
        own = list(institutions[:2])
        if len(own) == 1:
            return redirect("training:institution", institution_id=own[0].pk)
    context = {
        "institutions": institutions[:200],
        "status": status,
        "query": query,
        "statuses": LicenceStatus.choices,
        "supervisor": access.has_role(request.user, Role.BUREAU, Role.INSPECTOR),
    }
    return render(request, "training/index.html", context)


@login_required
@require_GET
def violations(request: HttpRequest) -> HttpResponse:
    _desk(request)
    return render(request, "training/violations.html", {"violations": selectors.violation_list(actor=request.user)})


_ACTION_FORMS: dict[str, type[forms.Form]] = {
    "licence": LicenceForm,
    "conversion": ConversionForm,
    "supervision": SupervisionForm,
    "sanction": SanctionForm,
    "site": SiteForm,
    "staff": StaffForm,
}


def _page(request: HttpRequest, institution: Institution, bound: dict[str, forms.Form]) -> dict[str, Any]:
    user = request.user
    forms_ = {name: bound.get(name) or form_class() for name, form_class in _ACTION_FORMS.items()}
    return {
        "institution": institution,
        "sites": selectors.site_list(actor=user, institution_id=institution.pk),
        "staff": selectors.staff_list(actor=user, institution_id=institution.pk),
        "courses": selectors.course_list(actor=user, institution_id=institution.pk),
        "events": selectors.event_list(actor=user, institution_id=institution.pk)[:50],
        "can_manage": access.can(user, REGISTRY_MANAGE, institution),
        "can_premises": access.can(user, PREMISES_MANAGE, institution),
        "can_courses": access.can(user, COURSES_MANAGE, institution),
        "forms": forms_,
    }


@login_required
@require_GET
def institution(request: HttpRequest, institution_id: int) -> HttpResponse:
    _desk(request)
    found = scoped(lambda: selectors.institution_get(actor=request.user, institution_id=institution_id))
    return render(request, "training/institution.html", _page(request, found, {}))


def _apply(request: HttpRequest, institution_id: int, kind: str, data: dict[str, Any]) -> str:
    """Call the one service behind a form of the institution page; returns the success message."""
    user, pk = request.user, institution_id
    if kind == "licence":
        registry.licence_change(actor=user, institution_id=pk, **data)
        return _("许可状态已更新。")
    if kind == "conversion":
        registry.institution_convert(actor=user, institution_id=pk, **data)
        return _("已转为非学科类机构。")
    if kind == "supervision":
        registry.supervision_record(actor=user, institution_id=pk, **data)
        return _("已登记资金监管账户。")
    if kind == "sanction":
        draft = registry.SanctionDraft(**{**data, "partners": tuple(data["partners"])})
        registry.sanction_add(actor=user, institution_id=pk, draft=draft)
        return _("已列入惩戒名单。")
    if kind == "site":
        premises.site_add(actor=user, institution_id=pk, **data)
        return _("已新增培训场所。")
    premises.staff_add(actor=user, institution_id=pk, **data)
    return _("已新增从业人员。")


@login_required
@require_POST
def institution_action(request: HttpRequest, institution_id: int, kind: str) -> HttpResponse:
    _desk(request)
    found = scoped(lambda: selectors.institution_get(actor=request.user, institution_id=institution_id))
    form_class = _ACTION_FORMS.get(kind)
    if form_class is None:
        raise Http404
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message = scoped(lambda: _apply(request, institution_id, kind, form.cleaned_data))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, message)
            return redirect("training:institution", institution_id=institution_id)
    return render(request, "training/institution.html", _page(request, found, {kind: form}), status=422)


@login_required
@require_http_methods(["GET", "POST"])
def course_new(request: HttpRequest, institution_id: int) -> HttpResponse:
    """The operator enters a course; a refused course stays on the form with the rule it breaks."""
    _desk(request)
    found = scoped(lambda: selectors.institution_get(actor=request.user, institution_id=institution_id))
    sites = [
        (s.pk, f"{s.address}（{s.area_square_metres}㎡）")
        for s in selectors.site_list(actor=request.user, institution_id=found.pk)
    ]
    form = CourseForm(request.POST or None, sites=sites)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = courses.CourseDraft(
            title=data["title"],
            subject=data["subject"],
            grade_min=data["grade_min"],
            grade_max=data["grade_max"],
            lesson_minutes=data["lesson_minutes"],
            lesson_count=data["lesson_count"],
            class_size=data["class_size"],
            price_fen_per_lesson=money.fen(data["price_yuan"]),
            charge_lessons=data["charge_lessons"],
            charge_months=data["charge_months"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            sittings=tuple(courses.SittingDraft(**row) for row in form.sitting_rows()),
            site_id=data["site_id"],
        )
        try:
            course = scoped(lambda: courses.course_create(actor=request.user, institution_id=found.pk, draft=draft))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("课程“%(title)s”已开设。") % {"title": course.title})
            return redirect("training:institution", institution_id=found.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "training/course_new.html", {"institution": found, "form": form}, status=status)
