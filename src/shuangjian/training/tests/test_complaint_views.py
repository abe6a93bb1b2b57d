"""The complaint pages: the inspector's desk with its badges, a complaint page with its timeline and forms, the
hotline form, the leader's overview, the operator's page (no complainant identity) and the public follow-up
(status and reply only)."""

from datetime import date, datetime

import pytest
from django.test import Client

from shuangjian.policy.tests.factories import publish
from shuangjian.training.models import Complaint
from shuangjian.training.services import complaint_handling as handling
from shuangjian.training.services import complaints
from shuangjian.training.tests.conftest import SHANGHAI, TrainingWorld


@pytest.fixture
def filed(world: TrainingWorld) -> tuple[Complaint, Complaint]:
    """Two complaints about 启明 under 2/5 working-day deadlines: one received on Tuesday 1 September (triage
    overdue on Monday 7), one received now and being investigated by the inspector."""
    publish(world.city, {"complaints.triage_max_working_days": 2, "complaints.resolve_max_working_days": 5},
            date(2026, 8, 1))  # fmt: skip
    draft = complaints.ComplaintDraft(
        county_code=world.liangyuan.code, institution_name=world.institution.name,
        credit_code=world.institution.credit_code, content="周六上午开设初中数学班", wants_reply=True,
        contact_name="王女士", phone="13900001111",
    )  # fmt: skip
    old = complaints.complaint_intake_hotline(
        actor=world.inspector,
        draft=complaints.HotlineDraft("hotline_12345", "SQ001", datetime(2026, 9, 1, 9, 0, tzinfo=SHANGHAI), draft),
    )
    new = complaints.complaint_file(draft=draft)
    handling.complaint_triage(actor=world.county_bureau, complaint_id=new.pk, category="schedule", priority="urgent")
    handling.complaint_assign(actor=world.county_bureau, complaint_id=new.pk, assignee_id=world.inspector.pk)
    handling.complaint_investigate(actor=world.inspector, complaint_id=new.pk)
    handling.complaint_note(actor=world.inspector, complaint_id=new.pk, note="内部记录：机构负责人电话 13811112222")
    return old, new


def test_the_desk_shows_my_complaints_and_the_overdue_badge(filed: tuple[Complaint, Complaint], world: TrainingWorld,
                                                            client: Client) -> None:  # fmt: skip
    old, new = filed
    client.force_login(world.inspector)
    # when
    mine = client.get("/training/desk/complaints/").content.decode()
    overdue = client.get("/training/desk/complaints/?view=overdue").content.decode()
    # then
    assert new.reference in mine and old.reference not in mine
    assert old.reference in overdue and new.reference not in overdue
    assert 'data-testid="overdue-count">1<' in mine
    assert 'data-testid="flag-triage-overdue"' in overdue


def test_only_supervisors_reach_the_desk(
    filed: tuple[Complaint, Complaint], world: TrainingWorld, client: Client
) -> None:
    client.force_login(world.operator)
    assert client.get("/training/desk/complaints/").status_code == 403
    assert client.get(f"/training/desk/complaints/{filed[0].pk}/").status_code == 403
    client.force_login(world.other_county_bureau)
    assert client.get(f"/training/desk/complaints/{filed[0].pk}/").status_code == 404


def test_the_complaint_page_shows_the_masked_phone_timeline_and_allowed_forms(
    filed: tuple[Complaint, Complaint], world: TrainingWorld, client: Client
) -> None:
    _old, new = filed
    client.force_login(world.inspector)
    page = client.get(f"/training/desk/complaints/{new.pk}/").content.decode()
    assert "139****1111" in page and "13900001111" not in page
    assert "内部记录" in page and 'data-testid="timeline"' in page
    for kind in ("note", "resolve", "assign"):
        assert f'data-testid="action-{kind}"' in page
    assert 'data-testid="action-triage"' not in page


