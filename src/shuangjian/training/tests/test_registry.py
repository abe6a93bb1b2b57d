"""The registry services: registration, licence changes and their events, conversion, staff, sanctions, scope."""

from datetime import date

import pytest

from shuangjian.core.errors import AccessDenied, DomainError, NotFound
from shuangjian.training.models import (
    Course,
    EventKind,
    Institution,
    InstitutionEvent,
    InstitutionNameGram,
    InstitutionStaff,
    Sanction,
)
from shuangjian.training.services import courses, premises, registry
from shuangjian.training.tests import builders
from shuangjian.training.tests.conftest import NOW, TrainingWorld

NEW_CODE = builders.credit_code("52411402MJY300003")


def _snapshot() -> tuple[int, int, int]:
    return Institution.objects.count(), InstitutionEvent.objects.count(), Sanction.objects.count()


# Registration


def test_a_county_bureau_registers_an_institution_as_applied(world: TrainingWorld) -> None:
    # when
    institution = builders.registered(world.county_bureau, NEW_CODE.lower(), world.liangyuan, name=" 新华培训学校 ")
    # then
    assert (institution.credit_code, institution.name, institution.licence_status) == (
        NEW_CODE,
        "新华培训学校",
        "applied",
    )
    assert (institution.county_id, institution.city_id, institution.province_id) == ("411402", "411400", "410000")
    event = institution.events.get()
    assert (event.kind, event.to_status, event.actor, event.at) == (
        EventKind.REGISTERED,
        "applied",
        world.county_bureau,
        NOW,
    )


@pytest.mark.parametrize(
    ("_case", "changes", "code"),
    [
        ("duplicate credit code", {"credit_code": builders.QIMING}, "training.duplicate_credit_code"),
        (
            "wrong check character",
            {"credit_code": NEW_CODE[:-1] + ("0" if NEW_CODE[-1] != "0" else "1")},
            "core.invalid_credit_code",
        ),
        ("non-academic without category", {"kind": "non_academic"}, "training.category_required"),
        ("academic with a category", {"category": "sports"}, "training.category_required"),
        ("unknown mode", {"mode": "hybrid"}, "training.invalid_choice"),
        ("no legal representative", {"legal_representative": "  "}, "training.text_required"),
        ("a city is not a county", {"county_code": "411400"}, "training.not_a_county"),
    ],
)
def test_bad_registrations_are_refused_and_nothing_is_saved(
    world: TrainingWorld, _case: str, changes: dict[str, str], code: str
) -> None:
    # given
    before = _snapshot()
    draft = builders.draft(NEW_CODE, world.liangyuan, **changes)
    # when
    with pytest.raises(DomainError) as refused:
        registry.institution_register(actor=world.county_bureau, draft=draft)
    # then
    assert refused.value.code == code
    assert _snapshot() == before


@pytest.mark.parametrize("who", ["other_county_bureau", "inspector", "operator"])
def test_only_a_bureau_covering_the_county_registers(world: TrainingWorld, who: str) -> None:
    before = _snapshot()
    with pytest.raises(AccessDenied):
        builders.registered(getattr(world, who), NEW_CODE, world.liangyuan)
    assert _snapshot() == before


def test_the_city_bureau_registers_in_its_counties(world: TrainingWorld) -> None:
    institution = builders.registered(world.city_bureau, NEW_CODE, world.minquan)
    assert institution.county_id == world.minquan.code


# The licence lifecycle


