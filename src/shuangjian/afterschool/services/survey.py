"""The guardians' satisfaction survey (issue 3, item 7): a guardian answers a few 1-5 questions and an optional
comment once per child per term, for the plan the child takes part in. The answer is stored without who gave it;
a receipt keeps only a keyed hash (core.protect.keyed_hash) of guardian, child and plan to refuse a second answer."""

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangjian.afterschool import rules_money
from shuangjian.afterschool.errors import AfterschoolError, afterschool_error
from shuangjian.afterschool.lock_objects import student_for_update
from shuangjian.afterschool.models import Enrolment, EnrolmentStatus
from shuangjian.afterschool.models_survey import SurveyAnswer, SurveyReceipt
from shuangjian.afterschool.selectors_attendance import plan_on
from shuangjian.afterschool.services.common import raise_unless, text
from shuangjian.core import access
from shuangjian.core.errors import NotFound
from shuangjian.core.models import Role, Student
from shuangjian.core.protect import keyed_hash

SURVEY_ANSWER = access.register_action("afterschool.survey_answer", [Role.GUARDIAN])


@transaction.atomic(durable=True)
def survey_answer(*, actor: Any, student_id: int, scores: Mapping[str, int], comment: str = "") -> None:
    """Answer this term's survey for one's own child. Returns nothing: not even the answer's key is handed back."""
    if not access.can(actor, SURVEY_ANSWER, Student(pk=student_id)):
        raise NotFound("student")
    student = student_for_update(student_id).get()
    today = timezone.localdate()
    plan = plan_on(student.school_id, today)
    if not Enrolment.objects.filter(plan=plan, student=student, status=EnrolmentStatus.ACTIVE).exists():
        raise afterschool_error(AfterschoolError.SURVEY_CLOSED, start=plan.term.start_date, end=plan.term.end_date)
    raise_unless(rules_money.check_scores(scores))
    clean_comment = text(comment, _("意见建议"), rules_money.COMMENT_MAX, required=False)
    respondent = keyed_hash(rules_money.respondent_key(actor.pk, student.pk, plan.pk))
    if SurveyReceipt.objects.filter(plan=plan, respondent_hash=respondent).exists():
        raise afterschool_error(AfterschoolError.ALREADY_ANSWERED)
    try:
        with transaction.atomic():
            SurveyReceipt.objects.create(plan=plan, respondent_hash=respondent)
    except IntegrityError as exc:  # the same guardian answering twice at once
        raise afterschool_error(AfterschoolError.ALREADY_ANSWERED) from exc
    answer = SurveyAnswer(plan=plan, school_id=plan.school_id, comment=clean_comment, **dict(scores))
    answer.full_clean(validate_constraints=False)
    answer.save(force_insert=True)


def survey_answered(*, actor: Any, student_id: int, plan_id: int) -> bool:
    """Whether the actor has answered this plan's survey for the child (their own receipt, by its hash)."""
    respondent = keyed_hash(rules_money.respondent_key(actor.pk, student_id, plan_id))
    return SurveyReceipt.objects.filter(plan_id=plan_id, respondent_hash=respondent).exists()
