"""The demo's early warning (issue 4, item 6): the city's local profile with the early-warning thresholds
(seeding.profiles), complaints about the demo operator's institution,
a scored day (today), and notices: the operator's (issued, for the operator to appeal) and a suspended institution's,
already appealed by its operator (for the bureau to decide). Runs after the bulk seed, through the services."""

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from shuangjian.core.models import Region, Role, RoleAssignment, User
from shuangjian.seeding.accounts import DEMO_CREDIT_CODE
from shuangjian.seeding.presets import CITY_CODE, DEMO_COUNTY
from shuangjian.supervision.models import RiskWarning
from shuangjian.supervision.services.scoring import risk_score_region
from shuangjian.supervision.services.warnings import warning_appeal
from shuangjian.training.models import Institution, LicenceStatus
from shuangjian.training.services.complaints import ComplaintDraft, complaint_file

DEMO_COMPLAINTS = (
    "课程已停课两周，机构不回应退费申请。",
    "预收了一年的学费，远超三个月的规定。",
    "周六上午仍在上数学课。",
    "老师频繁更换，承诺的小班变成了大班。",
    "退费申请提交一个月仍未办理。",
    "以优惠为名诱导续费，现在联系不上负责人。",
)


def _operator_of(institution: Institution) -> User:
    """A sign-in-less operator account for a seeded institution (the demo operator runs only its own)."""
    user = User.objects.create(
        username=f"operator-{institution.credit_code.lower()}",
        password=make_password(None),
        display_name=institution.name,
    )
    RoleAssignment.objects.create(
        user=user, role=Role.INSTITUTION_OPERATOR, institution_credit_code=institution.credit_code
    )
    return user


def seed_supervision_demo() -> None:
    """Skipped without the demo bureau."""
    bureau = User.objects.filter(username="bureau").first()
    if bureau is None:
        return
    city = Region.objects.get(code=CITY_CODE)
    own = Institution.objects.get(credit_code=DEMO_CREDIT_CODE)
    for content in DEMO_COMPLAINTS:
        complaint_file(
            draft=ComplaintDraft(
                county_code=own.county_id, institution_name=own.name, content=content, credit_code=own.credit_code
            )
        )
    today = timezone.localdate()
    risk_score_region(region=city, on=today)
    suspended = (
        Institution.objects.filter(county_id=DEMO_COUNTY, licence_status=LicenceStatus.SUSPENDED).order_by("pk").first()
    )
    warning = RiskWarning.objects.filter(institution=suspended, issued_on=today).first() if suspended else None
    if suspended is not None and warning is not None:
        warning_appeal(
            actor=_operator_of(suspended),
            warning_id=warning.pk,
            text="停业整顿已完成，整改报告已提交区教体局，申请撤销预警。",
        )
