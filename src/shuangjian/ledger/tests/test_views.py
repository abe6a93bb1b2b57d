"""The escrow pages for each role: the guardian confirms or disputes on a phone, the operator records a lesson,
the bureau reads coverage and reconciles a bank statement; everyone else is turned away."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shuangjian.core.models import Role, User
from shuangjian.core.tests import factories as f
from shuangjian.ledger import rules
from shuangjian.ledger.models import BankStatement, Difference, DifferenceResolution, Hold, HoldStatus, Transfer
from shuangjian.ledger.tests.builders import buy, deliver
from shuangjian.ledger.tests.conftest import LedgerWorld


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_guardian_confirms_and_disputes_lessons(world: LedgerWorld) -> None:
    # given
    purchase = buy(world, lessons=10, price=10_000)
    first, second = deliver(world, purchase), deliver(world, purchase)
    parent = client_for(world.parent)
    # when
    page = parent.get("/escrow/family/")
    # then: the purchase, its money and both lessons awaiting the guardian
    html = page.content.decode()
    assert page.status_code == 200
    assert "少儿篮球" in html and "800.00" in html and "200.00" in html
    assert f'data-testid="confirm-{first.pk}"' in html and f'data-testid="dispute-{second.pk}"' in html
    assert "我的课程费用" in html  # the nav item
    # when: the first is confirmed twice with the form's key (a double tap), the second disputed
    for _ in range(2):
        response = parent.post(f"/escrow/holds/{first.pk}/confirm/", {"idempotency_key": "form-key-0001"})
        assert response.status_code == 302 and response["Location"] == "/escrow/family/"
    parent.post(f"/escrow/holds/{second.pk}/dispute/")
    # then
    assert dict(Hold.objects.values_list("pk", "status")) == {
        first.pk: HoldStatus.RELEASED,
        second.pk: HoldStatus.DISPUTED,
    }
    assert Transfer.objects.filter(idempotency_key="form-key-0001").count() == 1


def test_someone_else_cannot_confirm(world: LedgerWorld) -> None:
    hold = deliver(world, buy(world))
    response = client_for(world.operator).post(f"/escrow/holds/{hold.pk}/confirm/", {"idempotency_key": "k" * 12})
    assert response.status_code == 302
    assert (
        client_for(world.other_parent)
        .post(f"/escrow/holds/{hold.pk}/confirm/", {"idempotency_key": "k" * 12})
        .status_code
        == 404
    )
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.PENDING


def test_the_operator_sees_its_balances_and_records_a_lesson(world: LedgerWorld) -> None:
    # given
    purchase = buy(world, lessons=10, price=10_000)
    operator = client_for(world.operator)
    # when
    entry = operator.get("/escrow/")
    page = operator.get(entry["Location"])
    # then
    assert entry["Location"] == f"/escrow/institutions/{world.institution.pk}/"
    html = page.content.decode()
    assert "前进体育" in html and "1,000.00" in html and "预付费监管" in html
    # when
    operator.post(f"/escrow/purchases/{purchase.pk}/deliver/", {"idempotency_key": "deliver-key-01"})
    # then
    assert Hold.objects.filter(purchase=purchase, status=HoldStatus.PENDING).count() == 1
    # another institution's operator sees neither the page nor the purchase
    other = client_for(world.other_operator)
    assert other.get(f"/escrow/institutions/{world.institution.pk}/").status_code == 404
    assert (
        other.post(f"/escrow/purchases/{purchase.pk}/deliver/", {"idempotency_key": "deliver-key-02"}).status_code
        == 404
    )


def test_the_bureau_reads_coverage_with_its_chart(world: LedgerWorld) -> None:
    buy(world, lessons=10, price=10_000)
    page = client_for(world.county_bureau).get("/escrow/")
    assert page.status_code == 302
    html = client_for(world.county_bureau).get(page["Location"]).content.decode()
    assert 'id="es-chart-data"' in html and "homework/vendor/echarts.min.js" in html
    assert "前进体育" in html and "民权书法" not in html


@pytest.mark.parametrize("path", ["/escrow/", "/escrow/coverage/", "/escrow/statements/"])
def test_roles_without_escrow_pages_are_turned_away(world: LedgerWorld, path: str) -> None:
    teacher = f.named_user("李老师")
    f.assign(teacher, Role.TEACHER, school=world.child.school)
    assert client_for(teacher).get(path).status_code == 403
    assert "预付费监管" not in client_for(teacher).get("/").content.decode()


def test_the_city_bureau_reconciles_a_statement(world: LedgerWorld, city_bureau: User) -> None:
    # given
    buy(world, lessons=10, price=10_000)
    paid = Transfer.objects.get()
    csv = (
        "bank_reference,value_date,direction,amount_fen,counterparty,our_reference\n"
        f"B1,2026-09-07,C,100000,王爸爸,{rules.transfer_reference(paid.pk)}\nB2,2026-09-07,C,700,不明,\n"
    )
    bureau = client_for(city_bureau)
    data = {"region_code": world.institution.city.code, "statement_date": "2026-09-07"}
    # when: uploaded
    response = bureau.post("/escrow/statements/", {**data, "file": SimpleUploadedFile("d.csv", csv.encode())})
    # then
    statement = BankStatement.objects.get()
    assert response["Location"] == f"/escrow/statements/{statement.pk}/"
    html = bureau.get(response["Location"]).content.decode()
    assert "平台账簿中没有" in html and 'data-testid="open-count">1<' in html
    # when: the difference is settled
    difference = Difference.objects.get()
    bureau.post(f"/escrow/differences/{difference.pk}/resolve/", {"note": "银行误入账", "statement_id": statement.pk})
    # then
    assert DifferenceResolution.objects.get().note == "银行误入账"
    assert 'data-testid="open-count">0<' in bureau.get(response["Location"]).content.decode()


def test_a_malformed_upload_lists_its_problems_and_stores_nothing(world: LedgerWorld, city_bureau: User) -> None:
    data = {"region_code": world.institution.city.code, "statement_date": "2026-09-07"}
    bad = SimpleUploadedFile("d.csv", b"bank_reference,value_date,direction,amount_fen\nB1,2026-09-07,C,1.5\n")
    page = client_for(city_bureau).post("/escrow/statements/", {**data, "file": bad})
    html = page.content.decode()
    assert page.status_code == 200
    assert "ledger.statement_bad_amount" in html and "amount_fen" in html
    assert BankStatement.objects.count() == 0
