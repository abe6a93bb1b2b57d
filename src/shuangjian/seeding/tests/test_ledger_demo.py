"""The demo's escrow step (seeding/ledger.py), on the smallest world it needs: the demo logins, the demo operator's
institution and the parent's child. Seeding twice changes nothing (every step carries a fixed idempotency key)."""

import pytest

from shuangjian.core.models import Role
from shuangjian.core.tests import factories as f
from shuangjian.ledger.models import Hold, HoldStatus, InstitutionLedger, Transfer
from shuangjian.ledger.selectors import institution_funds, purchase_statement
from shuangjian.policy.models import PolicyProfile
from shuangjian.seeding.accounts import DEMO_CREDIT_CODE
from shuangjian.seeding.ledger import DELIVERED, DEMO_TERMS, seed_ledger_demo
from shuangjian.seeding.profiles import publish_example_profile
from shuangjian.training.models import Institution, InstitutionKind, LicenceStatus, TrainingMode


@pytest.mark.django_db
def test_the_parent_has_held_lessons_to_confirm_and_a_rerun_moves_nothing() -> None:
    # given
    province, city, liangyuan, _minquan = f.regions()
    school_class = f.school_class(f.school(liangyuan, "商丘市第一实验小学"), 4, 1)
    accounts = {name: f.user(name) for name in ("bureau", "operator", "parent")}
    f.assign(accounts["bureau"], Role.BUREAU, region=city)
    f.assign(accounts["operator"], Role.INSTITUTION_OPERATOR, institution_credit_code=DEMO_CREDIT_CODE)
    f.guardian_of(f.student(school_class, "石俊墨"), accounts["parent"])
    institution = Institution.objects.create(
        credit_code=DEMO_CREDIT_CODE, name="梁园区启明培训学校", kind=InstitutionKind.ACADEMIC,
        mode=TrainingMode.OFFLINE, county=liangyuan, city=city, province=province, legal_representative="张三",
        licence_status=LicenceStatus.APPROVED,
    )  # fmt: skip
    publish_example_profile()
    # when
    purchase = seed_ledger_demo(1)
    # then: the city's escrow parameters, the supervised institution with its margin, three lessons held
    assert purchase is not None
    profile = PolicyProfile.objects.get(region=city).values
    assert (profile["escrow.auto_confirm_days"], profile["escrow.risk_margin_min_fen"]) == (7, 50_000_000)
    assert InstitutionLedger.objects.filter(pk=institution.pk).exists()
    assert institution_funds(institution.pk).risk_margin == 50_000_000
    statuses = sorted(Hold.objects.filter(purchase=purchase).values_list("status", flat=True))
    assert statuses == [HoldStatus.PENDING] * (DELIVERED - 1) + [HoldStatus.RELEASED]
    price = DEMO_TERMS.price_per_lesson_fen
    statement = purchase_statement(purchase)
    assert (statement.consumed, statement.held) == (price, (DELIVERED - 1) * price)
    funds = institution_funds(institution.pk)
    assert (funds.released, funds.paid_out) == (0, price)  # the day's payout
    # when: seeded again
    moved = Transfer.objects.count()
    assert seed_ledger_demo(1) is not None
    # then
    assert Transfer.objects.count() == moved
    publish_example_profile()
    assert PolicyProfile.objects.filter(region=city).count() == 1  # a city with a profile keeps it
