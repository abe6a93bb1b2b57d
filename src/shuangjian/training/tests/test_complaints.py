"""Complaints from the public: filed without signing in, followed by reference number; the contact is protected."""

import re

import pytest
from django.test import Client

from shuangjian.core import protect
from shuangjian.core.errors import DomainError, NotFound
from shuangjian.training import selectors
from shuangjian.training.models import Complaint
from shuangjian.training.services import complaints
from shuangjian.training.tests import builders
from shuangjian.training.tests.conftest import NOW, TrainingWorld


def _draft(**changes: object) -> complaints.ComplaintDraft:
    base = {"county_code": "411402", "institution_name": "", "credit_code": builders.QIMING.lower(),
            "content": "寒假期间开设初中数学班", "wants_reply": True, "contact_name": "王女士",
            "phone": "139 0000 1111"}  # fmt: skip
    return complaints.ComplaintDraft(**{**base, **changes})  # type: ignore[arg-type]


def test_a_complaint_gets_a_reference_and_a_protected_contact(world: TrainingWorld) -> None:
    # when
    complaint = complaints.complaint_file(draft=_draft())
    # then
    assert re.fullmatch(r"TS20260907[2-9A-HJ-NP-Z]{6}", complaint.reference)
    assert (complaint.institution, complaint.institution_name) == (world.institution, "梁园区启明培训学校")
    assert (complaint.status, complaint.channel, complaint.received_at) == ("received", "web", NOW)
    assert (complaint.phone_masked, complaint.phone_digest) == ("139****1111", protect.keyed_hash("13900001111"))
    assert protect.decrypt(complaint.phone_cipher) == "13900001111"
    assert (complaint.county_id, complaint.city_id) == ("411402", "411400")


@pytest.mark.parametrize(
    ("_case", "changes", "code"),
    [
        ("a reply without a phone", {"phone": ""}, "training.contact_required"),
        ("a wrong phone", {"phone": "12345"}, "core.invalid_phone"),
        ("no content", {"content": "  "}, "training.text_required"),
        ("no institution named", {"credit_code": "", "institution_name": ""}, "training.text_required"),
    ],
)
def test_bad_complaints_are_refused_and_nothing_is_saved(
    world: TrainingWorld, _case: str, changes: dict[str, object], code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        complaints.complaint_file(draft=_draft(**changes))
    assert refused.value.code == code
    assert Complaint.objects.count() == 0


def test_a_complaint_without_a_reply_needs_no_contact(world: TrainingWorld) -> None:
    complaint = complaints.complaint_file(
        draft=_draft(wants_reply=False, phone="", credit_code="", institution_name="无证补习班")
    )
    assert (complaint.institution, complaint.phone_digest) == (None, "")


def test_an_unknown_county_or_reference_is_not_found(world: TrainingWorld) -> None:
    with pytest.raises(NotFound):
        complaints.complaint_file(draft=_draft(county_code="411400"))  # a city, not a county
    with pytest.raises(NotFound):
        selectors.complaint_follow(reference="TS20260907AAAAAA")


def test_the_public_files_on_the_page_and_follows_by_reference(world: TrainingWorld, client: Client) -> None:
    # given: nobody signed in
    form = {"county_code": "411402", "institution_name": "梁园区启明培训学校", "content": "周六上数学课",
            "wants_reply": "on", "phone": "13900001111"}  # fmt: skip
    # when
    response = client.post("/training/complaints/new/", form)
    # then
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert complaint.reference in page and "已受理" in page
    assert "13900001111" not in page and "139****1111" not in page and "周六上数学课" not in page
    api = client.get("/api/v1/training/complaints/follow", {"reference": complaint.reference.lower()}).json()
    assert api == {
        "reference": complaint.reference, "institution_name": "梁园区启明培训学校", "status": "received",
        "status_label": "已受理", "received_at": "2026-09-07T01:00:00Z", "reply": "",
    }  # fmt: skip


def test_a_refused_complaint_stays_on_the_form(world: TrainingWorld, client: Client) -> None:
    form = {"county_code": "411402", "institution_name": "某机构", "content": "x", "wants_reply": "on"}
    response = client.post("/training/complaints/new/", form)
    assert response.status_code == 422
    assert "需要回复时请留下手机号" in response.content.decode()
    assert Complaint.objects.count() == 0
