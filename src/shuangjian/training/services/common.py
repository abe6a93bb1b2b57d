"""What every training service shares: actions, locked loads, the event record, text and choice checks."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from shuangjian.core import access
from shuangjian.core.models import Role
from shuangjian.training import rules, selectors
from shuangjian.training.errors import TrainingError, training_error
from shuangjian.training.models import Institution, InstitutionEvent

REGISTRY_MANAGE = access.register_action("training.registry_manage", [Role.BUREAU])
PREMISES_MANAGE = access.register_action("training.premises_manage", [Role.BUREAU, Role.INSTITUTION_OPERATOR])
COURSES_MANAGE = access.register_action("training.courses_manage", [Role.INSTITUTION_OPERATOR])
GUIDANCE_PRICE_SET = access.register_action("training.guidance_price_set", [Role.BUREAU])
COMPLAINT_HANDLE = access.register_action("training.complaint_handle", [Role.BUREAU, Role.INSPECTOR])
COMPLAINT_RESPOND = access.register_action("training.complaint_respond", [Role.INSTITUTION_OPERATOR])


def locked_institution(actor: Any, action: str, institution_id: int) -> Institution:
    """The institution, visible to the actor (else NotFound), the action permitted (else AccessDenied), and its row
    locked for the rest of the transaction so that two status changes cannot interleave."""
    institution = selectors.institution_get(actor=actor, institution_id=institution_id)
    access.require(actor, action, institution)
    locked: QuerySet[Institution] = Institution.objects.select_for_update().filter(pk=institution.pk)
    fresh = locked.select_related("county", "city", "province").get()
    return fresh


def record(
    institution: Institution,
    kind: str,
    actor: Any,
    *,
    reason: str = "",
    from_status: str = "",
    to_status: str = "",
    detail: dict[str, Any] | None = None,
) -> InstitutionEvent:
    """Append the event row of a change, inside the change's transaction."""
    return InstitutionEvent.objects.create(
        institution=institution,
        kind=kind,
        actor=actor,
        at=timezone.now(),
        reason=reason,
        from_status=from_status,
        to_status=to_status,
        detail=detail or {},
    )


def text(value: str, label: str | Promise, max_length: int, *, required: bool = True) -> str:
    clean = value.strip()
    if (required and not clean) or len(clean) > max_length:
        raise training_error(TrainingError.TEXT_REQUIRED, field=label, max=max_length)
    return clean


def choice(value: str, allowed: Any, label: str | Promise) -> str:
    if value not in allowed:
        raise training_error(TrainingError.INVALID_CHOICE, field=label, value=value)
    return value


def raise_finding(finding: rules.Finding | None) -> None:
    if finding is not None:
        raise training_error(finding.code, **finding.params)
