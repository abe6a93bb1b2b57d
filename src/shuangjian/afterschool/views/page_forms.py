"""Forms of the after-school pages: they parse input only. Every rule (consent, the window, grades, seats, the seed,
the menu's bounds) is checked by the services, whose DomainError message the page shows."""

from collections.abc import Sequence
from datetime import time
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from shuangjian.afterschool.models import BlockKind, CourseCategory, MenuCourse, Offering, ProviderKind, ServicePlan
from shuangjian.afterschool.services.plans import BlockDraft, PlanDraft
from shuangjian.core import money
from shuangjian.core.weekdays import SCHOOL_WEEKDAYS, WEEKDAY_LABELS


class SignUpForm(forms.Form):
    plan_id = forms.IntegerField(widget=forms.HiddenInput)
    # Not required here: the service refuses a missing consent with its own message (afterschool.consent_required).
    consent = forms.BooleanField(
        label=_("我已了解课后服务由家长自愿选择参加，同意孩子参加本学期课后服务。"), required=False
    )


def offering_label(offering: Offering) -> str:
    return f"{offering.course.title} · {offering.course.category.name}"


class ChoicesForm(forms.Form):
    """Ranked choices: one select per rank (第1志愿, 第2志愿, ...), most wanted first; empty ranks are skipped."""

    def __init__(self, *args: Any, options: Sequence[Offering], ranks: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("（不选）")), *((str(o.pk), offering_label(o)) for o in options)]
        for rank in range(1, ranks + 1):
            self.fields[f"rank_{rank}"] = forms.TypedChoiceField(
                label=_("第 %(rank)s 志愿") % {"rank": rank},
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
            )

    def offering_ids(self) -> list[int]:
        """The chosen offerings in rank order. A repeated course stays in: the service refuses it by name."""
        picked = (self.cleaned_data.get(name) for name in self.fields)
        return [offering_id for offering_id in picked if offering_id is not None]


class AllocationForm(forms.Form):
    seed = forms.CharField(
        label=_("公开的随机种子"),
        max_length=200,
        required=False,
        help_text=_("按方案事先公布的来源取得的数值，例如当天的福彩开奖号码。"),
    )


