"""Guardians (and students) on a phone: the children's boards for a day and the time each child really spent."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shuangjian.core import access
from shuangjian.core.errors import DomainError, NotFound
from shuangjian.homework import selectors_pages
from shuangjian.homework.forms import DayForm, FeedbackForm
from shuangjian.homework.services import feedback
from shuangjian.homework.views.common import day_kind_label, today


@login_required
@require_http_methods(["GET", "POST"])
def family(request: HttpRequest) -> HttpResponse:
    if not access.has_role(request.user, *selectors_pages.FAMILY_ROLES):
        raise PermissionDenied
    now = today()
    day = DayForm(request.GET).day(default=now)
    failed: FeedbackForm | None = None
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            day = data["date"]
            try:
                saved = feedback.feedback_submit(
                    actor=request.user,
                    student_id=data["student_id"],
                    day=data["date"],
                    reported_minutes=data["reported_minutes"],
                    unfinished_at_bedtime=data["unfinished_at_bedtime"],
                    today=now,
                )
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("已记录 %(name)s %(date)s 的作业用时：%(minutes)s 分钟。如需更正，再次提交即可，以最新一次为准。")
                    % {"name": saved.student.name, "date": saved.date, "minutes": saved.reported_minutes},
                )
                query = urlencode({"date": saved.date.isoformat()})
                return redirect(f"{reverse('homework:family')}?{query}#child-{saved.student_id}")
        failed = form
    children = selectors_pages.family_day(actor=request.user, day=day)
    rows = []
    for child in children:
        if failed is not None and failed.data.get("student_id") == str(child.student.pk):
            form = failed
        else:
            report = child.feedback
            form = FeedbackForm(
                initial={
                    "student_id": child.student.pk,
                    "date": day,
                    "reported_minutes": report.reported_minutes if report else None,
                    "unfinished_at_bedtime": report.unfinished_at_bedtime if report else False,
                }
            )
        form.auto_id = f"id_child{child.student.pk}_%s"  # one form per child on the page: ids must differ
        rows.append((child, form))
    context = {
        "rows": rows,
        "day": day,
        "day_kind": day_kind_label(rows[0][0].board.day_kind) if rows else "",
        "can_report": day <= now,
        "failed": failed,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "today": now,
    }
    return render(request, "homework/family.html", context, status=422 if failed is not None else 200)
