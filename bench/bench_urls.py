"""The production URLconf plus the bare baseline endpoint of bench/homework_peak.py, under /bench/.

The baseline is what the issue compares the platform with: a django-ninja POST that validates its body and does
one ORM INSERT into the same table (HomeworkFeedback), with no authentication, access check, rules or rollup.
It is mounted only by bench/bench_settings.py; production settings never import this module.
"""

from datetime import date

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, path
from ninja import NinjaAPI, Schema

from shuangjian.homework.models import FeedbackSource, HomeworkFeedback
from shuangjian.urls import urlpatterns as production_urlpatterns

baseline_api = NinjaAPI(title="bench baseline", urls_namespace="bench-baseline", docs_url=None, openapi_url=None)


class BaselineFeedbackIn(Schema):
    student_id: int
    school_id: int
    school_class_id: int
    reported_by_id: int
    date: date
    reported_minutes: int


class BaselineFeedbackOut(Schema):
    id: int


@baseline_api.post("/feedback", response=BaselineFeedbackOut)
def baseline_feedback(request: HttpRequest, payload: BaselineFeedbackIn) -> BaselineFeedbackOut:
    row = HomeworkFeedback.objects.create(
        student_id=payload.student_id,
        school_id=payload.school_id,
        school_class_id=payload.school_class_id,
        reported_by_id=payload.reported_by_id,
        date=payload.date,
        reported_minutes=payload.reported_minutes,
        source=FeedbackSource.GUARDIAN,
    )
    return BaselineFeedbackOut(id=row.pk)


urlpatterns: list[URLPattern | URLResolver] = [path("bench/", baseline_api.urls), *production_urlpatterns]
