"""Background work of the training app (Django's task framework)."""

from typing import Any

from django.tasks import task
from django.utils import timezone

from shuangjian.training.services.complaint_reminders import complaint_reminders_record


@task
def complaint_reminders(region_code: str, dry_run: bool = False) -> list[dict[str, Any]]:
    """Record today's complaint deadline reminders of a region; returns them as plain data."""
    found = complaint_reminders_record(region_code=region_code, today=timezone.localdate(), dry_run=dry_run)
    return [
        {
            "reference": r.reference,
            "deadline": r.deadline,
            "due_on": r.due_on.isoformat(),
            "overdue": r.overdue,
            "assignee": r.assignee,
        }
        for r in found
    ]
