"""Complaints about homework load (issue 5 item 6): who reads which.

- the guardian who filed it (while still a guardian of the child);
- the school's leaders, who answer it;
- once escalated, the bureau (and its inspectors) of the school's county or city, who may answer it too.
Teachers do not read complaints, and a bureau does not see what the school is still handling.
"""

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Role
from shuangjian.homework import rules
from shuangjian.homework.models import ComplaintParty, HomeworkComplaint, HomeworkComplaintEvent

SCHOOL_HANDLER_ROLES = (Role.SCHOOL_LEADER,)
BUREAU_HANDLER_ROLES = (Role.BUREAU, Role.INSPECTOR)


def _filer(actor: Any) -> Q:
    return access.visible(actor, HomeworkComplaint, roles=[Role.GUARDIAN]) & Q(filed_by_id=getattr(actor, "pk", None))


def _school(actor: Any) -> Q:
    return access.visible(actor, HomeworkComplaint, roles=SCHOOL_HANDLER_ROLES)


def _bureau(actor: Any) -> Q:
    return access.visible(actor, HomeworkComplaint, roles=BUREAU_HANDLER_ROLES) & Q(escalated_at__isnull=False)


def complaint_list(*, actor: Any, status: str | None = None) -> QuerySet[HomeworkComplaint]:
    """Complaints the actor filed or handles, newest first."""
    qs = HomeworkComplaint.objects.filter(_filer(actor) | _school(actor) | _bureau(actor))
    if status is not None:
        qs = qs.filter(status=status)
    return qs.select_related("school", "school_class", "student").order_by("-filed_at", "-pk")


def complaint_get(*, actor: Any, reference: str) -> HomeworkComplaint:
    """One complaint by its reference number, with its history (events, oldest first)."""
    events = Prefetch("events", queryset=HomeworkComplaintEvent.objects.order_by("at", "pk"))
    complaint = (
        complaint_list(actor=actor).filter(reference=rules.normalise_reference(reference)).prefetch_related(events)
    ).first()
    if complaint is None:
        raise NotFound("complaint")
    return complaint


def complaint_for_handling(*, actor: Any, reference: str) -> tuple[HomeworkComplaint, ComplaintParty]:
    """A complaint the actor may answer, and as whom: the school (its leaders, at any stage), else the bureau
    (once escalated). Everyone else, the guardian who filed it included, gets NotFound."""
    complaint = (
        HomeworkComplaint.objects.filter(_school(actor) | _bureau(actor))
        .filter(reference=rules.normalise_reference(reference))
        .select_related("school", "school_class", "student")
        .first()
    )
    if complaint is None:
        raise NotFound("complaint")
    leads = {a.school_id for a in access.assignments(actor) if a.role in SCHOOL_HANDLER_ROLES}
    return complaint, ComplaintParty.SCHOOL if complaint.school_id in leads else ComplaintParty.BUREAU
