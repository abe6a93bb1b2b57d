"""The satisfaction survey's results: a school's (its leaders, the bureau, inspectors) and a region's per school
(the bureau, inspectors); anonymous aggregates, suppressed below the minimum cell size."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from shuangjian.afterschool import selectors_survey
from shuangjian.afterschool.rules_money import SURVEY_QUESTIONS
from shuangjian.afterschool.views.fees import QUESTION_LABELS
from shuangjian.afterschool.views.page_helpers import now, parse_day
from shuangjian.core.views.common import scoped


def _render(request: HttpRequest, results: selectors_survey.SurveyResults, region: bool) -> HttpResponse:
    context = {
        "results": results,
        "region": region,
        "questions": [(q, QUESTION_LABELS[q]) for q in SURVEY_QUESTIONS],
    }
    return render(request, "afterschool/survey_results.html", context)


@login_required
@require_http_methods(["GET"])
def school_survey(request: HttpRequest, code: str) -> HttpResponse:
    on = parse_day(request.GET.get("on"), now().date())
    results = scoped(lambda: selectors_survey.school_survey(actor=request.user, school_code=code, on=on))
    return _render(request, results, region=False)


@login_required
@require_http_methods(["GET"])
def region_survey(request: HttpRequest, code: str) -> HttpResponse:
    on = parse_day(request.GET.get("on"), now().date())
    results = scoped(lambda: selectors_survey.region_survey(actor=request.user, region_code=code, on=on))
    return _render(request, results, region=True)