def test_a_move_from_the_page_and_a_refused_one(filed: tuple[Complaint, Complaint], world: TrainingWorld,
                                                client: Client) -> None:  # fmt: skip
    old, new = filed
    client.force_login(world.inspector)
    # when
    done = client.post(f"/training/desk/complaints/{new.pk}/resolve/", {"outcome": "substantiated", "reply": "属实"})
    refused = client.post(f"/training/desk/complaints/{old.pk}/resolve/", {"outcome": "mediated", "reply": "已调解"})
    # then
    assert done.status_code == 302
    assert Complaint.objects.get(pk=new.pk).status == "resolved"
    assert refused.status_code == 422
    assert "该投诉当前状态为“已受理”，不能执行“办结答复”。" in refused.content.decode()
    assert Complaint.objects.get(pk=old.pk).status == "received"


def test_the_hotline_form_records_and_refuses_a_repeat(filed: tuple[Complaint, Complaint], world: TrainingWorld,
                                                       client: Client) -> None:  # fmt: skip
    client.force_login(world.county_bureau)
    form = {"channel": "hotline_12345", "hotline_reference": "SQ002", "received_at": "2026-09-07T08:00",
            "county_code": "411402", "institution_name": "无证托管班", "institution_address": "某小区",
            "content": "无证培训", "phone": ""}  # fmt: skip
    created = client.post("/training/desk/complaints/hotline/", form)
    repeated = client.post("/training/desk/complaints/hotline/", form)
    assert created.status_code == 302
    assert repeated.status_code == 422 and "SQ002 已登记" in repeated.content.decode()
    assert Complaint.objects.filter(hotline_reference="SQ002").count() == 1


def test_the_overview_counts(filed: tuple[Complaint, Complaint], world: TrainingWorld, client: Client) -> None:
    client.force_login(world.county_bureau)
    response = client.get("/training/desk/overview/")
    assert response.status_code == 200
    chart = response.context["chart"]
    assert chart["months"][-1] == "2026-09" and chart["by_month"][-1] == 2
    assert dict(zip(chart["by_status"]["names"], chart["by_status"]["values"], strict=True))["已受理"] == 1
    assert dict(zip(chart["licences"]["names"], chart["licences"]["values"], strict=True))["已审批"] == 1


def test_the_operator_sees_status_and_reply_but_not_who_complained(
    filed: tuple[Complaint, Complaint], world: TrainingWorld, client: Client
) -> None:
    _old, new = filed
    handling.complaint_resolve(actor=world.inspector, complaint_id=new.pk, outcome="mediated", reply="已调解退费")
    client.force_login(world.operator)
    page = client.get(f"/training/institutions/{world.institution.pk}/complaints/").content.decode()
    assert new.reference in page and "已调解退费" in page
    for secret in ("王女士", "139****1111", "周六上午开设", "内部记录"):
        assert secret not in page
    response = client.post(f"/training/complaints/{new.pk}/response/", {"response": "已全额退费"})
    assert response.status_code == 302
    assert Complaint.objects.get(pk=new.pk).operator_response == "已全额退费"
    client.force_login(world.other_operator)
    assert client.post(f"/training/complaints/{new.pk}/response/", {"response": "x"}).status_code == 404


def test_the_public_follow_up_shows_the_reply_and_never_notes(
    filed: tuple[Complaint, Complaint], world: TrainingWorld, client: Client
) -> None:
    _old, new = filed
    page = client.get("/training/complaints/follow/", {"reference": new.reference}).content.decode()
    assert "调查中" in page and "内部记录" not in page
    handling.complaint_resolve(actor=world.inspector, complaint_id=new.pk, outcome="substantiated", reply="已责令整改")
    page = client.get("/training/complaints/follow/", {"reference": new.reference}).content.decode()
    assert 'data-testid="complaint-reply">已责令整改' in page
    for secret in ("内部记录", "王女士", "139****1111", "周六上午开设"):
        assert secret not in page