def test_licence_changes_are_recorded_with_who_when_and_why(world: TrainingWorld) -> None:
    # given: 启明 is approved
    pk = world.institution.pk
    # when
    registry.licence_change(actor=world.county_bureau, institution_id=pk, action="suspend", reason="超标培训")
    registry.licence_change(actor=world.city_bureau, institution_id=pk, action="reinstate", reason="整改完成")
    registry.licence_change(actor=world.county_bureau, institution_id=pk, action="cancel", reason="自行停办")
    # then
    events = list(InstitutionEvent.objects.filter(institution_id=pk).order_by("pk"))
    assert [(e.kind, e.from_status, e.to_status, e.actor, e.reason) for e in events] == [
        (EventKind.REGISTERED, "", "applied", world.county_bureau, ""),
        (EventKind.APPROVED, "applied", "approved", world.county_bureau, ""),
        (EventKind.SUSPENDED, "approved", "suspended", world.county_bureau, "超标培训"),
        (EventKind.REINSTATED, "suspended", "approved", world.city_bureau, "整改完成"),
        (EventKind.CANCELLED, "approved", "cancelled", world.county_bureau, "自行停办"),
    ]
    assert events[1].detail == {"licence_number": world.institution.licence_number}
    assert Institution.objects.get(pk=pk).licence_status == "cancelled"


@pytest.mark.parametrize(
    ("_case", "action", "reason", "number", "code"),
    [
        ("approve an approved licence", "approve", "", "教民1号", "training.transition_not_allowed"),
        ("reinstate an approved licence", "reinstate", "复查", "", "training.transition_not_allowed"),
        ("suspend without a reason", "suspend", " ", "", "training.reason_required"),
        ("an unknown action", "revoke", "x", "", "training.invalid_choice"),
    ],
)
def test_refused_licence_changes_change_nothing(
    world: TrainingWorld, _case: str, action: str, reason: str, number: str, code: str
) -> None:
    before = _snapshot()
    with pytest.raises(DomainError) as refused:
        registry.licence_change(
            actor=world.county_bureau,
            institution_id=world.institution.pk,
            action=action,
            reason=reason,
            licence_number=number,
        )
    assert refused.value.code == code
    assert _snapshot() == before
    assert Institution.objects.get(pk=world.institution.pk).licence_status == "approved"


def test_the_refusal_names_the_status_and_the_action(world: TrainingWorld) -> None:
    with pytest.raises(DomainError) as refused:
        registry.licence_change(actor=world.county_bureau, institution_id=world.institution.pk, action="approve")
    assert refused.value.message == "当前许可状态为“已审批”，不能执行“审批通过”。"


def test_approval_needs_a_licence_number(world: TrainingWorld) -> None:
    institution = builders.registered(world.county_bureau, NEW_CODE, world.liangyuan)
    with pytest.raises(DomainError) as refused:
        registry.licence_change(actor=world.county_bureau, institution_id=institution.pk, action="approve")
    assert refused.value.code == "training.licence_number_required"
    assert Institution.objects.get(pk=institution.pk).licence_status == "applied"


def test_an_operator_may_not_touch_its_licence_and_other_bureaus_do_not_see_it(world: TrainingWorld) -> None:
    before = _snapshot()
    with pytest.raises(AccessDenied):
        registry.licence_change(actor=world.operator, institution_id=world.institution.pk, action="suspend", reason="x")
    with pytest.raises(AccessDenied):
        registry.licence_change(
            actor=world.inspector, institution_id=world.institution.pk, action="suspend", reason="x"
        )
    with pytest.raises(NotFound):
        registry.licence_change(
            actor=world.other_county_bureau, institution_id=world.institution.pk, action="suspend", reason="x"
        )
    assert _snapshot() == before


# Updates, conversion, supervision, sanctions


def test_an_update_records_the_changed_fields(world: TrainingWorld) -> None:
    registry.institution_update(
        actor=world.county_bureau,
        institution_id=world.institution.pk,
        changes={"address": "梁园区新址 9 号", "name": "梁园区启明培训学校"},
        reason="迁址",
    )
    event = InstitutionEvent.objects.filter(institution=world.institution, kind=EventKind.UPDATED).get()
    assert (event.detail, event.reason) == ({"address": ["商丘市某路 1 号", "梁园区新址 9 号"]}, "迁址")


