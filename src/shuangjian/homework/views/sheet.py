"""Head teachers: a whole class's feedback for one day in one form (one row per student)."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from shuangjian.core import access
from shuangjian.core.errors import AccessDenied, DomainError, NotFound
from shuangjian.core.views.common import scoped
from shuangjian.homework import selectors_pages
from shuangjian.homework.forms import DayForm, SheetFormSet
from shuangjian.homework.services import feedback
from shuangjian.homework.views.common import day_kind_label, today


@login_required
@require_http_methods(["GET", "POST"])
def feedback_sheet(request: HttpRequest, class_id: int) -> HttpResponse:
    now = today()
    day = DayForm(request.GET).day(default=now)
    sheet = scoped(lambda: selectors_pages.feedback_sheet(actor=request.user, class_id=class_id, day=day))
    if not access.can(request.user, feedback.FEEDBACK_BATCH, sheet.school_class):
        raise PermissionDenied
    initial = [
        {
            "student_id": row.student.pk,
            "reported_minutes": row.feedback.reported_minutes if row.feedback else None,
            "unfinished_at_bedtime": row.feedback.unfinished_at_bedtime if row.feedback else False,
        }
        for row in sheet.rows
    ]
    formset = SheetFormSet(request.POST or None, initial=initial)
    refusal: str | None = None
    if request.method == "POST" and formset.is_valid():
        # Only rows the head teacher changed are sent, so a family's own report keeps its author.
        entries = [
            feedback.FeedbackEntry(
                form.cleaned_data["student_id"],
                form.cleaned_data["reported_minutes"],
                form.cleaned_data["unfinished_at_bedtime"],
            )
            for form in formset
            if form.has_changed() and form.cleaned_data.get("reported_minutes") is not None
        ]
        if not entries:
            refusal = _("没有需要保存的变化：请填写或修改至少一名学生的用时。")
        else:
            try:
                saved = feedback.feedback_batch_submit(
                    actor=request.user, class_id=sheet.school_class.pk, day=day, entries=entries, today=now
                )
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except AccessDenied as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                refusal = exc.message
            else:
                messages.success(
                    request,
                    ngettext(
                        "已保存 %(count)s 名学生 %(date)s 的作业用时。",
                        "已保存 %(count)s 名学生 %(date)s 的作业用时。",
                        saved,
                    )
                    % {"count": saved, "date": day},
                )
                url = reverse("homework:feedback_sheet", args=[sheet.school_class.pk])
                return redirect(f"{url}?{urlencode({'date': day.isoformat()})}")
    context = {
        "sheet": sheet,
        "rows": list(zip(sheet.rows, formset.forms, strict=False)),
        "formset": formset,
        "refusal": refusal,
        "day_kind": day_kind_label(sheet.board.day_kind),
        "can_report": day <= now,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "today": now,
    }
    failed = request.method == "POST"
    return render(request, "homework/feedback_sheet.html", context, status=422 if failed else 200)
