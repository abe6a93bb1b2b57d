"""Forms of the training pages: they parse input only. Every rule is checked by the services, whose DomainError
message the page shows."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shuangjian.core.weekdays import WEEKDAY_LABELS
from shuangjian.training.models import NonAcademicCategory, PartnerDepartment, SanctionKind, TrainingMode
from shuangjian.training.rules import ACADEMIC_SUBJECT_ORDER, LicenceAction

SITTINGS_ON_FORM = 3
WEEKDAYS = [("", _("—")), *((str(n), label) for n, label in WEEKDAY_LABELS.items())]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class LicenceForm(forms.Form):
    action = forms.ChoiceField(
        label=_("许可操作"),
        choices=[
            (LicenceAction.APPROVE.value, _("审批通过")),
            (LicenceAction.SUSPEND.value, _("暂停办学")),
            (LicenceAction.REINSTATE.value, _("恢复办学")),
            (LicenceAction.CANCEL.value, _("注销")),
        ],
    )
    licence_number = forms.CharField(label=_("办学许可证号（审批通过时填写）"), required=False, max_length=64)
    reason = forms.CharField(label=_("原因"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConversionForm(forms.Form):
    category = forms.ChoiceField(label=_("转为非学科类的类别"), choices=NonAcademicCategory.choices)
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}))


class SupervisionForm(forms.Form):
    bank = forms.CharField(label=_("资金监管银行"), max_length=128)
    opened_on = forms.DateField(label=_("监管账户开立日期"), widget=DateInput())


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(label=_("惩戒类型"), choices=SanctionKind.choices)
    reason = forms.CharField(label=_("事由"), widget=forms.Textarea(attrs={"rows": 2}))
    authority = forms.CharField(label=_("决定机关"), max_length=128)
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    ends_on = forms.DateField(label=_("结束日期（不填为长期）"), required=False, widget=DateInput())
    partners = forms.MultipleChoiceField(
        label=_("联合惩戒部门（联合惩戒时必选）"),
        choices=PartnerDepartment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    measures = forms.CharField(
        label=_("惩戒措施（联合惩戒时必填）"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SiteForm(forms.Form):
    address = forms.CharField(label=_("地址"), max_length=200)
    area_square_metres = forms.IntegerField(label=_("教学面积（平方米）"), min_value=1)


class StaffForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=64)
    teaches = forms.BooleanField(label=_("授课人员"), required=False, initial=True)
    qualification_number = forms.CharField(label=_("教师资格证书编号"), required=False, max_length=32)


class CourseForm(forms.Form):
    title = forms.CharField(label=_("课程名称"), max_length=64)
    subject = forms.CharField(label=_("学科/项目"), max_length=16)
    grade_min = forms.IntegerField(label=_("最低年级"))
    grade_max = forms.IntegerField(label=_("最高年级"))
    lesson_minutes = forms.IntegerField(label=_("每课时分钟数"), min_value=1)
    lesson_count = forms.IntegerField(label=_("总课时数"), min_value=1)
    class_size = forms.IntegerField(label=_("班额"), min_value=1)
    price_yuan = forms.DecimalField(label=_("每课时收费（元/生）"), min_value=0, decimal_places=2)
    charge_lessons = forms.IntegerField(label=_("单次收费课时数"), min_value=1)
    charge_months = forms.IntegerField(label=_("单次收费月数"), min_value=0)
    start_date = forms.DateField(label=_("开课日期"), widget=DateInput())
    end_date = forms.DateField(label=_("结课日期"), widget=DateInput())
    site_id = forms.TypedChoiceField(label=_("培训场所"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, sites: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site_field: forms.TypedChoiceField = self.fields["site_id"]  # type: ignore[assignment]
        site_field.choices = [("", _("线上课程不选")), *sites]
        for n in range(1, SITTINGS_ON_FORM + 1):
            required = n == 1
            self.fields[f"weekday_{n}"] = forms.TypedChoiceField(
                label=_("每周"), choices=WEEKDAYS, coerce=int, required=False, empty_value=None
            )
            self.fields[f"day_{n}"] = forms.DateField(label=_("或日期"), required=False, widget=DateInput())
            self.fields[f"start_{n}"] = forms.TimeField(label=_("开始"), required=required, widget=TimeInput())
            self.fields[f"end_{n}"] = forms.TimeField(label=_("结束"), required=required, widget=TimeInput())

    def sitting_rows(self) -> list[dict[str, Any]]:
        """The filled-in sittings (a row needs a start and an end)."""
        data = self.cleaned_data
        return [
            {
                "weekday": data[f"weekday_{n}"],
                "day": data[f"day_{n}"],
                "start": data[f"start_{n}"],
                "end": data[f"end_{n}"],
            }
            for n in range(1, SITTINGS_ON_FORM + 1)
            if data.get(f"start_{n}") is not None and data.get(f"end_{n}") is not None
        ]

    def course_fields(self) -> list[forms.BoundField]:
        sitting_names = {
            f"{name}_{n}" for name in ("weekday", "day", "start", "end") for n in range(1, SITTINGS_ON_FORM + 1)
        }
        return [self[name] for name in self.fields if name not in sitting_names]

    def sitting_fields(self) -> list[list[forms.BoundField]]:
        names = ("weekday", "day", "start", "end")
        return [[self[f"{name}_{n}"] for name in names] for n in range(1, SITTINGS_ON_FORM + 1)]


class ComplaintForm(forms.Form):
    county_code = forms.ChoiceField(label=_("培训所在县（区）"))
    institution_name = forms.CharField(label=_("被投诉机构名称"), max_length=128)
    credit_code = forms.CharField(label=_("统一社会信用代码（知道时填写）"), max_length=32, required=False)
    content = forms.CharField(label=_("投诉内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    wants_reply = forms.BooleanField(label=_("需要办理人员回复我"), required=False)
    contact_name = forms.CharField(label=_("联系人（可不填）"), max_length=64, required=False)
    phone = forms.CharField(
        label=_("手机号（需要回复时必填）"),
        max_length=20,
        required=False,
        help_text=_("手机号加密保存，只有办理人员可以查看，不会公开。"),
    )

    def __init__(self, *args: Any, counties: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        county_field: forms.ChoiceField = self.fields["county_code"]  # type: ignore[assignment]
        county_field.choices = counties


class ComplaintFollowForm(forms.Form):
    reference = forms.CharField(label=_("受理编号"), max_length=20)


class GuidancePriceForm(forms.Form):
    subject = forms.ChoiceField(label=_("学科"), choices=[(s, s) for s in ACADEMIC_SUBJECT_ORDER])
    mode = forms.ChoiceField(label=_("培训形式"), choices=TrainingMode.choices)
    base_yuan = forms.DecimalField(label=_("基准价（元/生·标准课时）"), max_digits=9, decimal_places=2)
