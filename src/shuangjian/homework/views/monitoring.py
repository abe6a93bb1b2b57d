"""Monitoring with charts: a school (school leaders), a class (its head teacher and the school's staff), a region
(the bureau). Figures over fewer reports than the minimum cell size are suppressed and shown as 样本不足."""

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shuangjian.core.views.common import scoped
from shuangjian.homework import rules, selectors_pages
from shuangjian.homework.forms import PeriodForm
from shuangjian.homework.selectors_pages import DayPoint, Period
from shuangjian.homework.views.common import today


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def chart_data(series: list[DayPoint], *, with_cap: bool) -> dict[str, Any]:
    """What monitoring.js draws: one value per day, None where suppressed (a gap in the line)."""
    data: dict[str, Any] = {
        "days": [formats.date_format(p.day, "MONTH_DAY_FORMAT") for p in series],
        "within": [_percent(p.within_cap_share) for p in series],
        "unfinished": [_percent(p.unfinished_share) for p in series],
        "median": [p.median_minutes for p in series],
        "p90": [p.p90_minutes for p in series],
        "estimated": [None if p.average_estimated_minutes is None else round(p.average_estimated_minutes, 1)
                      for p in series],
        "labels": {
            "share_title": _("每日在上限内完成的学生比例"),
            "minutes_title": _("每日书面作业用时（分钟）"),
            "within": _("在上限内完成"),
            "unfinished": _("到就寝时间未完成"),
            "median": _("中位数"),
            "p90": _("第90百分位"),
            "estimated": _("布置的预计用时"),
            "cap": _("上限"),
            "suppressed": _("样本不足"),
            "minutes": _("分钟"),
        },
    }  # fmt: skip
    if with_cap:
        data["cap"] = [p.cap_minutes for p in series]
    return data


def _presets(now: date, term: Period | None) -> list[tuple[str, date, date]]:
    monday = now - timedelta(days=now.weekday())
    presets = [
        (_("本周"), monday, monday + timedelta(days=6)),
        (_("上周"), monday - timedelta(days=7), monday - timedelta(days=1)),
        (_("近四周"), monday - timedelta(days=21), monday + timedelta(days=6)),
    ]
    if term is not None:
        presets.append((_("本学期"), term.start, term.end))
    return presets


def _context(form: PeriodForm, start: date, end: date, now: date, term: Period | None = None) -> dict[str, Any]:
    return {
        "form": form,
        "start": start,
        "end": end,
        "today": now,
        "presets": _presets(now, term),
        "bucket_minutes": rules.BUCKET_MINUTES,
    }


def _period_form(request: HttpRequest, now: date) -> tuple[PeriodForm, date, date]:
    form = PeriodForm(request.GET or None)
    start, end = form.period(now)
    if not form.is_bound:
        form = PeriodForm(initial={"start": start, "end": end})
    return form, start, end


@login_required
@require_http_methods(["GET"])
def school_page(request: HttpRequest, code: str) -> HttpResponse:
    now = today()
    form, start, end = _period_form(request, now)
    wanted = form.wanted_min_days() if form.is_bound else None
    page = scoped(
        lambda: selectors_pages.school_monitoring(
            actor=request.user, school_code=code, start=start, end=end, today=now, min_days=wanted
        )
    )
    form.fields["min_days"].widget.attrs["placeholder"] = str(page.min_days)
    context = _context(form, start, end, now, page.term)
    context.update({"page": page, "chart": chart_data(page.series, with_cap=False)})
    return render(request, "homework/monitoring_school.html", context)


@login_required
@require_http_methods(["GET"])
def class_page(request: HttpRequest, class_id: int) -> HttpResponse:
    now = today()
    form, start, end = _period_form(request, now)
    wanted = form.wanted_min_days() if form.is_bound else None
    page = scoped(
        lambda: selectors_pages.class_monitoring(
            actor=request.user, class_id=class_id, start=start, end=end, today=now, min_days=wanted
        )
    )
    form.fields["min_days"].widget.attrs["placeholder"] = str(page.min_days)
    context = _context(form, start, end, now, page.term)
    context.update({"page": page, "chart": chart_data(page.series, with_cap=True)})
    return render(request, "homework/monitoring_class.html", context)


@login_required
@require_http_methods(["GET"])
def region_page(request: HttpRequest, code: str) -> HttpResponse:
    now = today()
    form, start, end = _period_form(request, now)
    page = scoped(lambda: selectors_pages.region_monitoring(actor=request.user, region_code=code, start=start, end=end))
    context = _context(form, start, end, now)
    context.update({"page": page, "chart": chart_data(page.series, with_cap=False)})
    return render(request, "homework/monitoring_region.html", context)
