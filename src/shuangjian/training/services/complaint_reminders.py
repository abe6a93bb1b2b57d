"""Deadline reminders for complaints: once per complaint per deadline (triage, resolve), when it is due within
rules.DUE_SOON_WORKING_DAYS working days or already overdue, a reminder event is recorded. There is no e-mail or SMS
to send: the recorded event, the desk's badges and the command's listing are the reminder. Run by the task
training.tasks.complaint_reminders (the command `training_complaint_reminders` calls it)."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangjian.core.errors import NotFound
from shuangjian.core.models import Region
from shuangjian.training import rules, selectors_complaints
from shuangjian.training.models import ComplaintEvent, ComplaintEventKind


@dataclass(frozen=True, slots=True)
class Reminder:
    reference: str
    deadline: str  # "triage" or "resolve"
    due_on: date
    overdue: bool
    assignee: str


@transaction.atomic(durable=True)
def complaint_reminders_record(*, region_code: str, today: date, dry_run: bool = False) -> list[Reminder]:
    """The reminders due today in a region (county, city or province), recorded unless `dry_run`."""
    if not Region.objects.filter(code=region_code).exists():
        raise NotFound("region")
    complaints = list(selectors_complaints.reminder_candidates(region_code=region_code))
    already = selectors_complaints.reminded([c.pk for c in complaints])
    soon_until = selectors_complaints.due_soon_until(today)
    found: list[Reminder] = []
    events: list[ComplaintEvent] = []
    now = timezone.now()
    for complaint in complaints:
        running = rules.open_deadlines(complaint.status, complaint.triage_due_on, complaint.resolve_due_on)
        for name in rules.reminders_due(running, today, soon_until, already[complaint.pk]):
            due = running[name]
            overdue = rules.deadline_state(due, today, soon_until) is rules.DeadlineState.OVERDUE
            found.append(
                Reminder(
                    reference=complaint.reference,
                    deadline=name,
                    due_on=due,
                    overdue=overdue,
                    assignee=complaint.assignee.username if complaint.assignee else "",
                )
            )
            note = _("%(deadline)s期限 %(due)s 已超期。") if overdue else _("%(deadline)s期限 %(due)s 即将到期。")
            label = _("分类分派") if name == "triage" else _("办结")
            events.append(
                ComplaintEvent(
                    complaint=complaint,
                    kind=ComplaintEventKind.REMINDER,
                    from_status=complaint.status,
                    to_status=complaint.status,
                    reminder_for=name,
                    note=note % {"deadline": label, "due": due.isoformat()},
                    at=now,
                )
            )
    if not dry_run:
        ComplaintEvent.objects.bulk_create(events)
    return found
