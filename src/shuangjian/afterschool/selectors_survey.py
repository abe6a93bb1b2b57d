"""The satisfaction survey's anonymous results per school and per region (issue 3, item 7): counts and mean scores,
suppressed below the region's minimum cell size (policy.rules.min_cell_size); comments only above it."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet, Sum

from shuangjian.afterschool import rules_money
from shuangjian.afterschool.models import ServicePlan
from shuangjian.afterschool.models_survey import SurveyAnswer
from shuangjian.afterschool.selectors_participation import COMPULSORY_STAGES, SCHOOL_READERS
from shuangjian.afterschool.selectors_staffing import survey_comments, survey_summary
from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Region, School
from shuangjian.policy import rules as policy_rules
from shuangjian.policy.selectors import effective_profile, effective_profile_for_school


@dataclass(frozen=True, slots=True)
class SchoolSurvey:
    code: str
    name: str
    summary: rules_money.ScoreSummary


@dataclass(frozen=True, slots=True)
class SurveyResults:
    name: str
    code: str
    on: date
    min_cell: int
    summary: rules_money.ScoreSummary
    comments: list[str]
    schools: list[SchoolSurvey]


def _answers_on(schools: QuerySet[School], on: date) -> QuerySet[SurveyAnswer]:
    plans = ServicePlan.objects.filter(school__in=schools, term__start_date__lte=on, term__end_date__gte=on)
    return SurveyAnswer.objects.filter(plan__in=plans)


def school_survey(*, actor: Any, school_code: str, on: date) -> SurveyResults:
    school = School.objects.filter(access.visible(actor, School, roles=SCHOOL_READERS), code=school_code).first()
    if school is None:
        raise NotFound("school")
    min_cell = policy_rules.min_cell_size(effective_profile_for_school(school, on))
    answers = _answers_on(School.objects.filter(pk=school.pk), on)
    return SurveyResults(
        name=school.name,
        code=school.code,
        on=on,
        min_cell=min_cell,
        summary=survey_summary(answers, min_cell),
        comments=survey_comments(answers, min_cell),
        schools=[],
    )


def region_survey(*, actor: Any, region_code: str, on: date) -> SurveyResults:
    """A region's results and one row per school (no comments at region level: they belong to the schools)."""
    region = Region.objects.filter(code=region_code).first()
    if region is None or not access.covers_region(actor, region):
        raise NotFound("region")
    min_cell = policy_rules.min_cell_size(effective_profile(region, on))
    schools = School.objects.filter(**{f"{region.level}_id": region.code}, stage__in=COMPULSORY_STAGES)
    answers = _answers_on(schools, on)
    per_school = (
        answers.values("school_id", "school__code", "school__name")
        .annotate(n=Count("pk"), **{q: Sum(q) for q in rules_money.SURVEY_QUESTIONS})
        .order_by("school__code")
    )
    rows = []
    for r in per_school:
        row: dict[str, Any] = dict(r)
        sums = {q: int(row[q] or 0) for q in rules_money.SURVEY_QUESTIONS}
        rows.append(
            SchoolSurvey(row["school__code"], row["school__name"], rules_money.summarise(row["n"], sums, min_cell))
        )
    return SurveyResults(
        name=region.name,
        code=region.code,
        on=on,
        min_cell=min_cell,
        summary=survey_summary(answers, min_cell),
        comments=[],
        schools=rows,
    )
