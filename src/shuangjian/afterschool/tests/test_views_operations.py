"""The staffing, fee, survey, sign-out and absence-cancelling pages: each renders for the right people, its form
calls the service, and a refusal comes back on the page with nothing saved."""

from datetime import datetime

import pytest
import time_machine
from django.test import Client

from shuangjian.afterschool import selectors_staffing
from shuangjian.afterschool.models import AbsenceReport, SignOut
from shuangjian.afterschool.models_fees import FeeRecord, FeeSchedule
from shuangjian.afterschool.models_staffing import StaffDuty
from shuangjian.afterschool.models_survey import SurveyAnswer
from shuangjian.afterschool.services import attendance, fees
from shuangjian.afterschool.tests import builders as b
from shuangjian.afterschool.tests.conftest import SHANGHAI, AfterschoolWorld
from shuangjian.core.models import Guardian

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_staffing_page_adds_a_duty_and_shows_a_refusal(world: AfterschoolWorld) -> None:
    plan = b.make_plan(world)
    leader = client_for(world.leader)
    url = f"/afterschool/plans/{plan.pk}/staffing/"
    # when: the leader puts the teacher on Monday's block 1, then again
    added = leader.post(url, {"weekday": "1", "block": "1", "staff_id": str(world.teacher.pk)})
    again = leader.post(url, {"weekday": "1", "block": "1", "staff_id": str(world.teacher.pk)})
    # then
    assert added.status_code == 302
    assert again.status_code == 400 and "同一时段不能重复安排" in again.content.decode()
    assert StaffDuty.objects.count() == 1
    page = leader.get(url).content.decode()
    assert "前进小学老师" in page and "每人本学期课时" in page
    assert client_for(world.teacher).get(url).status_code == 404


def test_the_staffing_table_downloads_as_a_spreadsheet(world: AfterschoolWorld) -> None:
    # given: the teacher on Monday's block 1, and an outside coach whose name starts like a formula
    plan = b.make_plan(world)
    leader = client_for(world.leader)
    url = f"/afterschool/plans/{plan.pk}/staffing/"
    leader.post(url, {"weekday": "1", "block": "1", "staff_id": str(world.teacher.pk)})
    coach = {"weekday": "2", "block": "1", "external_name": "=HYPERLINK(1)", "external_provider": "青禾体育",
             "external_qualification": "教练员证"}  # fmt: skip
    assert leader.post(url, coach).status_code == 302
    # when
    response = leader.get(f"/afterschool/plans/{plan.pk}/staffing.csv")
    # then: Excel-ready UTF-8, one row per person, the formula shown as text
    body = response.content.decode("utf-8")
    assert response["Content-Type"] == "text/csv; charset=utf-8" and body.startswith("\ufeff")
    lines = [line for line in body.lstrip("\ufeff").splitlines() if line]
    assert lines[0].startswith("姓名,类别,服务机构,服务天数,课时")
    assert any(line.startswith("前进小学老师,本校教职工,,") for line in lines[1:])
    assert any(line.startswith("'=HYPERLINK(1),校外人员,青禾体育,") for line in lines[1:])
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert client_for(world.teacher).get(f"/afterschool/plans/{plan.pk}/staffing.csv").status_code == 404


def test_fee_page_publishes_records_payment_and_the_family_sees_it(world: AfterschoolWorld) -> None:
    plan = b.make_plan(world)
    enrolled = b.sign_up(world.parent, world.child, plan)
    leader = client_for(world.leader)
    url = f"/afterschool/plans/{plan.pk}/fees/"
    assert leader.post(url, {"action": "fee", "fee_yuan": "12.5x", "items": "服务费"}).status_code == 400
    assert FeeSchedule.objects.count() == 0
    assert leader.post(url, {"action": "fee", "fee_yuan": "200", "items": "服务费"}).status_code == 302
    assert leader.post(url, {"action": "payment", "enrolment_id": str(enrolled.pk), "paid": "1"}).status_code == 302
    assert FeeRecord.objects.get().paid
    family = client_for(world.parent).get(f"/afterschool/family/{world.child.pk}/enrolments/{enrolled.pk}/term/")
    assert "应缴 200.00 元，学校已登记为已缴。" in family.content.decode()
    assert (
        client_for(world.other_parent)
        .get(f"/afterschool/family/{world.child.pk}/enrolments/{enrolled.pk}/term/")
        .status_code
        == 404
    )