class CourseForm(forms.Form):
    """A course on the region's menu (the service checks grades, capacity, the credit code and the fee)."""

    category_id = forms.TypedChoiceField(label=_("类别"), coerce=int)
    title = forms.CharField(label=_("课程名称"), max_length=64)
    provider_kind = forms.ChoiceField(label=_("提供方类型"))
    provider_name = forms.CharField(label=_("提供方"), max_length=128)
    provider_credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=32, required=False, help_text=_("校外培训机构必填。")
    )
    grade_min = forms.IntegerField(label=_("最低年级"), initial=1)
    grade_max = forms.IntegerField(label=_("最高年级"), initial=6)
    capacity = forms.IntegerField(label=_("每班名额"), initial=30)
    weekly_slots = forms.IntegerField(label=_("每周节数"), initial=1)
    venue = forms.CharField(label=_("场地"), max_length=64, required=False)
    staff = forms.CharField(label=_("授课人员"), max_length=128, required=False)
    fee_yuan = forms.DecimalField(
        label=_("每课时收费（元，0 为免费）"), min_value=0, max_digits=7, decimal_places=2, initial=0
    )
    description = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, categories: Sequence[CourseCategory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category_field = cast(forms.TypedChoiceField, self.fields["category_id"])
        category_field.choices = [(c.pk, f"{c.framework} · {c.name}") for c in categories]
        kind_field = cast(forms.ChoiceField, self.fields["provider_kind"])
        kind_field.choices = [(k.value, k.label) for k in ProviderKind if k != ProviderKind.SCHOOL]

    def fee_fen(self) -> int:
        return money.fen(self.cleaned_data["fee_yuan"])


WEEKDAY_CHOICES = [(n, WEEKDAY_LABELS[n]) for n in SCHOOL_WEEKDAYS]
PLAN_BLOCK_ROWS = 3  # rows on the form; empty rows are left out and the rest numbered 1, 2, ...
_DATETIME_INPUT = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _time() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class PlanForm(forms.Form):
    """A plan's days, blocks, window and limits. The service checks them against the policy profile."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("服务日"), choices=WEEKDAY_CHOICES, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    opens_at = forms.DateTimeField(label=_("报名选课开始"), input_formats=_DATETIME_INPUT, widget=DateTimeLocalInput())
    closes_at = forms.DateTimeField(label=_("报名选课截止"), input_formats=_DATETIME_INPUT, widget=DateTimeLocalInput())
    max_preferences = forms.IntegerField(label=_("最多志愿数"), initial=3)
    courses_per_student = forms.IntegerField(label=_("每生最多课程数"), initial=1)
    seed_source = forms.CharField(
        label=_("随机种子来源"),
        max_length=200,
        required=False,
        help_text=_("选课截止前公布，例如“选课截止次日福彩3D开奖号码”；截止后不能再改。"),
    )
    override_reason = forms.CharField(
        label=_("结束时间早于下班时间的理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("只有结束时间早于当地正常下班时间时才需要填写。"),
    )

    def __init__(self, *args: Any, terms: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if terms:
            self.fields["term"] = forms.ChoiceField(label=_("学期"), choices=list(terms))
            self.order_fields(["term"])
        kinds = [("", _("（不设）")), *((k.value, k.label) for k in BlockKind)]
        for row in range(1, PLAN_BLOCK_ROWS + 1):
            self.fields[f"block{row}_kind"] = forms.ChoiceField(
                label=_("第 %(n)s 时段") % {"n": row}, choices=kinds, required=False
            )
            self.fields[f"block{row}_start"] = forms.TimeField(label=_("开始"), required=False, widget=_time())
            self.fields[f"block{row}_end"] = forms.TimeField(label=_("结束"), required=False, widget=_time())

    def block_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"block{row}_kind"], self[f"block{row}_start"], self[f"block{row}_end"])
            for row in range(1, PLAN_BLOCK_ROWS + 1)
        ]

    def draft(self) -> PlanDraft:
        data = self.cleaned_data
        filled = [
            (data[f"block{row}_kind"], data[f"block{row}_start"], data[f"block{row}_end"])
            for row in range(1, PLAN_BLOCK_ROWS + 1)
            if data[f"block{row}_kind"]
        ]
        blocks = tuple(
            BlockDraft(number, kind, start or time(0), end or time(0))
            for number, (kind, start, end) in enumerate(filled, start=1)
        )
        return PlanDraft(
            weekdays=tuple(data["weekdays"]),
            blocks=blocks,
            enrolment_opens_at=data["opens_at"],
            enrolment_closes_at=data["closes_at"],
            max_preferences=data["max_preferences"],
            courses_per_student=data["courses_per_student"],
            override_reason=data["override_reason"],
            seed_source=data["seed_source"],
        )


def plan_initial(plan: ServicePlan) -> dict[str, object]:
    initial: dict[str, object] = {
        "weekdays": list(plan.weekdays),
        "opens_at": timezone.localtime(plan.enrolment_opens_at),
        "closes_at": timezone.localtime(plan.enrolment_closes_at),
        "max_preferences": plan.max_preferences,
        "courses_per_student": plan.courses_per_student,
        "seed_source": plan.seed_source,
        "override_reason": plan.end_override_reason,
    }
    for block in plan.blocks.all():
        initial.update(
            {
                f"block{block.number}_kind": block.kind,
                f"block{block.number}_start": block.start_time,
                f"block{block.number}_end": block.end_time,
            }
        )
    return initial


class PlanDateForm(forms.Form):
    """A dated change to the weekly pattern: no service on a school day, or a weekday's timetable on a make-up
    workday (the service checks the date against the calendar and the term)."""

    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    follows_weekday = forms.TypedChoiceField(
        label=_("当天安排"), coerce=int, empty_value=None, required=False,
        choices=[("", _("停止课后服务")), *((n, format_lazy(_("按{weekday}课表"), weekday=name))
                                             for n, name in WEEKDAY_CHOICES)],
    )  # fmt: skip
    reason = forms.CharField(label=_("原因"), max_length=200)


class OfferingForm(forms.Form):
    """点餐: a menu course into the plan's activities blocks (the service checks slots, seats and the blocks)."""

    course_id = forms.TypedChoiceField(label=_("课程"), coerce=int)
    slots = forms.MultipleChoiceField(label=_("上课时间"), widget=forms.CheckboxSelectMultiple)
    capacity = forms.IntegerField(label=_("名额"), required=False, help_text=_("不填则按课程菜单中的每班名额。"))

    def __init__(
        self, *args: Any, courses: Sequence[MenuCourse], slots: Sequence[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["course_id"]).choices = [
            (c.pk, f"{c.title} · {c.category.name} · {c.provider_name}") for c in courses
        ]
        cast(forms.MultipleChoiceField, self.fields["slots"]).choices = list(slots)

    def slot_pairs(self) -> list[tuple[int, int]]:
        pairs = (value.split("-") for value in self.cleaned_data["slots"])
        return [(int(weekday), int(block)) for weekday, block in pairs]


class CategoryForm(forms.Form):
    """A category of the region's course framework (e.g. the "1" of "1+3+N": 体育锻炼)."""

    framework = forms.CharField(label=_("课程体系"), max_length=32, initial="1+3+N")
    code = forms.CharField(label=_("类别代码"), max_length=32, help_text=_("英文字母或数字，例如 sports。"))
    name = forms.CharField(label=_("类别名称"), max_length=64)