def test_a_new_name_is_searchable_by_two_characters(world: TrainingWorld) -> None:
    registry.institution_update(
        actor=world.county_bureau, institution_id=world.institution.pk, changes={"name": "梁园区启航学堂"}
    )
    pieces = InstitutionNameGram.objects.filter(institution=world.institution).values_list("gram", "name")
    assert sorted(pieces) == sorted((g, "梁园区启航学堂") for g in ["梁园", "园区", "区启", "启航", "航学", "学堂"])


def test_conversion_waits_until_academic_courses_are_withdrawn(world: TrainingWorld) -> None:
    # given: 启明 runs an academic course
    site = builders.site(world.operator, world.institution)
    course = courses.course_create(
        actor=world.operator, institution_id=world.institution.pk, draft=builders.course_draft(site.pk)
    )
    # when / then: refused while it runs
    with pytest.raises(DomainError) as refused:
        registry.institution_convert(
            actor=world.county_bureau, institution_id=world.institution.pk, category="science", reason="转型"
        )
    assert refused.value.code == "training.academic_courses_active"
    # when: the operator withdraws it, the bureau converts
    courses.course_withdraw(actor=world.operator, course_id=course.pk)
    converted = registry.institution_convert(
        actor=world.county_bureau, institution_id=world.institution.pk, category="science", reason="转型"
    )
    # then
    assert (converted.kind, converted.category, converted.licence_status) == ("non_academic", "science", "approved")
    event = InstitutionEvent.objects.get(institution=world.institution, kind=EventKind.CONVERTED)
    assert event.detail == {"from": "academic", "to": "non_academic", "category": "science"}
    with pytest.raises(DomainError) as again:
        registry.institution_convert(
            actor=world.county_bureau, institution_id=world.institution.pk, category="science", reason="转型"
        )
    assert again.value.code == "training.not_academic"


def test_supervision_is_a_registry_fact(world: TrainingWorld) -> None:
    institution = registry.supervision_record(
        actor=world.county_bureau,
        institution_id=world.institution.pk,
        bank="中国银行商丘分行",
        opened_on=date(2026, 3, 1),
    )
    assert institution.fees_supervised
    event = institution.events.get(kind=EventKind.SUPERVISION_RECORDED)
    assert event.detail == {"bank": "中国银行商丘分行", "opened_on": "2026-03-01"}


def test_a_sanction_is_recorded_and_bad_dates_are_refused(world: TrainingWorld) -> None:
    draft = registry.SanctionDraft("warning", "超前培训", "梁园区教育体育局", date(2026, 9, 1), date(2026, 12, 31))
    sanction = registry.sanction_add(actor=world.county_bureau, institution_id=world.institution.pk, draft=draft)
    assert (sanction.decided_by, sanction.authority) == (world.county_bureau, "梁园区教育体育局")
    before = _snapshot()
    with pytest.raises(DomainError) as refused:
        registry.sanction_add(
            actor=world.county_bureau,
            institution_id=world.institution.pk,
            draft=registry.SanctionDraft("fine", "x", "y", date(2026, 9, 2), date(2026, 9, 1)),
        )
    assert refused.value.code == "training.bad_sanction_dates"
    assert _snapshot() == before


# Sites and staff


def test_academic_teachers_need_a_qualification_number(world: TrainingWorld) -> None:
    with pytest.raises(DomainError) as refused:
        premises.staff_add(actor=world.operator, institution_id=world.institution.pk, name="王老师", teaches=True)
    assert refused.value.code == "training.qualification_required"
    assert InstitutionStaff.objects.count() == 0
    member = premises.staff_add(
        actor=world.operator, institution_id=world.institution.pk, name="王老师", teaches=True,
        qualification_number="20214114200001",
    )  # fmt: skip
    assert member.institution == world.institution


def test_an_operator_reaches_only_its_own_institution(world: TrainingWorld) -> None:
    with pytest.raises(NotFound):
        builders.site(world.operator, world.other_institution)
    with pytest.raises(NotFound):
        courses.course_create(
            actor=world.operator, institution_id=world.other_institution.pk, draft=builders.course_draft(None)
        )
    assert (Course.objects.count(), world.other_institution.sites.count()) == (0, 0)
