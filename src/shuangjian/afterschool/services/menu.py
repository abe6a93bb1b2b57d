"""The course framework and the menu: a bureau sets its region's categories (e.g. "1+3+N") and puts courses on
its menu; a school leader adds the school's own courses. External providers are named, and a non-academic
training institution is identified by its unified social credit code (GB 32100, checked by python-stdnum)."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shuangjian.afterschool import rules
from shuangjian.afterschool.errors import AfterschoolError, afterschool_error
from shuangjian.afterschool.models import CourseCategory, MenuCourse, ProviderKind
from shuangjian.afterschool.selectors_menu import (
    category_usable,
    region_chain,
    region_get,
    school_region_chain,
)
from shuangjian.afterschool.services.common import choice, raise_unless, text
from shuangjian.core import access
from shuangjian.core.errors import CoreError, DomainError
from shuangjian.core.identity import IdentifierError, validate_credit_code
from shuangjian.core.models import Region, Role, School
from shuangjian.core.selectors import school_get
from shuangjian.training.selectors import approved_non_academic

CATEGORY_MANAGE = access.register_action("afterschool.category_manage", [Role.BUREAU])
MENU_MANAGE_REGION = access.register_action("afterschool.menu_manage_region", [Role.BUREAU])
MENU_MANAGE_SCHOOL = access.register_action("afterschool.menu_manage_school", [Role.SCHOOL_LEADER])

REGION_PROVIDERS = frozenset(ProviderKind.values) - {ProviderKind.SCHOOL}


@dataclass(frozen=True, slots=True)
class CourseDraft:
    category_id: int
    title: str
    provider_kind: str
    provider_name: str
    grade_min: int
    grade_max: int
    capacity: int
    weekly_slots: int
    description: str = ""
    provider_credit_code: str = ""
    venue: str = ""
    staff: str = ""
    fee_fen_per_session: int = 0


@transaction.atomic(durable=True)
def category_create(
    *, actor: Any, region_code: str, framework: str, code: str, name: str, description: str = "", position: int = 0
) -> CourseCategory:
    """A bureau adds a category to its region's framework (or to a region below it)."""
    region = region_get(actor=actor, code=region_code)
    access.require_region(actor, CATEGORY_MANAGE, region)
    category = CourseCategory(
        region=region,
        framework=text(framework, _("课程体系"), 32),
        code=text(code, _("类别代码"), 32),
        name=text(name, _("类别名称"), 64),
        description=text(description, _("说明"), 2000, required=False),
        position=max(position, 0),
        created_by=actor,
    )
    if CourseCategory.objects.filter(region=region, code=category.code).exists():
        raise afterschool_error(AfterschoolError.CATEGORY_EXISTS, code=category.code)
    category.full_clean()
    category.save()
    return category


def _credit_code(kind: str, raw: str) -> str:
    if not raw.strip():
        if kind == ProviderKind.INSTITUTION:
            raise afterschool_error(AfterschoolError.CREDIT_CODE_REQUIRED)
        return ""
    try:
        code = validate_credit_code(raw)
    except IdentifierError:
        message = _("统一社会信用代码不正确，请核对后重新填写。")
        raise DomainError(CoreError.INVALID_CREDIT_CODE, message, {"field": "provider_credit_code"}) from None
    if kind == ProviderKind.INSTITUTION and approved_non_academic(code) is None:
        raise afterschool_error(AfterschoolError.PROVIDER_NOT_APPROVED, field="provider_credit_code")
    return code


def _course(actor: Any, draft: CourseDraft, region: Region, school: School | None, chain: list[str]) -> MenuCourse:
    allowed = frozenset(ProviderKind.values) if school is not None else REGION_PROVIDERS
    kind = choice(draft.provider_kind, allowed, _("提供方类型"))
    raise_unless(
        rules.check_course(
            draft.grade_min, draft.grade_max, draft.capacity, draft.weekly_slots, draft.fee_fen_per_session
        )
    )
    course = MenuCourse(
        region=region,
        school=school,
        category=category_usable(chain=chain, category_id=draft.category_id),
        title=text(draft.title, _("课程名称"), 64),
        description=text(draft.description, _("课程简介"), 2000, required=False),
        provider_kind=kind,
        provider_name=text(draft.provider_name, _("提供方"), 128),
        provider_credit_code=_credit_code(kind, draft.provider_credit_code),
        grade_min=draft.grade_min,
        grade_max=draft.grade_max,
        capacity=draft.capacity,
        weekly_slots=draft.weekly_slots,
        venue=text(draft.venue, _("场地"), 64, required=False),
        staff=text(draft.staff, _("授课人员"), 128, required=False),
        fee_fen_per_session=draft.fee_fen_per_session,
        created_by=actor,
    )
    course.full_clean()
    course.save()
    return course


@transaction.atomic(durable=True)
def menu_course_create_for_region(*, actor: Any, region_code: str, draft: CourseDraft) -> MenuCourse:
    """A bureau puts a course on its region's menu: its own, a university's, a youth palace's, an approved
    institution's or volunteers'. Schools of the region may then order it."""
    region = region_get(actor=actor, code=region_code)
    access.require_region(actor, MENU_MANAGE_REGION, region)
    return _course(actor, draft, region, None, region_chain(region))


@transaction.atomic(durable=True)
def menu_course_create_for_school(*, actor: Any, school_code: str, draft: CourseDraft) -> MenuCourse:
    """A school leader adds one of the school's own courses (its teachers', or a provider it invites)."""
    school = school_get(actor=actor, code=school_code)
    access.require(actor, MENU_MANAGE_SCHOOL, school)
    return _course(actor, draft, school.county, school, school_region_chain(school))
