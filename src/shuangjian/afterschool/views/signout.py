"""放学签离 at the gate, on a phone: the teacher opens the class's sheet for the day, and for each child taps the
registered guardian who came (or "leaves alone" where the family allowed it). The school's late pick-ups list
follows from the sign-outs."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shuangjian.afterschool import selectors_attendance, selectors_signout
from shuangjian.afterschool.services import signout
from shuangjian.afterschool.views.page_helpers import parse_day
from shuangjian.core.errors import DomainError
from shuangjian.core.views.common import scoped

LEAVE_ALONE = "alone"
LATE_PICKUP_DAYS = 30


def _submit(request: HttpRequest, day_text: str) -> str:
    try:
        student_id = int(request.POST.get("student_id", ""))
        block = int(request.POST.get("block", ""))
    except ValueError as exc:
        raise Http404(_("签离信息不完整。")) from exc
    who = request.POST.get("who", "")
    alone = who == LEAVE_ALONE
    guardian_id = int(who) if who.isdigit() else None
    day = parse_day(day_text, timezone.localdate())
    record = scoped(
        lambda: signout.sign_out(
            actor=request.user, student_id=student_id, day=day, block_number=block,
            guardian_id=guardian_id, leave_alone=alone,
        )
    )  # fmt: skip
    if record.minutes_late:
        return _("已签离：%(name)s（晚接 %(minutes)s 分钟）。") % {
            "name": record.student.name,
            "minutes": record.minutes_late,
        }
    return _("已签离：%(name)s。") % {"name": record.student.name}


@login_required
@require_http_methods(["GET", "POST"])
def sign_out_sheet(request: HttpRequest, class_id: int, day: str) -> HttpResponse:
    refusal = ""
    if request.method == "POST":
        try:
            done = _submit(request, day)
        except DomainError as exc:
            refusal = exc.message
        else:
            messages.success(request, done)
            return redirect(request.path)
    on = parse_day(day, timezone.localdate())
    try:
        sheet = scoped(lambda: selectors_signout.sign_out_sheet(actor=request.user, class_id=class_id, day=on))
    except DomainError as exc:
        return render(request, "afterschool/attendance_refused.html", {"refusal": exc.message}, status=400)
    context = {"sheet": sheet, "refusal": refusal, "leave_alone": LEAVE_ALONE}
    return render(request, "afterschool/sign_out.html", context, status=400 if refusal else 200)


@login_required
@require_http_methods(["GET"])
def late_pickups(request: HttpRequest, code: str) -> HttpResponse:
    today = timezone.localdate()
    start = parse_day(request.GET.get("start"), today - timedelta(days=LATE_PICKUP_DAYS))
    end = parse_day(request.GET.get("end"), today)
    try:
        rows = scoped(
            lambda: list(selectors_attendance.late_pickups(actor=request.user, school_code=code, start=start, end=end))
        )
    except DomainError as exc:
        return render(request, "afterschool/attendance_refused.html", {"refusal": exc.message}, status=400)
    context = {"rows": rows, "start": start, "end": end, "code": code}
    return render(request, "afterschool/late_pickups.html", context)
