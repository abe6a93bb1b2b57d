"""Region rollups: folded from the class rollups (kept live by every write) and the feedback histograms.

Class-day rollups move inside each feedback transaction; region rows are refreshed per day by
`rollups_refresh` (the `homework_rollups` command, run every few minutes in production and after seeding),
so the evening peak never contends on a city-wide row.
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Count, F, IntegerField, Sum, Value
from django.db.models.functions import Cast, Least

from shuangjian.core import access
from shuangjian.core.models import Region
from shuangjian.homework import rules
from shuangjian.homework.models import OVER_CAP, ClassDayRollup, HomeworkFeedback, RegionDayRollup
from shuangjian.homework.rules import COUNTERS, Tally

Key = tuple[str, int]  # (region code, grade)


def _county_tallies(day: date) -> dict[Key, Tally]:
    tallies: dict[Key, Tally] = {}
    for row in (
        ClassDayRollup.objects.filter(date=day)
        .values("county_id", "grade")
        .annotate(
            n_classes=Count("pk"),
            n_over=Count("pk", filter=OVER_CAP),
            estimated=Sum("estimated_minutes"),
            feedback=Sum("feedback_count"),
            within=Sum("within_cap_count"),
            unfinished=Sum("unfinished_count"),
            reported=Sum("reported_minutes_sum"),
        )
    ):
        tallies[(row["county_id"], row["grade"])] = Tally(
            class_count=row["n_classes"],
            classes_over_cap=row["n_over"],
            estimated_minutes_sum=row["estimated"] or 0,
            feedback_count=row["feedback"] or 0,
            within_cap_count=row["within"] or 0,
            unfinished_count=row["unfinished"] or 0,
            reported_minutes_sum=row["reported"] or 0,
            histogram=[0] * rules.BUCKET_COUNT,
        )
    bucket = Least(
        Cast(F("reported_minutes") / Value(rules.BUCKET_MINUTES), IntegerField()), Value(rules.BUCKET_COUNT - 1)
    )
    histogram_rows = (
        HomeworkFeedback.objects.filter(date=day)
        .annotate(bucket=bucket)
        .values_list("school__county_id", "school_class__grade", "bucket")
        .annotate(n=Count("pk"))
    )
    for county, grade, bucket_index, n in histogram_rows:
        tally = tallies.get((county, grade))
        if tally is not None:
            tally.histogram[bucket_index] += n
    return tallies


def _with_ancestors(county_tallies: dict[Key, Tally]) -> dict[Key, Tally]:
    """Add each county's tallies to its city and province rows, so every bureau level reads a few rows."""
    counties = Region.objects.filter(pk__in={c for c, _ in county_tallies}).select_related("parent__parent")
    result = dict(county_tallies)
    for county in counties:
        ancestors = access.region_ancestry(county)[1:]
        for (code, grade), tally in county_tallies.items():
            if code == county.code:
                for ancestor in ancestors:
                    result.setdefault((ancestor, grade), Tally()).add(tally)
    return result


@transaction.atomic
def rollups_refresh(days: Iterable[date]) -> int:
    """Recompute the county, city and province rows of each day from the class rollups. Returns the rows written."""
    written = 0
    for day in sorted(set(days)):
        tallies = _with_ancestors(_county_tallies(day))
        RegionDayRollup.objects.filter(date=day).delete()
        RegionDayRollup.objects.bulk_create(
            RegionDayRollup(
                region_id=region,
                date=day,
                grade=grade,
                histogram=tally.histogram,
                **{name: getattr(tally, name) for name in COUNTERS},
            )
            for (region, grade), tally in tallies.items()
        )
        written += len(tallies)
    return written


def days_with_activity(start: date, end: date) -> list[date]:
    return sorted(ClassDayRollup.objects.filter(date__range=(start, end)).values_list("date", flat=True).distinct())
