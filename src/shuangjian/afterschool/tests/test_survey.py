"""The satisfaction survey: one anonymous answer per guardian per child per term, aggregated with suppression."""

from datetime import date

import pytest

from shuangjian.afterschool import selectors_survey
from shuangjian.afterschool.models_survey import SurveyAnswer, SurveyReceipt
from shuangjian.afterschool.rules_money import respondent_key
from shuangjian.afterschool.services import survey
from shuangjian.afterschool.tests import builders as b
from shuangjian.afterschool.tests.conftest import AfterschoolWorld
from shuangjian.core.errors import DomainError, NotFound
from shuangjian.core.protect import keyed_hash
from shuangjian.core.tests import factories as f

pytestmark = pytest.mark.django_db
GOOD = {"overall": 5, "content": 4, "care": 5, "staff": 4}
ON = date(2026, 9, 7)


def test_an_answer_is_stored_without_who_gave_it_and_only_once(world: AfterschoolWorld) -> None:
    # given
    plan = b.make_plan(world)
    b.sign_up(world.parent, world.child, plan)
    # when
    survey.survey_answer(actor=world.parent, student_id=world.child.pk, scores=GOOD, comment="很好")
    # then: the answer has no link to the guardian or child; the receipt holds only a keyed hash
    answer = SurveyAnswer.objects.get()
    fields = {f.name for f in SurveyAnswer._meta.get_fields()}
    assert fields == {"id", "plan", "school", "overall", "content", "care", "staff", "comment"}
    receipt = SurveyReceipt.objects.get()
    assert receipt.respondent_hash == keyed_hash(respondent_key(world.parent.pk, world.child.pk, plan.pk))
    assert (answer.overall, answer.comment) == (5, "很好")
    assert survey.survey_answered(actor=world.parent, student_id=world.child.pk, plan_id=plan.pk)
    # and a second answer is refused, nothing more saved
    with pytest.raises(DomainError) as refused:
        survey.survey_answer(actor=world.parent, student_id=world.child.pk, scores=GOOD)
    assert refused.value.code == "afterschool.already_answered"
    assert (SurveyAnswer.objects.count(), SurveyReceipt.objects.count()) == (1, 1)


def test_who_may_answer(world: AfterschoolWorld) -> None:
    plan = b.make_plan(world)
    b.sign_up(world.parent, world.child, plan)
    with pytest.raises(NotFound):
        survey.survey_answer(actor=world.other_parent, student_id=world.child.pk, scores=GOOD)
    with pytest.raises(NotFound):
        survey.survey_answer(actor=world.teacher, student_id=world.child.pk, scores=GOOD)
    with pytest.raises(DomainError) as not_signed_up:
        survey.survey_answer(actor=world.parent, student_id=world.younger.pk, scores=GOOD)
    assert not_signed_up.value.code == "afterschool.survey_closed"
    with pytest.raises(DomainError) as bad:
        survey.survey_answer(actor=world.parent, student_id=world.child.pk, scores={**GOOD, "care": 6})
    assert bad.value.code == "afterschool.bad_scores"
    assert SurveyAnswer.objects.count() == SurveyReceipt.objects.count() == 0


def test_results_are_suppressed_below_the_minimum_cell(world: AfterschoolWorld) -> None:
    # given: four families answer (the national minimum cell is five)
    plan = b.make_plan(world)
    children = [world.child, world.classmate, *(f.student(world.class4, f"学生{n}") for n in range(3))]
    families = [world.parent, world.other_parent, *(b.family(world, c) for c in children[2:])]
    for parent, child in zip(families, children, strict=True):
        b.sign_up(parent, child, plan)
    for parent, child in list(zip(families, children, strict=True))[:4]:
        survey.survey_answer(actor=parent, student_id=child.pk, scores=GOOD, comment="好")
    hidden = selectors_survey.school_survey(actor=world.leader, school_code=world.school.code, on=ON)
    assert (hidden.summary.answers, hidden.summary.means["overall"], hidden.comments) == (4, None, [])
    # when: the fifth answers
    survey.survey_answer(actor=families[4], student_id=children[4].pk, scores={**GOOD, "overall": 3})
    # then: means and comments show, for the school and in the county's rows
    shown = selectors_survey.school_survey(actor=world.leader, school_code=world.school.code, on=ON)
    assert shown.summary.means == {"overall": 4.6, "content": 4.0, "care": 5.0, "staff": 4.0}
    assert shown.comments == ["好", "好", "好", "好"]
    county = selectors_survey.region_survey(actor=world.county_bureau, region_code=world.school.county_id, on=ON)
    assert [(s.code, s.summary.answers) for s in county.schools] == [(world.school.code, 5)]
    with pytest.raises(NotFound):
        selectors_survey.school_survey(actor=world.teacher, school_code=world.school.code, on=ON)
