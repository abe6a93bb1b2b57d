"""Guardians on a phone: the child's school's plan, signing up with consent, ranked choices in the window, the
result of the draw (seat, waitlist place) and the weekly schedule; leaving a course or the service."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shuangjian.afterschool import selectors_pages
from shuangjian.afterschool.services import changes, enrolment
from shuangjian.afterschool.views.page_forms import ChoicesForm, SignUpForm
from shuangjian.afterschool.views.page_helpers import now
from shuangjian.core import access
from shuangjian.core.errors import DomainError
from shuangjian.core.views.common import scoped


def _family_only(request: HttpRequest) -> None:
    if not access.has_role(request.user, *selectors_pages.FAMILY_ROLES):
        raise PermissionDenied


@login_required
@require_http_methods(["GET"])
def children(request: HttpRequest) -> HttpResponse:
    _family_only(request)
    kids = list(selectors_pages.children_list(actor=request.user))
    if len(kids) == 1:
        return redirect("afterschool:child", student_id=kids[0].pk)
    return render(request, "afterschool/family.html", {"children": kids})


def _choices_form(page: selectors_pages.ChildPage, data: object = None) -> ChoicesForm | None:
    if page.plan is None or not page.enrolled:
        return None
    initial = {f"rank_{rank}": o.pk for rank, o in enumerate(page.ranked, start=1)}
    return ChoicesForm(data, options=page.options, ranks=page.plan.max_preferences, initial=initial)


def _render(
    request: HttpRequest, student_id: int, *, error: str = "", choices_form: ChoicesForm | None = None
) -> HttpResponse:
    page = scoped(lambda: selectors_pages.child_page(actor=request.user, student_id=student_id, now=now()))
    context = {
        "page": page,
        "sign_up_form": SignUpForm(initial={"plan_id": page.plan.pk if page.plan else None}),
        "choices_form": choices_form or _choices_form(page),
        "error": error,
        "can_enrol": access.has_role(request.user, *access.roles_for(enrolment.ENROL)),
    }
    return render(request, "afterschool/child.html", context, status=422 if error else 200)


@login_required
@require_http_methods(["GET"])
def child(request: HttpRequest, student_id: int) -> HttpResponse:
    _family_only(request)
    return _render(request, student_id)


def _act(
    request: HttpRequest,
    student_id: int,
    action: Callable[[], str],
    anchor: str,
    choices_form: ChoicesForm | None = None,
) -> HttpResponse:
    """Run one service call; on success say what happened and go back to the child's page, else show why not."""
    try:
        done = scoped(action)
    except DomainError as exc:
        return _render(request, student_id, error=exc.message, choices_form=choices_form)
    messages.success(request, done)
    return redirect(reverse("afterschool:child", args=[student_id]) + f"#{anchor}")


@login_required
@require_http_methods(["POST"])
def sign_up(request: HttpRequest, student_id: int) -> HttpResponse:
    form = SignUpForm(request.POST)
    if not form.is_valid():
        return _render(request, student_id, error=_("请重新打开页面后再报名。"))

    def run() -> str:
        signed = enrolment.enrolment_sign_up(
            actor=request.user,
            plan_id=form.cleaned_data["plan_id"],
            student_id=student_id,
            consent=form.cleaned_data["consent"],
        )
        return _("已为 %(name)s 报名本学期课后服务。") % {"name": signed.student.name}

    return _act(request, student_id, run, "choices")


@login_required
@require_http_methods(["POST"])
def choose(request: HttpRequest, student_id: int, enrolment_id: int) -> HttpResponse:
    page = scoped(lambda: selectors_pages.child_page(actor=request.user, student_id=student_id, now=now()))
    form = _choices_form(page, request.POST)
    if form is None or not form.is_valid():
        return _render(request, student_id, error=_("所选课程已不在可选范围内，请重新选择。"))

    chosen = form.offering_ids()

    def run() -> str:
        enrolment.preferences_set(actor=request.user, enrolment_id=enrolment_id, offering_ids=chosen)
        return _("志愿已保存。选课截止前可以随时修改，以最后一次保存为准。")

    return _act(request, student_id, run, "choices", choices_form=form)


@login_required
@require_http_methods(["POST"])
def withdraw_course(request: HttpRequest, student_id: int, assignment_id: int) -> HttpResponse:
    def run() -> str:
        row = changes.assignment_withdraw(actor=request.user, assignment_id=assignment_id)
        return _("已退出“%(course)s”。") % {"course": row.offering.course.title}

    return _act(request, student_id, run, "seats")


@login_required
@require_http_methods(["POST"])
def withdraw_service(request: HttpRequest, student_id: int, enrolment_id: int) -> HttpResponse:
    def run() -> str:
        left = changes.enrolment_withdraw(actor=request.user, enrolment_id=enrolment_id)
        return _("%(name)s 已退出本学期课后服务。如需再参加，可以重新报名。") % {"name": left.student.name}

    return _act(request, student_id, run, "plan")
