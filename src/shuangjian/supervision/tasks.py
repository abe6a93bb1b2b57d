"""Background work of the supervision app (Django's task framework): the nightly scoring and the due reports."""

from datetime import date
from typing import Any

from django.tasks import task
from django.utils import timezone

from shuangjian.supervision.selectors import region_for
from shuangjian.supervision.services.reports import reports_generate_due
from shuangjian.supervision.services.scoring import risk_score_region


@task
def risk_score(region_code: str, on: str = "", dry_run: bool = False) -> dict[str, Any]:
    """Score a region's institutions on `on` (ISO date; default today); returns the figures as plain data."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    result = risk_score_region(region=region_for(region_code), on=day, dry_run=dry_run)
    return {
        "region": result.region_code,
        "on": result.on.isoformat(),
        "scored": result.scored,
        "levels": {str(level): n for level, n in result.levels.items()},
        "notices": len(result.notices),
    }


@task
def reports_due(region_code: str, today: str = "", dry_run: bool = False) -> list[dict[str, Any]]:
    """Generate the region's reports due on `today` (ISO date; default today)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    found = reports_generate_due(region=region_for(region_code), today=day, dry_run=dry_run)
    return [
        {"kind": r.kind, "start": r.start.isoformat(), "end": r.end.isoformat(), "already": r.already} for r in found
    ]
