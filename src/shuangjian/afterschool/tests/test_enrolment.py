"""Voluntary enrolment: a guardian signs up their own child with consent, and ranks offerings in the window."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine

from shuangjian.afterschool.models import Enrolment, EnrolmentEvent, Preference
from shuangjian.afterschool.services import changes, enrolment
from shuangjian.afterschool.tests import builders as b
from shuangjian.afterschool.tests.conftest import NOW, AfterschoolWorld
from shuangjian.core.errors import DomainError, NotFound

pytestmark = pytest.mark.django_db
MISSING = 987654321


Setting = dict[str, Any]  # the plan and its offerings by name


@pytest.fixture
def setting(world: AfterschoolWorld) -> Setting:
    plan = b.make_plan(world)
    sports = b.category(world)
    football = b.offer(world, plan, b.school_course(world, sports.pk), [(1, 2)], 20)
    chess = b.offer(world, plan, b.school_course(world, sports.pk, title="国际象棋"), [(1, 2)], 10)
    little = b.offer(
        world, plan, b.school_course(world, sports.pk, title="绘本", grade_min=1, grade_max=2), [(2, 2)], 10
    )
    return {"plan": plan, "football": football, "chess": chess, "little": little}


def test_a_guardian_signs_up_their_child_with_consent_recorded(world: AfterschoolWorld, setting: Setting) -> None:
    # when
    signed = b.sign_up(world.parent, world.child, setting["plan"])
    # then: who agreed and when; the class and school are the child's
    assert (signed.status, signed.consent_by, signed.consent_at) == ("active", world.parent, NOW)
    assert (signed.school, signed.school_class) == (world.school, world.class4)
    assert list(EnrolmentEvent.objects.values_list("kind", "actor", "at")) == [("signed_up", world.parent.pk, NOW)]


def test_another_familys_child_looks_missing(world: AfterschoolWorld, setting: Setting) -> None:
    # when
    with pytest.raises(NotFound) as foreign:
        b.sign_up(world.parent, world.classmate, setting["plan"])
    with pytest.raises(NotFound) as missing:
        enrolment.enrolment_sign_up(actor=world.parent, plan_id=setting["plan"].pk, student_id=MISSING, consent=True)
    # then: the same answer, nothing saved
    assert (foreign.value.code, foreign.value.message, foreign.value.details) == (
        missing.value.code,
        missing.value.message,
        missing.value.details,
    )
    assert Enrolment.objects.count() == 0
    assert EnrolmentEvent.objects.count() == 0


@pytest.mark.parametrize("who", ["leader", "teacher", "city_bureau"])
def test_staff_cannot_sign_a_child_up(world: AfterschoolWorld, setting: Setting, who: str) -> None:
    with pytest.raises(NotFound):
        b.sign_up(getattr(world, who), world.child, setting["plan"])
    assert Enrolment.objects.count() == 0


def test_consent_is_required(world: AfterschoolWorld, setting: Setting) -> None:
    with pytest.raises(DomainError) as refused:
        enrolment.enrolment_sign_up(
            actor=world.parent, plan_id=setting["plan"].pk, student_id=world.child.pk, consent=False
        )
    assert refused.value.code == "afterschool.consent_required"
    assert Enrolment.objects.count() == 0


def test_a_child_of_another_school_cannot_join_this_plan(world: AfterschoolWorld, setting: Setting) -> None:
    # given: 王爸爸 is also the guardian of the child in 民权县
    parent_guardian = world.parent.guardian
    parent_guardian.links.create(student=world.other_child, relation="father")
    with pytest.raises(DomainError) as refused:
        b.sign_up(world.parent, world.other_child, setting["plan"])
    assert refused.value.code == "afterschool.not_this_school"
    assert Enrolment.objects.count() == 0


def test_signing_up_twice_is_refused_and_after_withdrawing_rejoins(world: AfterschoolWorld, setting: Setting) -> None:
    signed = b.sign_up(world.parent, world.child, setting["plan"])
    with pytest.raises(DomainError) as refused:
        b.sign_up(world.parent, world.child, setting["plan"])
    assert refused.value.code == "afterschool.already_enrolled"
    changes.enrolment_withdraw(actor=world.parent, enrolment_id=signed.pk)
    again = b.sign_up(world.parent, world.child, setting["plan"])
    assert (again.pk, again.status, again.withdrawn_at) == (signed.pk, "active", None)
    assert list(EnrolmentEvent.objects.order_by("pk").values_list("kind", flat=True)) == [
        "signed_up",
        "service_withdrawn",
        "signed_up",
    ]


def test_after_the_term_nobody_signs_up(
    world: AfterschoolWorld, setting: Setting, clock: time_machine.Traveller
) -> None:
    clock.move_to(NOW.replace(year=2027, month=1, day=23))
    with pytest.raises(DomainError) as refused:
        b.sign_up(world.parent, world.child, setting["plan"])
    assert refused.value.code == "afterschool.term_over"


# Choices


def test_a_guardian_ranks_offerings_and_may_change_them(world: AfterschoolWorld, setting: Setting) -> None:
    signed = b.sign_up(world.parent, world.child, setting["plan"])
    b.choose(world.parent, signed, setting["chess"], setting["football"])
    b.choose(world.parent, signed, setting["football"])
    assert list(Preference.objects.values_list("offering_id", "rank")) == [(setting["football"].pk, 1)]
    assert EnrolmentEvent.objects.filter(kind="preferences_set").count() == 2
    latest = EnrolmentEvent.objects.filter(kind="preferences_set").order_by("pk").last()
    assert latest is not None
    assert latest.detail == {"offerings": [setting["football"].pk]}


@pytest.mark.parametrize(
    ("_case", "picks", "code"),
    [
        ("a grade 1-2 course", ["little"], "afterschool.grade_not_eligible"),
        ("the same twice", ["chess", "chess"], "afterschool.duplicate_preference"),
    ],
)
def test_bad_choices_are_refused_and_the_old_ones_kept(
    world: AfterschoolWorld, setting: Setting, _case: str, picks: list[str], code: str
) -> None:
    signed = b.sign_up(world.parent, world.child, setting["plan"])
    b.choose(world.parent, signed, setting["football"])
    with pytest.raises(DomainError) as refused:
        b.choose(world.parent, signed, *[setting[p] for p in picks])
    assert refused.value.code == code
    assert list(Preference.objects.values_list("offering_id", flat=True)) == [setting["football"].pk]


def test_too_many_choices(world: AfterschoolWorld, setting: Setting) -> None:
    signed = b.sign_up(world.parent, world.child, setting["plan"])
    with pytest.raises(DomainError) as refused:
        enrolment.preferences_set(actor=world.parent, enrolment_id=signed.pk, offering_ids=[1, 2, 3, 4])
    assert (refused.value.code, refused.value.details) == ("afterschool.too_many_preferences", {"max": "3"})


def test_an_offering_of_another_plan_looks_missing(world: AfterschoolWorld, setting: Setting) -> None:
    signed = b.sign_up(world.parent, world.child, setting["plan"])
    with pytest.raises(NotFound):
        enrolment.preferences_set(actor=world.parent, enrolment_id=signed.pk, offering_ids=[MISSING])
    assert Preference.objects.count() == 0


def test_choices_only_inside_the_window(
    world: AfterschoolWorld, setting: Setting, clock: time_machine.Traveller
) -> None:
    signed = b.sign_up(world.parent, world.child, setting["plan"])
    clock.move_to(setting["plan"].enrolment_closes_at)
    with pytest.raises(DomainError) as refused:
        b.choose(world.parent, signed, setting["football"])
    assert (refused.value.code, refused.value.details) == (
        "afterschool.window_closed",
        {"opens": "2026-09-06 09:00", "closes": "2026-09-14 09:00"},
    )
    clock.move_to(setting["plan"].enrolment_closes_at - timedelta(seconds=1))
    b.choose(world.parent, signed, setting["football"])
    assert Preference.objects.count() == 1


@pytest.mark.parametrize(("who", "status"), [("leader", 403), ("teacher", 403), ("other_parent", 404)])
def test_only_the_childs_guardian_chooses(world: AfterschoolWorld, setting: Setting, who: str, status: int) -> None:
    signed = b.sign_up(world.parent, world.child, setting["plan"])
    with pytest.raises(DomainError) as refused:
        b.choose(getattr(world, who), signed, setting["football"])
    assert refused.value.status == status
    assert Preference.objects.count() == 0


def test_a_withdrawn_child_makes_no_choices(world: AfterschoolWorld, setting: Setting) -> None:
    signed = b.sign_up(world.parent, world.child, setting["plan"])
    changes.enrolment_withdraw(actor=world.leader, enrolment_id=signed.pk)
    with pytest.raises(DomainError) as refused:
        b.choose(world.parent, signed, setting["football"])
    assert refused.value.code == "afterschool.not_enrolled"
    signed.refresh_from_db()
    assert (signed.status, signed.withdrawn_by, signed.withdrawn_at) == ("withdrawn", world.leader, NOW)
