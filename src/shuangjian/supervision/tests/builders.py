"""Builders for supervision tests: signals made through the services, as the public, a bureau would make them."""

from datetime import date

from shuangjian.core.models import User
from shuangjian.supervision.models import RiskWarning
from shuangjian.supervision.services.scoring import risk_score_region
from shuangjian.training.models import Institution
from shuangjian.training.services import complaints, registry
from shuangjian.training.tests.conftest import TrainingWorld


def complain(institution: Institution, times: int = 1) -> None:
    for n in range(times):
        draft = complaints.ComplaintDraft(
            county_code=institution.county_id,
            institution_name=institution.name,
            content=f"退费迟迟不办理（第 {n + 1} 次反映）",
            credit_code=institution.credit_code,
        )
        complaints.complaint_file(draft=draft)


def suspend(bureau: User, institution: Institution) -> None:
    registry.licence_change(actor=bureau, institution_id=institution.pk, action="suspend", reason="专项检查停业整顿")


def yellow_warning(world: TrainingWorld, on: date) -> RiskWarning:
    """启明 gets two complaints and the city is scored on `on`: a yellow notice."""
    complain(world.institution, 2)
    risk_score_region(region=world.city, on=on)
    return RiskWarning.objects.get(institution=world.institution, issued_on=on)
