"""A school leader's staffing page: who serves which block on which weekday, each person's term (class hours,
flexible-hours entitlement, subsidy) with the school's spread, and a form to put someone on a block."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shuangjian.afterschool import selectors_staffing
from shuangjian.afterschool.services import staffing
from shuangjian.core.csv_export import csv_response
from shuangjian.core.errors import DomainError
from shuangjian.core.views.common import scoped


def _number(request: HttpRequest, name: str) -> int | None:
    raw = request.POST.get(name, "")
    return int(raw) if raw.isdigit() else None


def _assign(request: HttpRequest, plan_id: int) -> None:
    if request.POST.get("action") == "remove":
        duty_id = _number(request, "duty_id")
        scoped(lambda: staffing.duty_remove(actor=request.user, duty_id=duty_id or 0))
        return
    weekday, block = _number(request, "weekday"), _number(request, "block")
    if weekday is None or block is None:
        raise Http404(_("请选择周几和时段。"))
    scoped(
        lambda: staffing.duty_assign(
            actor=request.user, plan_id=plan_id, weekday=weekday, block_number=block,
            staff_id=_number(request, "staff_id"), external_name=request.POST.get("external_name", ""),
            external_provider=request.POST.get("external_provider", ""),
            external_qualification=request.POST.get("external_qualification", ""),
        )
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def staffing_page(request: HttpRequest, plan_id: int) -> HttpResponse:
    refusal = ""
    if request.method == "POST":
        try:
            _assign(request, plan_id)
        except DomainError as exc:
            refusal = exc.message
        else:
            messages.success(request, _("值守安排已保存。"))
            return redirect(request.path)
    view = scoped(lambda: selectors_staffing.staffing(actor=request.user, plan_id=plan_id))
    duties = scoped(lambda: list(selectors_staffing.duty_list(actor=request.user, plan_id=plan_id)))
    context = {
        "view": view,
        "duties": duties,
        "staff": list(selectors_staffing.school_staff(view.plan.school_id)),
        "weekdays": sorted(view.plan.weekdays),
        "blocks": list(view.plan.blocks.all()),
        "refusal": refusal,
        "posted": request.POST if refusal else None,
    }
    return render(request, "afterschool/staffing.html", context, status=400 if refusal else 200)


@login_required
@require_GET
def staffing_csv(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The staffing table as a spreadsheet, for the subsidy and the flexible-hours records."""
    view = scoped(lambda: selectors_staffing.staffing(actor=request.user, plan_id=plan_id))
    header = [
        _("姓名"), _("类别"), _("服务机构"), _("服务天数"), _("课时"), _("分钟"), _("弹性上下班（分钟）"),
        _("补助（元）"), _("明显偏离本校均值"),
    ]  # fmt: skip
    rows = [_staff_row(person) for person in view.people]
    filename = _("%(school)s课后服务人员安排.csv") % {"school": view.plan.school.name}
    return csv_response(filename, header, rows)


def _staff_row(person: selectors_staffing.StaffHours) -> list[object]:
    term = person.term
    subsidy = None if term.subsidy_fen is None else f"{term.subsidy_fen / 100:.2f}"
    kind = _("校外人员") if person.external else _("本校教职工")
    return [
        person.name, kind, person.provider, term.days, term.class_hours, term.minutes, term.flexible_minutes,
        subsidy, _("是") if person.outlier else "",
    ]  # fmt: skip