def test_the_fee_list_is_filtered_and_paged_on_the_page_and_in_the_api(
    world: AfterschoolWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: one paid of three, one child a page
    plan = b.make_plan(world)
    fees.fee_set(actor=world.leader, plan_id=plan.pk, fee_fen_per_term=20000, items="服务费")
    enrolled = [b.sign_up(world.parent, world.child, plan), b.sign_up(world.other_parent, world.classmate, plan)]
    enrolled.append(b.sign_up(world.parent, world.younger, plan))
    fees.payment_record(actor=world.leader, enrolment_id=enrolled[1].pk, paid=True)
    monkeypatch.setattr(selectors_staffing, "FEE_BOOK_PAGE", 1)
    leader = client_for(world.leader)
    url = f"/afterschool/plans/{plan.pk}/fees/"
    # when: the unpaid, page 2
    page = leader.get(url, {"status": "unpaid", "page": "2"}).content.decode()
    # then: the second unpaid child in list order (grade 2, then grade 4), and a link back to page 1
    assert f'data-testid="fee-row-{world.child.pk}"' in page
    assert f'data-testid="fee-row-{world.younger.pk}"' not in page
    assert "?status=unpaid&amp;page=1" in page and "已缴 1 人 · 未缴 2 人" in page
    # and: the API answers the same
    api = leader.get(f"/api/v1/afterschool/plans/{plan.pk}/fee-book", {"status": "unpaid", "page": "2"}).json()
    assert ([row["student_id"] for row in api["rows"]], api["matching"], api["pages"]) == ([world.child.pk], 2, 2)
    assert leader.get(f"/api/v1/afterschool/plans/{plan.pk}/fee-book", {"status": "owing"}).status_code == 422


def test_a_guardian_answers_the_survey_once_on_the_page(world: AfterschoolWorld) -> None:
    plan = b.make_plan(world)
    enrolled = b.sign_up(world.parent, world.child, plan)
    fees.fee_set(actor=world.leader, plan_id=plan.pk, fee_fen_per_term=0, items="")
    parent = client_for(world.parent)
    url = f"/afterschool/family/{world.child.pk}/enrolments/{enrolled.pk}/term/"
    answer = {"overall": "5", "content": "4", "care": "5", "staff": "4", "comment": "很好"}
    assert parent.post(url, {**answer, "care": "9"}).status_code == 400
    assert parent.post(url, answer).status_code == 302
    page = parent.get(url).content.decode()
    assert "您已填写本学期的问卷" in page and "本学期课后服务免费" in page
    assert SurveyAnswer.objects.count() == 1
    results = client_for(world.leader).get(f"/afterschool/schools/{world.school.code}/survey/").content.decode()
    assert "人数过少" in results  # one answer is below the minimum cell


def test_sign_out_sheet_and_cancelling_an_absence(world: AfterschoolWorld, clock: time_machine.Traveller) -> None:
    plan = b.make_plan(world)
    b.sign_up(world.parent, world.child, plan)
    report = attendance.absence_report(
        actor=world.parent, student_id=world.child.pk, start=plan.term.start_date.replace(day=8),
        end=plan.term.start_date.replace(day=8), reason="看病",
    )  # fmt: skip
    # the parent takes the absence back on their page
    assert (
        client_for(world.parent)
        .post("/afterschool/absences/", {"action": "cancel_absence", "absence_id": str(report.pk)})
        .status_code
        == 302
    )
    assert not AbsenceReport.objects.exists()
    # at 18:20 the leader signs the child out to their father from the class's sheet
    clock.move_to(datetime(2026, 9, 7, 18, 20, tzinfo=SHANGHAI))
    leader = client_for(world.leader)
    url = f"/afterschool/attendance/classes/{world.class4.pk}/2026-09-07/sign-out/"
    sheet = leader.get(url).content.decode()
    father = Guardian.objects.get(user=world.parent)
    assert world.child.name in sheet and father.name in sheet
    refused = leader.post(url, {"student_id": str(world.child.pk), "block": "2", "who": "alone"})
    assert refused.status_code == 400 and not SignOut.objects.exists()
    assert leader.post(url, {"student_id": str(world.child.pk), "block": "2", "who": str(father.pk)}).status_code == 302
    assert SignOut.objects.get().minutes_late == 10
    late = leader.get(f"/afterschool/schools/{world.school.code}/late-pickups/?start=2026-09-07&end=2026-09-07")
    assert world.child.name in late.content.decode()
