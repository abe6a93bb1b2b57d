"""作业公示: a class's published homework for a day and for a week, printable. Whoever can see the class can see
its board (its guardians and students, the school's staff, the bureau); the selectors enforce that."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from shuangjian.core.views.common import scoped
from shuangjian.homework import selectors
from shuangjian.homework.forms import DayForm
from shuangjian.homework.views.common import day_kind_label, today


@login_required
@require_http_methods(["GET"])
def day(request: HttpRequest, class_id: int) -> HttpResponse:
    now = today()
    chosen = DayForm(request.GET).day(default=now)
    board = scoped(lambda: selectors.day_board(actor=request.user, class_id=class_id, day=chosen))
    context = {
        "board": board,
        "day_kind": day_kind_label(board.day_kind),
        "previous": chosen - timedelta(days=1),
        "next": chosen + timedelta(days=1),
        "today": now,
        "form": DayForm(initial={"date": chosen}),
    }
    return render(request, "homework/board.html", context)


@login_required
@require_http_methods(["GET"])
def week(request: HttpRequest, class_id: int) -> HttpResponse:
    now = today()
    chosen = DayForm(request.GET).day(default=now)
    boards = scoped(lambda: selectors.week_board(actor=request.user, class_id=class_id, any_day=chosen))
    context = {
        "boards": [(b, day_kind_label(b.day_kind)) for b in boards],
        "school_class": boards[0].school_class,
        "monday": boards[0].day,
        "sunday": boards[-1].day,
        "previous": boards[0].day - timedelta(days=7),
        "next": boards[0].day + timedelta(days=7),
        "today": now,
        "form": DayForm(initial={"date": chosen}),
    }
    return render(request, "homework/week.html", context)
