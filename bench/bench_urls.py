"""The production URLconf plus the bare baseline endpoints of the benchmarks, under /bench/.

- /bench/feedback (bench/homework_peak.py): what the issue compares the platform with, a django-ninja POST that
  validates its body and does one ORM INSERT into the same table (HomeworkFeedback), with no authentication,
  access check, rules or rollup.
- /bench/lookup (bench/training_lookup.py): the ceiling of the same stack for a read of the lookup's size, a
  django-ninja GET that reads 51 institutions' listed columns by primary-key order from a point the query picks
  (one index range scan, no search, no labels) and returns them as JSON.

Mounted only by bench/bench_settings.py; production settings never import this module.
"""

import zlib
from datetime import date

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, path
from ninja import NinjaAPI, Schema

from shuangjian.homework.models import FeedbackSource, HomeworkFeedback
from shuangjian.training.models import Institution
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


class BaselineListingOut(Schema):
    credit_code: str
    name: str
    kind: str
    category: str
    mode: str
    county_id: str
    licence_status: str


_LISTED = ("credit_code", "name", "kind", "category", "mode", "county_id", "licence_status")


@baseline_api.get("/lookup", response=list[BaselineListingOut])
def baseline_lookup(request: HttpRequest, q: str = "") -> list[dict[str, str]]:
    start = zlib.crc32(q.encode()) % 200_000
    return list(Institution.objects.filter(pk__gte=start).order_by("pk").values(*_LISTED)[:51])


urlpatterns: list[URLPattern | URLResolver] = [path("bench/", baseline_api.urls), *production_urlpatterns]
