"""The service's daily operation on a phone: a teacher picks one of today's blocks, sees the roster with the
children whose guardians reported an absence already marked, taps each mark and submits once; a guardian reports
an absence beforehand, records whether the child may leave alone, and sees the child's recent attendance."""

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shuangjian.afterschool import selectors_attendance
from shuangjian.afterschool.models import AttendanceStatus
from shuangjian.afterschool.services import attendance, signout
from shuangjian.core.errors import DomainError
from shuangjian.core.views.common import scoped

STATUS_FIELD = "status-"


def _day(raw: str | None, default: date) -> date:
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise Http404(_("日期格式不正确。")) from exc


@login_required
@require_http_methods(["GET"])
def attendance_today(request: HttpRequest) -> HttpResponse:
    """The blocks the teacher may take on a day (today unless `?date=`)."""
    today = timezone.localdate()
    day = _day(request.GET.get("date"), today)
    choices = selectors_attendance.day_rosters(actor=request.user, day=day)
    classes = {c.school_class.pk: c.school_class for c in choices if c.school_class is not None and c.offering is None}
    context = {
        "day": day,
        "today": today,
        "choices": choices,
        "statuses": AttendanceStatus.choices,
        "sign_out_classes": list(classes.values()),
    }
    return render(request, "afterschool/attendance_today.html", context)


def _marks(request: HttpRequest) -> list[attendance.Mark]:
    marks = []
    for name in request.POST:
        student = name.removeprefix(STATUS_FIELD)
        if name.startswith(STATUS_FIELD) and student.isdigit():
            marks.append(attendance.Mark(int(student), request.POST.get(name, "")))
    return marks


def _selected(request: HttpRequest, line: selectors_attendance.RosterLine) -> str:
    """What a row shows: after a refused submission, what the teacher had chosen; else the roster's status."""
    if request.method == "POST":
        return request.POST.get(f"{STATUS_FIELD}{line.student.pk}", line.status)
    return line.status


def _roster_page(
    request: HttpRequest,
    read: Callable[[], selectors_attendance.Roster],
    take: Callable[[list[attendance.Mark]], attendance.TakenRoster],
) -> HttpResponse:
    refusal: str | None = None
    if request.method == "POST":
        try:
            taken = scoped(lambda: take(_marks(request)))
        except DomainError as exc:
            refusal = exc.message
        else:
            counts = {status: taken.count(status) for status in AttendanceStatus.values}
            messages.success(
                request,
                _("已保存 %(count)s 名学生的考勤：出勤 %(present)s，迟到 %(late)s，缺勤 %(absent)s，请假 %(excused)s。")
                % {"count": len(taken.records), **counts},
            )
            return redirect(request.get_full_path())
    try:
        roster = scoped(read)
    except DomainError as exc:
        return render(request, "afterschool/attendance_refused.html", {"refusal": exc.message}, status=400)
    context = {
        "roster": roster,
        "refusal": refusal,
        "statuses": AttendanceStatus.choices,
        "rows": [(line, _selected(request, line)) for line in roster.lines],
        "can_take": roster.day <= timezone.localdate(),
    }
    return render(request, "afterschool/attendance_roster.html", context, status=400 if refusal else 200)


@login_required
@require_http_methods(["GET", "POST"])
def attendance_class(request: HttpRequest, class_id: int, day: str, block: int) -> HttpResponse:
    on = _day(day, timezone.localdate())
    return _roster_page(
        request,
        lambda: selectors_attendance.class_roster(actor=request.user, class_id=class_id, day=on, block_number=block),
        lambda marks: attendance.class_attendance_take(
            actor=request.user, class_id=class_id, day=on, block_number=block, marks=marks
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance_offering(request: HttpRequest, offering_id: int, day: str, block: int) -> HttpResponse:
    on = _day(day, timezone.localdate())
    return _roster_page(
        request,
        lambda: selectors_attendance.offering_roster(
            actor=request.user, offering_id=offering_id, day=on, block_number=block
        ),
        lambda marks: attendance.offering_attendance_take(
            actor=request.user, offering_id=offering_id, day=on, block_number=block, marks=marks
        ),
    )


def _absence_submit(request: HttpRequest) -> str:
    """Report an absence from the posted form; returns the success message (raises DomainError when refused)."""
    try:
        student_id = int(request.POST.get("student_id", ""))
        start = date.fromisoformat(request.POST.get("start", ""))
        end = date.fromisoformat(request.POST.get("end", "") or request.POST.get("start", ""))
    except ValueError as exc:
        raise Http404(_("请假信息不完整：请选择孩子和日期。")) from exc
    report = scoped(
        lambda: attendance.absence_report(
            actor=request.user, student_id=student_id, start=start, end=end, reason=request.POST.get("reason", "")
        )
    )
    if report.start_date == report.end_date:
        return _("已为%(name)s请假：%(date)s。老师点名时会看到。") % {
            "name": report.student.name,
            "date": report.start_date,
        }
    return _("已为%(name)s请假：%(start)s 至 %(end)s。老师点名时会看到。") % {
        "name": report.student.name,
        "start": report.start_date,
        "end": report.end_date,
    }


def _leave_alone_submit(request: HttpRequest) -> str:
    try:
        student_id = int(request.POST.get("student_id", ""))
    except ValueError as exc:
        raise Http404 from exc
    allowed = request.POST.get("allowed") == "on"
    scoped(lambda: signout.leave_alone_set(actor=request.user, student_id=student_id, allowed=allowed))
    return _("已登记：孩子放学后可以自行离校。") if allowed else _("已登记：孩子放学后须由监护人接走。")


def _absence_cancel_submit(request: HttpRequest) -> str:
    try:
        absence_id = int(request.POST.get("absence_id", ""))
    except ValueError as exc:
        raise Http404 from exc
    kept = scoped(lambda: attendance.absence_cancel(actor=request.user, absence_id=absence_id))
    if kept is None:
        return _("已取消请假。")
    return _("已取消今天起的请假；%(end)s 及以前的请假仍然有效。") % {"end": kept.end_date}


_FAMILY_ACTIONS = {"leave_alone": _leave_alone_submit, "cancel_absence": _absence_cancel_submit}


@login_required
@require_http_methods(["GET", "POST"])
def absence_family(request: HttpRequest) -> HttpResponse:
    """A guardian's page: report an absence beforehand, the leave-alone choice, recent attendance per child."""
    today = timezone.localdate()
    refusal: str | None = None
    if request.method == "POST":
        submit = _FAMILY_ACTIONS.get(request.POST.get("action", ""), _absence_submit)
        try:
            done = submit(request)
        except DomainError as exc:
            refusal = exc.message
        else:
            messages.success(request, done)
            return redirect(request.path)
    children = selectors_attendance.family_overview(actor=request.user, today=today)
    context = {"children": children, "today": today, "refusal": refusal, "posted": request.POST if refusal else None}
    return render(request, "afterschool/absence_family.html", context, status=400 if refusal else 200)
