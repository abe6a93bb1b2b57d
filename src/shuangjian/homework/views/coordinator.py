"""Grade coordinators: a day's load of every class in their grade, and re-dividing a class's day between subjects."""

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
from shuangjian.core.errors import AccessDenied, DomainError, NotFound
from shuangjian.core.models import Role
from shuangjian.core.views.common import scoped
from shuangjian.homework import selectors_pages
from shuangjian.homework.forms import DayForm, RebalanceForm
from shuangjian.homework.services import items
from shuangjian.homework.views.common import day_kind_label, today


@login_required
@require_http_methods(["GET"])
def grade(request: HttpRequest) -> HttpResponse:
    if not access.has_role(request.user, Role.GRADE_COORDINATOR):
        raise PermissionDenied
    now = today()
    day = DayForm(request.GET).day(default=now)
    grades = selectors_pages.grade_day_list(actor=request.user, day=day)
    context = {
        "grades": grades,
        "day": day,
        "day_kind": day_kind_label(grades[0].boards[0].day_kind) if grades and grades[0].boards else "",
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "today": now,
    }
    return render(request, "homework/grade.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rebalance(request: HttpRequest, class_id: int) -> HttpResponse:
    now = today()
    day = DayForm(request.GET).day(default=now)
    sheet = scoped(lambda: selectors_pages.rebalance_sheet(actor=request.user, class_id=class_id, day=day))
    if not access.can(request.user, items.REBALANCE, sheet.board.school_class):
        raise PermissionDenied
    form = RebalanceForm(request.POST or None, entries=sheet.movable)
    if request.method == "POST" and form.is_valid():
        try:
            items.homework_rebalance(
                actor=request.user, class_id=class_id, day=day, minutes_by_item=form.minutes_by_item()
            )
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except AccessDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("已调整 %(class)s %(date)s 的作业时长。") % {"class": sheet.board.school_class.name, "date": day},
            )
            return redirect(f"{reverse('homework:grade')}?{urlencode({'date': day.isoformat()})}")
    context = {
        "sheet": sheet,
        "board": sheet.board,
        "form": form,
        "rows": [(entry, form[form.field_name(entry)]) for entry in sheet.movable],
        "day_kind": day_kind_label(sheet.board.day_kind),
        "day": day,
        "today": now,
    }
    return render(request, "homework/rebalance.html", context, status=422 if request.method == "POST" else 200)
